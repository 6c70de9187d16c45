"""What an otter test case calls inside the student's kernel (grader.check and otter run).

Each call snapshots the question's globals as plain data at the moment its check cell
runs, and keeps the snapshot so later questions can be judged against what the student
had then (the weights before an update, the gradient before zero_grad).
"""

from __future__ import annotations

from typing import Any

SNAPSHOTS: dict[str, dict[str, Any]] = {}


def run_check(question: str, quantity: str, env: dict[str, Any], hidden: bool = False) -> None:
    """Raise AssertionError with the bilingual feedback if the check fails."""
    from .capture import capture
    from .grading import grade_quantity
    from .questions import QUESTIONS

    spec = QUESTIONS[question]
    SNAPSHOTS[question] = capture(env, list(spec.names))
    expected = None
    if hidden:
        from .expected import expected_values  # grading side only; absent from the student folder

        expected = expected_values()
    record = grade_quantity(spec.quantity(quantity), SNAPSHOTS, expected)
    if record.points < record.max_points or not record.passed:
        # otter's cases are pass/fail: partial carried-forward credit cannot be given here
        raise AssertionError(record.feedback())
