"""Run a notebook's code cells in this process and snapshot each question at its check cell.

This is the executor itself, not its isolation: the batch grader calls it inside a fresh,
sandboxed child process, and only the plain-data snapshots leave that process.
Cells go through IPython's input transformation, so `%magic` and `!shell` lines parse; a
stand-in shell then runs the cell magics that only observe (%%time, %%capture, %%writefile,
%%timeit -n1 -r1) and `%time`, does nothing for harmless line magics and `!shell` lines, and
reports any other magic, so the feedback can say that its cell did not run.
"""

from __future__ import annotations

from typing import Any

from autograder.engine.capture import capture_question
from autograder.engine.raised import CHECK_CALL
from autograder.engine.roles import Tracker
from autograder.run.notebook import transform
from autograder.run.timing import Parts, timed
from autograder.spec.questions import QUESTIONS

# cell magics that only observe their cell, as Jupyter runs them: the body runs here (once)
OBSERVING = ("time", "capture", "writefile", "timeit")
# line magics and shell lines that change nothing a check reads: they do nothing here, unsaid
HARMLESS = ("matplotlib", "pip", "conda", "load_ext", "config", "env", "who", "whos", "pwd", "ls", "reload_ext",
            "autoreload", "precision", "pylab", "lsmagic", "magic", "history", "pinfo", "cd")


class Skipped(Exception):
    """A magic the grader does not run; reported as the cell's, never as a student's error."""


class _Shell:
    """Answers get_ipython(): observing magics run their code, harmless ones nothing; any other magic
    is reported (`on_skip`) so the feedback says that its cell did not run."""

    def __init__(self, env: dict[str, Any], on_skip):
        self.env, self.on_skip = env, on_skip
        self.user_ns = env

    def _run(self, code: str) -> None:
        exec(compile(transform(code), "<magic>", "exec"), self.env)

    def run_cell_magic(self, name, line="", cell="", *args, **kwargs):
        words = str(line).replace("-n 1", "-n1").replace("-r 1", "-r1").split()
        if name == "timeit" and not ("-n1" in words and "-r1" in words):  # more than one run changes the state
            raise Skipped(f"%%timeit {line}".strip())
        if name not in OBSERVING:
            raise Skipped(f"%%{name}")
        if name == "writefile":
            return self._write(words, str(cell))
        if name == "capture":
            import contextlib
            import io
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                self._run(str(cell))
            target = next((w for w in words if not w.startswith("-")), None)
            if target and target.isidentifier():
                self.env[target] = _Captured(out.getvalue(), err.getvalue())
            return None
        if name == "timeit":  # as IPython runs it: names it binds stay in the timing's own scope
            exec(compile(transform(str(cell)), "<magic>", "exec"), self.env, {})
            return None
        self._run(str(cell))
        return None

    def _write(self, words: list[str], body: str) -> None:
        """%%writefile into the run's own folder (relative paths only)."""
        import os
        append = "-a" in words or "--append" in words
        target = next((w for w in words if not w.startswith("-")), "")
        if not target or os.path.isabs(target) or ".." in target.split("/"):
            raise Skipped(f"%%writefile {target}".strip())
        with open(target, "a" if append else "w", encoding="utf-8") as f:
            f.write(body)

    def run_line_magic(self, name, line="", *args, **kwargs):
        if name == "time":
            self._run(str(line))
        elif name == "timeit" and "-n1" in str(line) and "-r1" in str(line):
            self._run(" ".join(w for w in str(line).split() if w not in ("-n1", "-r1")))
        elif name not in HARMLESS and self.on_skip:
            self.on_skip(f"%{name}")
        return None

    def system(self, *args, **kwargs):
        return None

    getoutput = system

    def __getattr__(self, name):
        return lambda *a, **k: None


class _Captured:
    """What `%%capture name` leaves in `name`."""

    def __init__(self, stdout: str, stderr: str):
        self.stdout, self.stderr, self.outputs = stdout, stderr, []

    def show(self) -> None:
        print(self.stdout, end="")


class _Grader:
    """Stands in for otter.Notebook: checks are taken by the executor, exports do nothing."""

    def __getattr__(self, name):
        return lambda *a, **k: None


def is_otter_cell(source: str) -> bool:
    return "import otter" in source or "otter.Notebook(" in source


def run_cells(sources: list[str], on_error=None, on_snapshot=None, parts: Parts | None = None) -> dict[str, dict[str, Any]]:
    """Execute cells in order; {question: snapshot} taken where each `grader.check` stands.

    Questions whose check cell is missing are snapshotted after the last cell.
    `on_error(index, exc)` hears about each failing cell, and about each cell a magic kept from
    running (exc is then `Skipped`); execution goes on, as in otter.
    `on_snapshot(question, snapshot)` hears about each snapshot as soon as it is taken.
    `parts` (run/timing.py), if given, gets the CPU of the cells and of the capture apart.
    """
    env: dict[str, Any] = {"__name__": "__main__", "grader": _Grader(), "display": lambda *a, **k: None}
    current = {"cell": -1}

    def skipped(what: str) -> None:
        if on_error:
            on_error(current["cell"], Skipped(what))

    shell = _Shell(env, skipped)
    env["get_ipython"] = lambda: shell
    snapshots: dict[str, dict[str, Any]] = {}
    memo: dict = {}
    tracker = Tracker()

    def take(question: str, index: int) -> None:
        with timed(parts, "capture"):
            snapshots[question] = capture_question(question, env, tracker, index, memo)
            if on_snapshot:
                on_snapshot(question, snapshots[question])

    try:
        _run(sources, env, current, tracker, take, on_error, parts)
    finally:
        tracker.close()
    for name in QUESTIONS:
        if name not in snapshots:
            take(name, len(sources))
    return snapshots


def _run(sources: list[str], env: dict, current: dict, tracker: Tracker, take, on_error, parts: Parts | None) -> None:
    for index, source in enumerate(sources):
        if is_otter_cell(source):
            continue
        current["cell"] = index
        checked = [q for q in CHECK_CALL.findall(source) if q in QUESTIONS]
        with timed(parts, "cells"):
            try:
                exec(compile(transform(source), f"<cell {index}>", "exec"), env)
            except BaseException as exc:  # noqa: BLE001 - a student's cell may raise anything, SystemExit too
                if on_error:
                    on_error(index, exc)
        with timed(parts, "capture"):
            try:
                tracker.after_cell(env, index)
            except BaseException:  # noqa: BLE001 - a broken object: the roles fall back to the template's names
                pass
        for q in checked:
            take(q, index)
