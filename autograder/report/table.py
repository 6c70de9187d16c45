"""A plain score table for the terminal: one row per submission, one column per question."""

from __future__ import annotations


def table(rows: list[tuple[str, list[float | None] | str]], questions: list[str], max_total: float) -> str:
    """rows: (submission, per-question scores in `questions` order, or an error string)."""
    name_w = max([len("submission"), *(len(r[0]) for r in rows)])
    widths = [max(len(q), 5) for q in questions]
    head = f"{'submission':<{name_w}}  {'total':>7}  " + "  ".join(f"{q:>{w}}" for q, w in zip(questions, widths))
    lines = [head, "-" * len(head)]
    for name, scores in rows:
        if isinstance(scores, str):
            lines.append(f"{name:<{name_w}}  {'—':>7}  {scores}")
            continue
        total = sum(s or 0 for s in scores)
        cells = "  ".join(f"{'—' if s is None else f'{s:g}':>{w}}" for s, w in zip(scores, widths))
        lines.append(f"{name:<{name_w}}  {total:>7g}  {cells}")
    lines.append(f"(max {max_total:g})")
    return "\n".join(lines)
