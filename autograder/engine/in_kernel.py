"""What an otter test case calls inside the student's kernel (grader.check and otter run).

Each call snapshots the question's globals as plain data at the moment its check cell
runs, and keeps the snapshot so later questions can be judged against what the student
had then (the weights before an update, the gradient before zero_grad).
"""

from __future__ import annotations

from typing import Any

SNAPSHOTS: dict[str, dict[str, Any]] = {}
_ROLES: dict[str, Any] = {}  # the kernel's roles.Tracker and how many checks it has seen


def _snapshot(question: str, env: dict[str, Any]) -> dict[str, Any]:
    """The question's names, those found by their role (engine/roles.py) included. In a kernel the
    tracker sees the models at each check, not after each cell: a question's part is what changed
    since the previous question's check."""
    from autograder.engine.capture import capture_question
    from autograder.engine.roles import Tracker

    tracker = _ROLES.setdefault("tracker", Tracker())
    index = _ROLES["checks"] = _ROLES.get("checks", 0) + 1
    try:
        tracker.after_cell(env, index)
    except BaseException:  # noqa: BLE001 - a broken object: the template's names, as before
        pass
    return capture_question(question, env, tracker, index)


def run_check(question: str, quantity: str, env: dict[str, Any], reference: Any = None) -> None:
    """Raise AssertionError with the bilingual feedback if the check fails. With `reference` (a
    hidden case: the grading side passes it in) the value is judged against it; else publicly."""
    from autograder.engine.grading import grade_quantity
    from autograder.engine.raised import last_in_kernel
    from autograder.spec.questions import QUESTIONS

    spec = QUESTIONS[question]
    SNAPSHOTS[question] = _snapshot(question, env)
    record = grade_quantity(spec.quantity(quantity), SNAPSHOTS, reference, raised=last_in_kernel())
    if record.points < record.max_points or not record.passed:
        # otter's cases are pass/fail: partial carried-forward credit cannot be given here
        raise AssertionError(record.feedback())
