"""What an otter test case calls inside the student's kernel (grader.check and otter run).

Each call snapshots the question's globals as plain data at the moment its check cell
runs, and keeps the snapshot so later questions can be judged against what the student
had then (the weights before an update, the gradient before zero_grad).
"""

from __future__ import annotations

from typing import Any

SNAPSHOTS: dict[str, dict[str, Any]] = {}


def run_check(question: str, quantity: str, env: dict[str, Any], reference: Any = None) -> None:
    """Raise AssertionError with the bilingual feedback if the check fails. With `reference` (a
    hidden case: the grading side passes it in) the value is judged against it; else publicly."""
    from autograder.engine.capture import capture
    from autograder.engine.grading import grade_quantity
    from autograder.engine.raised import last_in_kernel
    from autograder.spec.questions import QUESTIONS

    spec = QUESTIONS[question]
    SNAPSHOTS[question] = capture(env, list(spec.names))
    record = grade_quantity(spec.quantity(quantity), SNAPSHOTS, reference, raised=last_in_kernel())
    if record.points < record.max_points or not record.passed:
        # otter's cases are pass/fail: partial carried-forward credit cannot be given here
        raise AssertionError(record.feedback())
