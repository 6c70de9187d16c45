"""Where the CPU of a batch goes, part by part: bench/batch_speed.py prints the breakdown.

Each stage times its own parts with a CPU clock (a process's, or a thread's where several threads
share a process) and hands them on with what it produced: a run's parts travel in its RunResult,
the grader's are summed by the scheduler and written to timing.json (`grade --timing`). Timing a
part costs about a microsecond, so it is always on.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator

# a run's parts, as the worker reports them (seconds of CPU)
RUN_PARTS = (
    "fork",           # the template's CPU to fork the run
    "child",          # the run's whole CPU, counted by the kernel (wait4): set-up, cells, capture and exit
    "child_setup",    # in the run, before the first cell: its world, limits, reading the job
    "child_cells",    # the student's cells (parsing them too)
    "child_capture",  # snapshots, the roles' walk, the messages to the worker
    "messages",       # the worker reading, validating and applying the run's messages
    "cleanup",        # the worker ending what the run left: killing, reaping, wiping
    "worker",         # all the worker's CPU for the job (the parts above that are its own, and the rest)
)
CHILD_PARTS = ("setup", "cells", "capture")  # what a run says of itself (untrusted: the bench's split only)


class Parts:
    """Seconds of CPU per named part, summed; safe to share between threads."""

    def __init__(self, clock: Callable[[], float] = time.thread_time):
        self.clock = clock
        self.spent: dict[str, float] = {}
        self._lock = threading.Lock()

    def add(self, name: str, seconds: float) -> None:
        with self._lock:
            self.spent[name] = self.spent.get(name, 0.0) + max(0.0, seconds)

    def merge(self, spent: dict[str, float], prefix: str = "") -> None:
        for name, seconds in spent.items():
            self.add(prefix + name, seconds)

    @contextmanager
    def part(self, name: str) -> Iterator[None]:
        start = self.clock()
        try:
            yield
        finally:
            self.add(name, self.clock() - start)


def timed(parts: Parts | None, name: str):
    """`with timed(parts, "judge"):` times the block where there is a Parts, else does nothing."""
    return parts.part(name) if parts is not None else _NOTHING


class _Nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


_NOTHING = _Nothing()
