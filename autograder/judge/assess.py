"""Assessing one submission: its two runs, then the judge. The one path every grade takes.

    run as written → draw a fresh seed → reseed the data cell → run again → judge both

`run_both` does the runs with any `Runner`: the sandboxed worker (run/pool.Worker) for the batch
grader and the otter plugin, or `InProcess` for tests and trusted notebooks. `assess` adds the
judge. The batch grader calls the two halves on different threads (runs on the workers' slots,
judging on its own thread), the otter plugin and the tests call `assess`; nothing else reseeds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Protocol

from autograder.run.protocol import CellError, Job, RunResult
from autograder.run.timing import Parts, timed
from autograder.spec.questions import QUESTIONS


class Runner(Protocol):
    """Runs jobs; `send` then `receive` lets the caller work while the official run goes on."""

    def send(self, job: Job) -> bool: ...

    def receive(self, job: Job) -> RunResult | None: ...

    def run(self, job: Job) -> RunResult | None: ...


@dataclass(frozen=True)
class Limits:
    timeout: float
    memory_mb: int


@dataclass
class Runs:
    """A submission's runs: as written, and on fresh data (None when there was no second run: the
    seed could not be found, or the official run's worker retired), with the fresh reference."""

    cells: list[str]
    official: RunResult
    fresh: RunResult | None
    fresh_reference: Any  # judge.expected.Reference
    dropped: int = 0  # answers the worker read for other jobs meanwhile (a worker's bookkeeping)

    @property
    def seconds(self) -> float:
        return round(self.official.seconds + (self.fresh.seconds if self.fresh else 0.0), 3)


def run_both(cells: list[str], runner: Runner, limits: Limits, name: str = "submission",
             draw: Callable[[], Any] | None = None, parts: Parts | None = None) -> Runs | None:
    """The official run, then the run on fresh data; None when the runner died. The fresh reference
    is drawn while the official run goes on, so that run can never hold it. `parts` (run/timing.py)
    gets the CPU of drawing the fresh reference and reseeding."""
    from autograder.judge.expected import fresh_reference
    from autograder.run.reseed import reseed

    dropped = getattr(runner, "dropped", 0)
    job = Job(job=name, run=0, cells=cells, timeout=limits.timeout, memory_mb=limits.memory_mb)
    if not runner.send(job):
        return None
    with timed(parts, "fresh"):
        fresh_ref = (draw or fresh_reference)()
    official = runner.receive(job)
    if official is None:
        return None
    with timed(parts, "fresh"):
        again = reseed(cells, fresh_ref.seed)
    fresh = None
    if again is not None and not official.retire:  # a worker that retired runs nothing more
        fresh = runner.run(Job(job=name, run=1, cells=again, timeout=limits.timeout, memory_mb=limits.memory_mb))
        if fresh is None:
            return None
    return Runs(cells, official, fresh, fresh_ref, getattr(runner, "dropped", 0) - dropped)


def judge_runs(runs: Runs, reference: Any | None = None):
    """The judge's verdict on both runs (judge.Verdict)."""
    from autograder.judge import judge
    from autograder.judge.expected import expected_values

    return judge(runs.official, runs.fresh, reference or expected_values(), runs.fresh_reference, runs.cells)


def assess(cells: list[str], runner: Runner, limits: Limits, name: str = "submission",
           draw: Callable[[], Any] | None = None, reference: Any | None = None):
    """The verdict on one submission's cells (judge.Verdict): both runs, then the judge."""
    from autograder.judge import Verdict

    runs = run_both(cells, runner, limits, name, draw)
    if runs is None:
        return Verdict("crashed", "the grading worker died while running this notebook"), None
    return judge_runs(runs, reference), runs


class InProcess:
    """A runner that executes the cells in this process: for tests and trusted notebooks only (no
    sandbox, no limits: the grading side's own examples and corpora)."""

    dropped = 0

    def __init__(self):
        self._pending: Job | None = None

    def send(self, job: Job) -> bool:
        self._pending = job
        return True

    def receive(self, job: Job) -> RunResult | None:
        self._pending = None
        return self.run(job)

    def run(self, job: Job) -> RunResult | None:
        import contextlib
        import io
        import time

        from autograder.run.execute import Skipped, run_cells

        result = RunResult(job=job.job, run=job.run)
        start = time.perf_counter()

        def on_error(index: int, exc: BaseException) -> None:
            result.errors.append(CellError(index, type(exc).__name__, str(exc)[:1000], skipped=type(exc) is Skipped))

        import os
        import tempfile

        here = os.getcwd()
        with tempfile.TemporaryDirectory(prefix="in-process-run-") as folder, \
                contextlib.redirect_stdout(io.StringIO()) as out:
            os.chdir(folder)  # what the notebook writes (%%writefile, open(...)) stays in a folder of its own
            try:
                result.snapshots = run_cells(job.cells, on_error=on_error)
            finally:
                os.chdir(here)
        result.output = out.getvalue()[-10_000:]
        result.seconds = time.perf_counter() - start
        # through the protocol's own validation, as a worker's answer is: the same data reach the judge
        return RunResult.from_json(result.to_json(), frozenset(QUESTIONS))
