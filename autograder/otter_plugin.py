"""Otter plugin: on Gradescope (and `otter run`), grade as the batch grader does.

otter_config.json names it: "plugins": ["autograder.otter_plugin.SandboxedGrading"].

    before_grading    nothing of the student's has run yet: compute the expected values for the
                      official data and for a fresh seed, read the submission's cells, write a
                      fallback results.json, and take the reference off the disk
    before_execution  run the submission (twice: as written, on fresh data) in a worker with a
                      wall-clock and memory limit, sandboxed where bubblewrap works; otter's own
                      kernel is handed an empty notebook, so no student code runs inside it
    after_grading     judge the plain-data snapshots here, in the runner process, and write every
                      test case's result, message and score over what otter's kernel reported
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import nbformat
from otter.plugins import AbstractOtterPlugin
from otter.test_files.abstract_test import TestCaseResult

LIMITS = {"timeout": 120.0, "memory_mb": 2048}


class SandboxedGrading(AbstractOtterPlugin):
    def before_grading(self, config):
        from .notebook import InvalidNotebook, code_cells

        submission = Path(os.getcwd())  # otter runs plugins in the submission folder
        sys.path.insert(0, str(submission))  # otter copied solutions/ here
        from .expected import expected_values
        from .reseed import fresh_seed

        self.reference, self.fresh = expected_values(), expected_values(fresh_seed())
        self.limits = {k: v for k, v in {**LIMITS, **(self.plugin_config or {})}.items() if k in LIMITS}
        self.problem, self.cells, self.answer = "", None, None
        try:
            self.cells = code_cells(Path(self.submission_path).read_bytes())
        except (InvalidNotebook, OSError) as e:
            self.problem = str(e)
        _fallback(submission.parent / "results" / "results.json")
        for path in (submission / "solutions", submission.parent / "source" / "files" / "solutions",
                     submission / "autograder" / "expected.py",
                     submission.parent / "source" / "files" / "autograder" / "expected.py"):
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)

    def before_execution(self, submission):
        from .batch import Worker, WorkerError
        from .reseed import reseed

        if self.cells is not None:
            job = {"job": "submission", "name": Path(self.submission_path).name, "notebook": "",
                   "runs": [self.cells, reseed(self.cells, self.fresh.seed)], **self.limits}
            try:
                worker = Worker(sandbox=True)
            except WorkerError as e:
                self.problem = str(e)
            else:
                try:
                    self.answer = worker.run(job)
                finally:
                    worker.close()
                if self.answer is None:
                    self.problem = "the grading worker died while running this notebook"
        return nbformat.v4.new_notebook()

    def after_grading(self, results):
        from .compare import expand
        from .grading import grade_submission, question_scores

        results._catastrophic_error = None  # the kernel ran nothing of the student's
        if self.answer is None:
            records, status, reason = [], "invalid" if self.cells is None else "crashed", self.problem
        else:
            run, again = self.answer["runs"]
            records = grade_submission(expand(run["snapshots"]), expand(again["snapshots"]) if again else None,
                                       self.reference, self.fresh) if run["snapshots"] else []
            status, reason = self.answer["status"], self.answer.get("reason", "")
        reveal = self.plugin_config.get("reveal", "hints") if isinstance(self.plugin_config, dict) else "hints"
        by_case = {(r.question, r.check + (" (hidden)" if r.hidden else "")): r for r in records}
        scores = question_scores(records) if records else {}
        for name, test_file in results.results.items():
            test_file.test_case_results = [
                _case_result(tc, by_case.get((name, tc.name)), reason, reveal) for tc in test_file.test_cases
            ]
            test_file.update_score(scores.get(name, 0.0))
        if status != "graded":
            results.set_output(f"{status}: {reason}")
        results.set_plugin_data("SandboxedGrading", {"status": status, "reason": reason,
                                                     "records": [r.to_dict() for r in records]})


def _case_result(test_case, record, reason: str, reveal: str) -> TestCaseResult:
    if record is None:
        return TestCaseResult(test_case=test_case, message=f"❌ not graded: {reason}", passed=False)
    passed = record.passed and record.points >= record.max_points
    if passed and not record.carried_forward:
        return TestCaseResult(test_case=test_case, message="✅ Test case passed", passed=True)
    mark = "✅ Test case passed" if passed else "❌ Test case failed"
    return TestCaseResult(test_case=test_case, message=f"{mark}\n{record.feedback(reveal)}", passed=passed)


def _fallback(path: Path) -> None:
    """What Gradescope shows if grading dies before otter writes its own results."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({
        "score": 0,
        "output": "채점이 끝나지 않았습니다. 조교에게 알려 주세요. / Grading did not finish: please tell your TA.",
        "tests": [],
    }))
