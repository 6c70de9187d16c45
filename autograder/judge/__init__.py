"""The one judge: a submission's runs → its records, status, reason and scores.

The batch grader and the otter plugin both call `judge`. It runs in the grading process (or
otter's runner), never in the student's, and it never raises: whatever it is handed, a
submission gets a verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from autograder.judge import loops  # noqa: F401  (the loops' implied values: grading side only)
from autograder.run.protocol import RunResult


@dataclass
class Verdict:
    status: str
    reason: str
    records: list = field(default_factory=list)  # records.Record
    scores: dict[str, float] = field(default_factory=dict)  # question -> points

    @property
    def score(self) -> float:
        return round(sum(self.scores.values()), 6)


def judge(official: RunResult, fresh: RunResult | None, reference: Any, fresh_reference: Any,
          cells: list[str] | None = None) -> Verdict:
    """Grade the official run's snapshots against the reference, verified by the fresh run.

    The status is the official run's; a second run that did not finish turns a graded one into its
    own status, since nothing can then be verified. (A submission that never ran gets its Verdict
    from its caller, which knows why.) `cells`, the official run's code cells, let a value that a
    cell which raised would have made be reported as that cell's error.
    """
    from autograder.engine.compare import expand
    from autograder.engine.grading import grade_submission, question_scores
    from autograder.engine.raised import check_cells, from_run

    status, reason = official.status, official.reason
    if status == "graded" and fresh is not None and fresh.status != "graded":
        status, reason = fresh.status, f"on the second run, on fresh data: {fresh.reason}"
    try:
        if not official.snapshots:
            return Verdict(status, reason)
        raised = from_run(cells, official.errors) if cells else []
        records = grade_submission(expand(official.snapshots), expand(fresh.snapshots) if fresh else None,
                                   reference, fresh_reference, raised, check_cells(cells or []), cells)
        return Verdict(status, reason, records, question_scores(records))
    except Exception as e:  # noqa: BLE001 - a value we did not foresee is that submission's problem only
        return Verdict("crashed", f"the grader could not judge this notebook's values ({type(e).__name__})")
