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


WIDTH = 100  # the table fits a 100-column terminal
# question -> its column header: short, so that the table fits (the legend under it says what each is)
SHORT = {**{f"method{m}": f"m{m}" for m in range(1, 7)}, "step3": "s3", "step4": "s4", "homework": "hw"}
LEGEND = "m1..m6: method1..6 · s3: step3 (backward) · s4: step4 (update) · hw: homework"


def table(rows: list[tuple[str, list[float | None] | str]], questions: list[str], max_total: float,
          points: dict[str, float] | None = None) -> str:
    """rows: (submission, per-question scores in `questions` order, or an error string). Questions
    worth no points (`points`) are left out; headers are shortened; names are cut so that every line
    is at most WIDTH display columns."""
    keep = [i for i, q in enumerate(questions) if points is None or points.get(q, 1) > 0]
    shown = [SHORT.get(questions[i], questions[i]) for i in keep]
    widths = [max(width(h), 4) for h in shown]
    rest = 2 + 7 + 2 + sum(widths) + 2 * max(len(widths) - 1, 0)
    limit = max(min(MAX_NAME_WIDTH, WIDTH - rest), 10)
    rows = [(clip(name, limit), scores) for name, scores in rows]
    name_w = max([width("submission"), *(width(r[0]) for r in rows)])
    head = f"{ljust('submission', name_w)}  {'total':>7}  " + "  ".join(rjust(h, w) for h, w in zip(shown, widths))
    lines = [head, "-" * width(head)]
    for name, scores in rows:
        if isinstance(scores, str):
            lines.append(f"{ljust(name, name_w)}  {'—':>7}  {clip(scores, max(WIDTH - name_w - 11, 10))}")
            continue
        total = sum(s or 0 for s in scores)
        cells = "  ".join(rjust('—' if scores[i] is None else f'{scores[i]:g}', w) for i, w in zip(keep, widths))
        lines.append(f"{ljust(name, name_w)}  {total:>7g}  {cells}")
    lines.append(f"(max {max_total:g}; {LEGEND})" if any(h != questions[i] for h, i in zip(shown, keep))
                 else f"(max {max_total:g})")
    return "\n".join(lines)
