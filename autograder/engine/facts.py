"""What the grader knows about the code behind a graded value, to check a message against it.

A mistake's message may claim things about the student's code ("your code has no `loss4.backward()`",
"zero_grad() sits between backward() and step()") or about the objects it made ("`optmz5` holds
`net2`'s parameters"). Before a way of telling it is said, `Facts.confirm` checks each claim against:
- the graded code: the cells from the previous check cell up to this question's check cell (or the
  cell that last changed the graded model, when the run says which), with the bodies of the
  functions and methods they call, comments and strings left out;
- flags read from the captured objects (spec/mistakes.Says.when).
A claim that cannot be checked (no code is known, as in a student's kernel) does not hold: the
message then falls back to a way that claims nothing about the code (mistakes.Mistake.message).
"""

from __future__ import annotations

import ast
import functools
import io
import re
import tokenize
from dataclasses import dataclass, field
from typing import Callable

from autograder.engine.raised import CHECK_CALL


def _code_only(source: str) -> str:
    """The source without comments and string literals (a call named in a comment is not a call)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return "\n".join(line.split("#", 1)[0] for line in source.splitlines())
    keep = [t for t in tokens if t.type not in (tokenize.COMMENT, tokenize.STRING)]
    return " ".join(t.string for t in keep)


@functools.lru_cache(maxsize=8)
def _definitions(cells: tuple[str, ...]) -> dict[str, list[str]]:
    """{function or method name: the sources of its definitions} across the notebook's cells."""
    out: dict[str, list[str]] = {}
    for source in cells:
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                out.setdefault(node.name, []).append(ast.get_source_segment(source, node) or "")
    return out


def region(cells: list[str], check_cells: dict[str, int], question: str) -> list[int]:
    """The cells a question's check cell sees last: after the check cell before it, up to it."""
    at = check_cells.get(question)
    if at is None:
        return list(range(len(cells)))
    before = max((i for i in check_cells.values() if i < at), default=-1)
    return list(range(before + 1, at + 1))


def graded_code(cells: list[str], indices: list[int]) -> str:
    """The code of these cells and of every function or method they call, transitively."""
    return _graded_code(tuple(cells), tuple(indices))


@functools.lru_cache(maxsize=64)
def _graded_code(cells: tuple[str, ...], indices: tuple[int, ...]) -> str:
    code = "\n".join(_code_only(cells[i]) for i in indices if 0 <= i < len(cells) and not CHECK_CALL.search(cells[i]))
    definitions, seen = _definitions(cells), set()
    while True:
        called = {n for n in re.findall(r"\b(\w+)\s*\(", code) if n in definitions and n not in seen}
        if not called:
            return code
        seen |= called
        code += "\n" + "\n".join(_code_only(d) for n in sorted(called) for d in definitions[n])


@dataclass
class Facts:
    source: Callable[[], str] | None = None  # makes the graded code when a claim needs it; None: not known
    flags: set[str] = field(default_factory=set)
    # makes all the code before the question's check: what a claim that a call is absent is checked against
    before: Callable[[], str] | None = None

    @functools.cached_property
    def code(self) -> str | None:
        return None if self.source is None else self.source()

    @functools.cached_property
    def everything(self) -> str | None:
        return self.code if self.before is None else self.before()

    def has(self, call: str, code: str | None = None) -> bool | None:
        """Whether the graded code calls `call` ("step", or "optmz5.step" on that receiver); None: unknown."""
        code = self.code if code is None else code
        if code is None:
            return None
        receiver, _, name = call.rpartition(".")
        who = rf"\b{re.escape(receiver)}\s*\.\s*" if receiver else r"(?<![\w])"
        return re.search(rf"{who}{re.escape(name)}\s*\(", code) is not None

    def confirm(self, way, fields: dict) -> bool:
        """Every claim of `way` (a mistakes.Says) holds; a claim that cannot be checked does not."""
        def name(pattern: str) -> str:
            return pattern.format_map({k: v for k, v in fields.items() if isinstance(v, str)})

        try:
            calls = [self.has(name(c)) for c in way.calls]
            lacks = [self.has(name(c), self.everything) for c in way.lacks]  # absent from all the code before
        except (KeyError, IndexError, ValueError):
            return False
        return (all(c is True for c in calls) and all(c is False for c in lacks)
                and all(flag in self.flags for flag in way.when))
