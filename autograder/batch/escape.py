"""Student-controlled text (names, file names, type names, error messages, printed output, values),
made inert for each place it goes: one function per format, used everywhere that format is written.

    html(text)       a web page (summary, feedback .html)
    markdown(text)   Markdown as Gradescope, GitHub and Jupyter render it (feedback .md)
    code(text)       the same, inside a `code span`
    cell(value)      a spreadsheet cell (grades.csv, canvas.csv, manual files): never a formula
    terminal(text)   the TA's terminal: no control characters, no escape sequences
    file_stem(text)  a file name we write: letters, digits, . _ -, bounded in bytes

Each also makes the text one line: control, line-breaking and direction-changing characters go.
"""

from __future__ import annotations

import html as _html
import re
import unicodedata
from typing import Any

# C0 and C1 controls (ESC starts every terminal escape sequence), line and paragraph separators,
# zero-width and direction-changing characters (a name that reads backwards)
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]+")


def line(value: Any) -> str:
    """One line of plain text: every unsafe character a space, spaces collapsed."""
    return " ".join(_UNSAFE.sub(" ", str(value)).split())


def html(value: Any) -> str:
    return _html.escape(line(value), quote=True)


# every character CommonMark lets a backslash escape; < and & become entities, so that no raw HTML
# (a tag, an <img> beacon, an autolink <javascript:...>) and no entity survives
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>\"'=:])")


def markdown(value: Any) -> str:
    text = line(value).replace("&", "&amp;").replace("<", "&lt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def code(value: Any) -> str:
    """A code span whose fence is longer than any run of backticks inside it: nothing in it is
    Markdown or HTML."""
    text = line(value)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


MAX_CELL = 1000  # characters of one CSV cell: a name or a reason, never a whole notebook
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_INERT = re.compile(r"-+|[-+]?\d+(\.\d+)?")  # otter's "--", a signed number: nothing a spreadsheet runs


def cell(value: Any) -> Any:
    """A value safe for a spreadsheet: text bounded, and never read as a formula (a leading = + - @,
    tab or CR gets a ' before it, as OWASP advises). Numbers stay numbers."""
    if isinstance(value, bool) or not isinstance(value, str):
        return value
    value = value[:MAX_CELL]
    return "'" + value if value.startswith(_FORMULA) and not _INERT.fullmatch(value) else value


def uncell(value: str) -> str:
    """What cell() was given: the ' it put before a formula character taken off again (a file we
    wrote, read back)."""
    return value[1:] if value.startswith("'") and value[1:].startswith(_FORMULA) else value


def terminal(value: Any) -> str:
    """Text for the terminal: control characters (escape sequences start with one) and
    direction-changing ones shown as ?."""
    return "".join("?" if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in str(value))


STEM_BYTES = 150  # a file name holds 255 bytes: room left for -N, .json, .html and a temporary prefix


def file_stem(value: Any, limit: int = STEM_BYTES) -> str:
    """A name for a file we write: NFC, runs of anything but letters, digits, . _ - as one _, no
    leading or trailing . or _, at most `limit` UTF-8 bytes (cut at a character)."""
    text = re.sub(r"[^\w.-]+", "_", unicodedata.normalize("NFC", str(value))).strip("._")
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore").strip("._")


def unique(base: str, taken) -> str:
    """`base` (a file_stem), or `base-2`, `base-3`, ... : the first not in `taken` (one rule for results'
    and feedback pages' file names)."""
    base = base or "submission"
    stem, n = base, 1
    while stem in taken:
        n += 1
        stem = f"{base}-{n}"
    return stem
