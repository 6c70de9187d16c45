"""Cells that raised: which graded quantity each one would have defined, and what it said.

A value that is missing, or wrong, after a cell that mentions it raised is reported as that
cell's error (`cell_raised`), with the error's type and first line and, where the message shows
it, the cause in words (an integer tensor, float64 against float32, shapes that do not fit).
The grader learns of the cells from the run (the batch worker and the otter plugin pass them);
`grader.check` in the student's kernel learns of the last error IPython kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from autograder.spec.constants import W_INIT

_FLOATS = ", ".join(f"{v:.1f}" for v in W_INIT)  # the initial weights as a student should write them

CHECK_CALL = re.compile(r"""grader\s*\.\s*check\s*\(\s*["']([\w-]+)["']\s*\)""")
MAX_ERROR = 200  # characters of the error's first line that reach a message


@dataclass(frozen=True)
class Raised:
    cell: int  # index among the code cells (-1: unknown, the kernel's last error)
    type: str
    message: str
    source: str
    skipped: bool = False  # not an error: a magic the grader does not run kept the cell from running (message: the magic)

    def mentions(self, names: tuple[str, ...]) -> bool:
        return any(re.search(rf"(?<![\w.]){re.escape(n)}\b", self.source) for n in names if n)

    def follows_a_blank(self, names: tuple[str, ...], value_is_none: bool = False) -> bool:
        """The error only says that something upstream is still blank (`...`), or that one of these
        names was never defined, or (for a value that is itself None, a gradient before backward())
        that a None was used: what is wrong is then reported as what it is, not as this cell's error."""
        if "ellipsis" in self.message or (value_is_none and "'NoneType' object" in self.message):
            return True
        return self.type == "NameError" and any(f"'{n}'" in self.message for n in names if n)

    def makes(self, names: tuple[str, ...]) -> bool:
        """This cell assigns one of these names (or a part of it), or runs backward()/step() on it."""
        return makes(self.source, names)

    def detail(self) -> dict[str, str]:
        """The error quoted whole, or up to a sentence's end, with its cause in words where the message shows it."""
        if self.skipped:
            return {"ko": self.message, "en": self.message}
        text = quote(self.message)
        error = f"“{self.type}: {text}”" if text else f"“{self.type}”"
        cause = _cause(self.message)
        return {"ko": error + (f" — {cause['ko']}." if cause else "."), "en": error + (f" ({cause['en']})." if cause else ".")}


def quote(message: str, limit: int = MAX_ERROR) -> str:
    """An error message on one line, whole when it is short, else cut at the end of a sentence
    (the first one after `limit` characters when none ends before): never in the middle of one."""
    text = " ".join(message.split())
    if len(text) <= limit:
        return text
    ends = [m.end() for m in re.finditer(r"[.!?](?=\s|$)", text)]
    before = [e for e in ends if e <= limit]
    if before:
        return text[:before[-1]]
    return text[:ends[0]] if ends else text


def makes(source: str, names: tuple[str, ...]) -> bool:
    """`source` assigns one of `names` (or an attribute or item of it), or calls backward()/step() on it."""
    for n in filter(None, names):
        name = re.escape(n)
        if re.search(rf"^[ \t]*(?:[\w.]+\s*,\s*)*{name}\b[\w.\[\]]*\s*(?:,\s*[\w.]+\s*)*(?:[-+*/@]?=)(?!=)", source, re.M):
            return True
        if re.search(rf"(?<![\w.]){name}\s*\.\s*(?:backward|step)\s*\(", source):
            return True
    return False


# what an error message shows about its cause -> the cause in words
_CAUSES = [
    (re.compile(r"[Oo]nly Tensors of floating point.*require gradients"),
     {"ko": f"requires_grad=True 에는 실수 텐서가 필요합니다. 초기값을 {_FLOATS} 처럼 소수점을 붙여 쓰세요",
      "en": f"requires_grad=True needs a float tensor: write the initial values with a decimal point, {_FLOATS}"}),
    (re.compile(r"(Long|Int)\b.*\bFloat|Float\b.*\b(Long|Int)|expected .*(Long|Int|Float).* found", re.S),
     {"ko": f"정수 텐서와 실수 텐서를 함께 계산했습니다. 값을 {_FLOATS} 처럼 실수로 쓰세요",
      "en": f"an integer tensor met a float one: write the values as floats, {_FLOATS}"}),
    (re.compile(r"\bDouble\b.*\bFloat\b|\bFloat\b.*\bDouble\b", re.S),
     {"ko": "float64 와 float32 텐서를 함께 계산했습니다. dtype 을 맞추세요 (torch.tensor 는 기본이 float32)",
      "en": "a float64 tensor met a float32 one: make the dtypes match (torch.tensor defaults to float32)"}),
    (re.compile(r"shapes? .*cannot be multiplied|size mismatch|must match the size|Expected size", re.S),
     {"ko": "곱하거나 더하는 두 텐서의 shape 이 맞지 않습니다. 오류 메시지의 shape 을 보세요",
      "en": "the shapes of the two tensors do not fit together: see the shapes in the message"}),
]


def _cause(message: str) -> dict[str, str] | None:
    return next((words for pattern, words in _CAUSES if pattern.search(message)), None)


def check_cells(sources: list[str]) -> dict[str, int]:
    """{question: index of its grader.check cell}."""
    out: dict[str, int] = {}
    for index, source in enumerate(sources):
        for question in CHECK_CALL.findall(source):
            out.setdefault(question, index)
    return out


def from_run(sources: list[str], errors) -> list[Raised]:
    """The run's cell errors (protocol.CellError) with their cells' sources."""
    return [Raised(e.cell, e.type, e.message, sources[e.cell], getattr(e, "skipped", False)) for e in errors
            if 0 <= e.cell < len(sources) and not getattr(e, "memory", False)]


def last_in_kernel() -> list[Raised]:
    """The last error IPython kept in this kernel (sys.last_value), with its cell's source."""
    import linecache
    import sys

    value, tb = getattr(sys, "last_value", None), getattr(sys, "last_traceback", None)
    if value is None or tb is None:
        return []
    filename = tb.tb_frame.f_code.co_filename
    while tb is not None:  # the outermost frame in a cell of this kernel
        name = tb.tb_frame.f_code.co_filename
        if "ipykernel_" in name or name.startswith("<ipython-input"):
            filename = name
            break
        tb = tb.tb_next
    source = "".join(linecache.getlines(filename))
    return [Raised(-1, type(value).__name__, str(value), source)] if source else []
