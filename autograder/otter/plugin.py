"""Otter plugin: on Gradescope (and `otter run`), grade as the batch grader does.

otter_config.json names it: "plugins": ["autograder.otter.plugin.SandboxedGrading"] (or, with
limits, [{"autograder.otter.plugin.SandboxedGrading": {"timeout": 60, "memory_mb": 1024}}]).

    before_grading    nothing of the student's has run yet: read the submission's cells, start the
                      worker (it warms up meanwhile), compute the expected values, write a fallback
                      results.json, take the reference off the disk, and close the autograder's
                      folders to other users
    before_execution  start the runs in the worker, in the background, with a wall-clock and memory
                      limit: the official run, then (only after it ended) the run on fresh data, each
                      in a child of its own; sandboxed where bubblewrap works, else, when otter runs
                      as root (Gradescope), as an unprivileged user. Otter's own kernel is handed an
                      empty notebook and runs meanwhile; its test cases only fail closed
    after_grading     wait for the runs, judge.judge their plain data here, in the runner process, and
                      write every test case's result, message and score over what otter's kernel reported
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import threading
from pathlib import Path

import nbformat
from otter.plugins import AbstractOtterPlugin
from otter.test_files.abstract_test import TestCaseResult

PLUGIN_NAME = "autograder.otter.plugin.SandboxedGrading"  # as otter_config.json names it
LIMITS = {"timeout": 120.0, "memory_mb": 2048}
# When Gradescope shows students each question's result and messages: the plugin's "visibility"
# in otter_config.json, one of these (Gradescope's own words); the default shows them once published.
VISIBILITIES = ("hidden", "after_published", "visible")
DEFAULT_VISIBILITY = "after_published"
CHILD_UID = 61000  # the unprivileged user student code runs as when otter runs as root without a sandbox
FALLBACK = "채점이 끝나지 않았습니다. 조교에게 알려 주세요. / Grading did not finish: please tell your TA."


def visibility(plugin_config) -> str:
    """The plugin's "visibility" setting, checked (gradescope.main applies it to every scored test)."""
    chosen = plugin_config.get("visibility", DEFAULT_VISIBILITY) if isinstance(plugin_config, dict) else DEFAULT_VISIBILITY
    if chosen not in VISIBILITIES:
        raise ValueError(f"otter_config.json: the plugin's visibility must be one of {VISIBILITIES}, not {chosen!r}")
    return chosen


class SandboxedGrading(AbstractOtterPlugin):
    def before_grading(self, config):
        from autograder.run.notebook import InvalidNotebook, code_cells
        from autograder.run.pool import Worker, WorkerError

        submission = Path(os.getcwd())  # otter runs plugins in the submission folder
        sys.path.insert(0, str(submission))  # otter copied solutions/ here
        config.show_hidden = visibility(self.plugin_config) != "hidden"  # otter then writes after_published
        self.limits = {k: v for k, v in {**LIMITS, **(self.plugin_config or {})}.items() if k in LIMITS}
        self.problem, self.cells, self.runs, self.worker, self.running = "", None, None, None, None
        try:
            self.cells = code_cells(Path(self.submission_path).read_bytes())
        except (InvalidNotebook, OSError) as e:
            self.problem = str(e)
        if self.cells is not None:
            try:  # it imports torch while the reference is computed here; no run starts before the secrets are gone
                self.worker = Worker(sandbox=True, child_uid=CHILD_UID if os.geteuid() == 0 else None)
            except WorkerError as e:
                self.problem = str(e)
        from autograder.judge import assess  # noqa: F401  (loaded now: the judge's folder is removed below)
        from autograder.judge.expected import computed, expected_values

        self.reference = computed(expected_values())
        root = submission.parent
        write_results(root / "results" / "results.json", FALLBACK)
        for path in (submission / "solutions", root / "source" / "files" / "solutions",
                     submission / "autograder" / "judge", root / "source" / "files" / "autograder" / "judge"):
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
        if os.geteuid() == 0:  # student code runs as CHILD_UID: none of this is theirs to read or write
            for path in (root / "source", root / "results", root / "submission", submission):
                if path.exists():
                    os.chmod(path, 0o700)

    def before_execution(self, submission):
        if self.worker is not None:  # runs while otter's kernel runs its (empty) notebook
            self.running = threading.Thread(target=self._run_both, daemon=True)
            self.running.start()
        return nbformat.v4.new_notebook()

    def _run_both(self) -> None:
        from autograder.judge.assess import Limits, run_both
        from autograder.run.pool import NotStarted, WorkerError

        worker = self.worker
        try:
            self.runs = run_both(self.cells, worker, Limits(**self.limits))
            if self.runs is None:
                self.problem = "the grading worker died while running this notebook"
        except WorkerError as e:
            self.problem = str(e)
        except NotStarted:
            self.problem = "the grading worker died before running this notebook"
        except Exception as e:  # noqa: BLE001 - reported as a crash of this submission, never a score
            self.problem = f"grading failed ({type(e).__name__})"
        finally:
            worker.close()

    def after_grading(self, results):
        from autograder.judge import Verdict
        from autograder.judge.assess import judge_runs

        results._catastrophic_error = None  # the kernel ran nothing of the student's
        if self.running is not None:
            self.running.join()  # the worker's own time limits end it
        if self.cells is None:
            verdict = Verdict("invalid", self.problem)
        elif self.runs is None or self.problem:
            verdict = Verdict("crashed", self.problem or "the notebook did not run")
        else:
            verdict = judge_runs(self.runs, self.reference)
        reveal = self.plugin_config.get("reveal", "hints") if isinstance(self.plugin_config, dict) else "hints"
        by_case = {(r.question, r.check + (" (hidden)" if r.hidden else "")): r for r in verdict.records}
        for name, test_file in results.results.items():
            test_file.test_case_results = [
                _case_result(tc, by_case.get((name, tc.name)), verdict.reason, reveal) for tc in test_file.test_cases
            ]
            test_file.update_score(verdict.scores.get(name, 0.0))
        if verdict.status != "graded":
            results.set_output(f"{verdict.status}: {verdict.reason}")
        results.set_plugin_data("SandboxedGrading", {"status": verdict.status, "reason": verdict.reason,
                                                     "records": [r.to_dict() for r in verdict.records]})


def _case_result(test_case, record, reason: str, reveal: str) -> TestCaseResult:
    if record is None:
        return TestCaseResult(test_case=test_case, message=f"❌ not graded: {reason}", passed=False)
    passed = record.passed and record.points >= record.max_points
    if passed and not record.carried_forward:
        return TestCaseResult(test_case=test_case, message="✅ Test case passed", passed=True)
    mark = "✅ Test case passed" if passed else "❌ Test case failed"
    return TestCaseResult(test_case=test_case, message=f"{mark}\n{record.feedback(reveal)}", passed=passed)


def write_results(path: Path, output: str) -> None:
    """A results.json worth 0 that says why: what Gradescope shows if grading cannot go on."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"score": 0, "output": output, "tests": []}, ensure_ascii=False))
