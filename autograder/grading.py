"""Grade one quantity from snapshots: public checks, then (on the grading side) the reference."""

from __future__ import annotations

from typing import Any

from .checks import Context, readable
from .compare import summary
from .mistakes import message
from .questions import QUESTIONS, Quantity
from .records import Record


def _expected_summary(value: Any) -> Any:
    try:
        import numpy as np

        arr = np.asarray(value, dtype=float)
        return [round(float(v), 6) for v in arr.reshape(-1)] if arr.size <= 4 else f"array shape {arr.shape}"
    except Exception:
        return str(value)


def grade_quantity(
    q: Quantity, snapshots: dict[str, dict[str, Any]], reference: Any | None = None
) -> Record:
    """The public record when `reference` is None, else the hidden one.

    Both start with `readable` (the value exists and has a usable layout); then
    public runs each self-consistency check, hidden compares with the reference. The
    first finding fails the record and names the mistake.
    """
    ctx = Context(snapshots, q.question)
    hidden = reference is not None
    record = Record(
        question=q.question,
        check=q.name,
        points=0.0,
        max_points=float(q.points if hidden else 0),
        passed=False,
        hidden=hidden,
        student=summary(ctx.get(q.path)),
    )
    finding = readable(ctx, q)
    if hidden:
        expected = q.expected(reference)
        record.expected = _expected_summary(expected)
        finding = finding or q.judge(ctx, q, expected)
    else:
        for check in q.public:
            finding = finding or check(ctx, q)
    if finding:
        code, detail = finding
        record.mistake = code
        record.message = message(code, q.name, detail)
        return record
    record.passed = True
    record.points = record.max_points
    return record


def grade_all(snapshots: dict[str, dict[str, Any]], reference: Any) -> list[Record]:
    """Every record of a submission: each quantity's public check, then its hidden one."""
    records = []
    for name, question in QUESTIONS.items():
        for q in question.quantities:
            records.append(grade_quantity(q, snapshots, None))
            records.append(grade_quantity(q, snapshots, reference))
    return records


def question_scores(records: list[Record]) -> dict[str, float]:
    scores = {name: 0.0 for name in QUESTIONS}
    for r in records:
        scores[r.question] += r.points
    return scores
