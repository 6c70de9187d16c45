"""A plain score table for the terminal: one row per submission, one column per question.

Columns line up by display width, not by characters: Hangul and other wide characters take two
terminal columns, combining marks none."""

from __future__ import annotations

import unicodedata

from autograder.batch import escape

MAX_NAME_WIDTH = 40  # a longer submission name is cut (with …) so one row cannot push the table apart


def width(text: str) -> int:
    """Terminal columns `text` takes: East Asian wide and fullwidth characters 2, combining marks
    and format characters 0, everything else 1."""
    total = 0
    for c in text:
        if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf"):
            continue
        total += 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1
    return total


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` columns, with … where it was cut; control characters shown as ?."""
    text = escape.terminal(text)
    if width(text) <= limit:
        return text
    out, used = [], 0
    for c in text:
        if used + width(c) > limit - 1:
            break
        out.append(c)
        used += width(c)
    return "".join(out) + "…"


def ljust(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


def rjust(text: str, columns: int) -> str:
    return " " * max(0, columns - width(text)) + text


def table(rows: list[tuple[str, list[float | None] | str]], questions: list[str], max_total: float) -> str:
    """rows: (submission, per-question scores in `questions` order, or an error string)."""
    rows = [(clip(name, MAX_NAME_WIDTH), scores) for name, scores in rows]
    name_w = max([width("submission"), *(width(r[0]) for r in rows)])
    widths = [max(width(q), 5) for q in questions]
    head = f"{ljust('submission', name_w)}  {'total':>7}  " + "  ".join(rjust(q, w) for q, w in zip(questions, widths))
    lines = [head, "-" * width(head)]
    for name, scores in rows:
        if isinstance(scores, str):
            lines.append(f"{ljust(name, name_w)}  {'—':>7}  {clip(scores, 200)}")
            continue
        total = sum(s or 0 for s in scores)
        cells = "  ".join(rjust('—' if s is None else f'{s:g}', w) for s, w in zip(scores, widths))
        lines.append(f"{ljust(name, name_w)}  {total:>7g}  {cells}")
    lines.append(f"(max {max_total:g})")
    return "\n".join(lines)
