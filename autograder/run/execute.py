"""Run a notebook's code cells in this process and snapshot each question at its check cell.

This is the executor itself, not its isolation: the batch grader calls it inside a fresh,
sandboxed child process, and only the plain-data snapshots leave that process.
Cells go through IPython's input transformation, so `%magic` and `!shell` lines parse;
they are then answered by a stand-in that runs nothing.
"""

from __future__ import annotations

from typing import Any

from autograder.engine.capture import capture
from autograder.engine.raised import CHECK_CALL
from autograder.run.notebook import transform
from autograder.spec.questions import QUESTIONS


class _Shell:
    """Answers get_ipython(): magics and shell escapes do nothing."""

    def run_line_magic(self, *args, **kwargs):
        return None

    def run_cell_magic(self, *args, **kwargs):
        return None

    def system(self, *args, **kwargs):
        return None

    getoutput = system

    def __getattr__(self, name):
        return lambda *a, **k: None


class _Grader:
    """Stands in for otter.Notebook: checks are taken by the executor, exports do nothing."""

    def __getattr__(self, name):
        return lambda *a, **k: None


def is_otter_cell(source: str) -> bool:
    return "import otter" in source or "otter.Notebook(" in source


def run_cells(sources: list[str], on_error=None, on_snapshot=None) -> dict[str, dict[str, Any]]:
    """Execute cells in order; {question: snapshot} taken where each `grader.check` stands.

    Questions whose check cell is missing are snapshotted after the last cell.
    `on_error(index, exc)` hears about each failing cell; execution goes on, as in otter.
    `on_snapshot(question, snapshot)` hears about each snapshot as soon as it is taken.
    """
    shell = _Shell()
    env: dict[str, Any] = {
        "__name__": "__main__", "get_ipython": lambda: shell, "grader": _Grader(), "display": lambda *a, **k: None,
    }
    snapshots: dict[str, dict[str, Any]] = {}
    memo: dict = {}

    def take(question: str) -> None:
        snapshots[question] = capture(env, list(QUESTIONS[question].names), memo)
        if on_snapshot:
            on_snapshot(question, snapshots[question])

    for index, source in enumerate(sources):
        if is_otter_cell(source):
            continue
        checked = [q for q in CHECK_CALL.findall(source) if q in QUESTIONS]
        try:
            exec(compile(transform(source), f"<cell {index}>", "exec"), env)
        except BaseException as exc:  # noqa: BLE001 - a student's cell may raise anything, SystemExit too
            if on_error:
                on_error(index, exc)
        for q in checked:
            take(q)
    for name in QUESTIONS:
        if name not in snapshots:
            take(name)
    return snapshots
