"""Point a submission at fresh data: the second run, which catches answers typed in as constants.

The data cell (given by the template) seeds torch with the lecture's seed. Every integer
literal equal to that seed, wherever the student moved or reformatted it, is replaced, and so
is any integer passed straight to `manual_seed(...)` (a student who changed the seed does not
escape the second run); strings and comments are left alone.
"""

from __future__ import annotations

import io
import re
import secrets
import tokenize

from autograder.spec.constants import SEED


def fresh_seed() -> int:
    """A seed nobody can know before grading starts."""
    while True:
        seed = secrets.randbelow(900_000_000) + 100_000_000
        if seed != SEED:
            return seed


def _replace(source: str, seed: int) -> tuple[str, int]:
    if str(SEED) not in source and "manual_seed" not in source:  # nothing to replace: no need to tokenize
        return source, 0
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return re.subn(rf"(?<![\w.]){SEED}(?![\w.])|(?<=manual_seed\()\s*\d+", str(seed), source)
    lines = source.splitlines(keepends=True)
    code = [t for t in tokens if t.type not in (tokenize.NL, tokenize.COMMENT)]
    seeded = {i + 2 for i, t in enumerate(code[:-2]) if t.string == "manual_seed" and code[i + 1].string == "("}
    hits = [t for i, t in enumerate(code) if t.type == tokenize.NUMBER and t.string.isdigit()
            and (t.string == str(SEED) or i in seeded)]
    for t in reversed(hits):  # from the end, so earlier positions stay valid
        (row, col), (_, end) = t.start, t.end
        line = lines[row - 1]
        lines[row - 1] = line[:col] + str(seed) + line[end:]
    return "".join(lines), len(hits)


def reseed(cells: list[str], seed: int) -> list[str] | None:
    """The cells with the data seed replaced, or None if the seed is nowhere to be found."""
    out, found = [], 0
    for source in cells:
        new, n = _replace(source, seed)
        out.append(new)
        found += n
    return out if found else None
