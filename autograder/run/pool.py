"""The grader's side of a worker: start one (sandboxed), send it runs, take back validated results.

The worker itself (run/worker.py) runs inside the sandbox; this module runs in the grading process
(the batch grader, or otter's runner through the plugin).
"""

from __future__ import annotations

import atexit
import json
import os
import queue
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from autograder.run.protocol import Job, ProtocolError, RunResult
from autograder.run.sandbox import worker_command
from autograder.run.timing import Parts

PACKAGE_ROOT = Path(__file__).resolve().parents[2]


_SPAWN: queue.Queue = queue.Queue()


def _spawner() -> None:
    while True:
        make, done = _SPAWN.get()
        try:
            done.put((make(), None))
        except BaseException as e:  # noqa: BLE001 - handed back to the caller
            done.put((None, e))


_SPAWNER = threading.Thread(target=_spawner, daemon=True, name="autograder-spawner")
_SPAWNER_LOCK = threading.Lock()


def _spawn(make):
    """Start a worker's process from one thread that lives as long as this process. bubblewrap's
    --die-with-parent is PR_SET_PDEATHSIG, which fires when the *thread* that started it ends: a
    worker started by a grading thread that finished first (a slot's lane, a restart after a
    retired worker) would be killed under the run of the thread still using it."""
    with _SPAWNER_LOCK:
        if not _SPAWNER.is_alive():
            _SPAWNER.start()
    done: queue.Queue = queue.Queue()
    _SPAWN.put((make, done))
    proc, error = done.get()
    if error is not None:
        raise error
    return proc


class NotStarted(RuntimeError):
    """A run queued on a worker that ended (or retired) before it began it: run it on another."""


class WorkerError(RuntimeError):
    """A worker could not start: nothing can be graded, so the batch stops with this message."""


class Worker:
    """One warm worker process, talking protocol lines over its stdin/stdout.

    It starts on construction and warms up (imports torch) in the background; `ready()` waits for it.
    `child_uid`: outside a sandbox, run the children under this unprivileged uid (the worker must be root).
    """

    def __init__(self, sandbox: bool, child_uid: int | None = None, scratch: Path | None = None, confine: bool = True):
        from autograder.spec.questions import QUESTIONS

        self.key = _key(sandbox, child_uid, scratch, confine)
        self.owed = 0  # runs sent whose answer has not been taken: such a worker is never kept
        self.questions = frozenset(QUESTIONS)
        cmd, self.sandboxed = worker_command(sandbox)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(PACKAGE_ROOT), os.environ.get("PYTHONPATH", "")]))
        if child_uid is not None and not self.sandboxed:  # in the sandbox the worker has no capability to change uid
            env["AUTOGRADER_CHILD_UID"] = str(child_uid)
        if scratch is not None:
            env["TMPDIR"] = str(scratch)
        if not confine:  # tests' positive controls: the attack must win without the per-run world
            env["AUTOGRADER_CONFINE"] = "0"
        self.errors = tempfile.TemporaryFile(mode="w+")
        self.proc = _spawn(lambda: subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                                    stderr=self.errors, env=env, cwd=PACKAGE_ROOT,
                                                    start_new_session=True))
        self.lines: queue.Queue = queue.Queue()  # the worker's first line (ready), or None
        # jobs sent and not yet answered, in the order the worker runs them; answers by job
        self.cond = threading.Condition()
        self.pending: list[tuple[str, int]] = []
        self.answers: dict[tuple[str, int], RunResult] = {}
        self.unstarted: set[tuple[str, int]] = set()  # sent, but the worker ended before it began them
        self.ended = False
        self.dropped = 0  # answers that were not for the job asked (forged, stale) or not valid
        self.retired = False  # it said it is not fit for another run: the grader starts a fresh one
        self.confined, self.why_not_confined = False, ""
        self.warm_up = 0.0  # CPU seconds the worker took to warm up (its word)
        self.parts = Parts()  # this process's CPU on the worker's answers (validating them)
        threading.Thread(target=self._pump, daemon=True).start()
        self._ready = False

    def _pump(self) -> None:
        """Read the worker's stdout: its first line (ready) into a queue for ready(), then each answer,
        validated, to the job that waits for it (receive). The end of its output ends every wait."""
        first = True
        try:
            for line in iter(lambda: self.proc.stdout.readline(1 << 26), b""):
                if first:
                    self.lines.put(line)
                    first = False
                else:
                    self._route(line)
        except (OSError, ValueError):
            pass
        if first:
            self.lines.put(None)
        with self.cond:
            # the job at the head of the queue was running, unless the worker retired before it;
            # the jobs behind it never started
            self.unstarted |= set(self.pending[0 if self.retired else 1:])
            self.ended = True
            self.cond.notify_all()

    def _route(self, line: bytes) -> None:
        try:
            with self.parts.part("validate"):
                answer = RunResult.from_json(line, self.questions)
        except (ProtocolError, ValueError, TypeError):
            with self.cond:
                self.dropped += 1  # not a valid answer: never anyone's result, and no one's crash
            return
        key = (answer.job, answer.run)
        with self.cond:
            if key not in self.pending:
                self.dropped += 1  # not a job we asked for (forged, stale): never anyone's result
                return
            self.pending.remove(key)
            self.answers[key] = answer
            self.retired = self.retired or answer.retire
            self.cond.notify_all()

    def ready(self) -> "Worker":
        if not self._ready:
            try:
                answer = self.lines.get(timeout=120)
            except queue.Empty:
                answer = None
            try:
                said = json.loads(answer) if answer else {}
            except ValueError:
                said = {}
            if not isinstance(said, dict) or said.get("ready") is not True:
                self.close(keep_errors=True)
                self.errors.seek(0)
                said = self.errors.read()[-2000:]
                self.errors.close()
                raise WorkerError("a grading worker failed to start:\n" + said)
            self._ready = True
            self.confined = said.get("confined") is True
            self.why_not_confined = str(said.get("why", ""))[:300]
            warm = said.get("warm_up")
            self.warm_up = float(warm) if isinstance(warm, (int, float)) and 0 <= warm < 3600 else 0.0
        return self

    def run(self, job: Job) -> RunResult | None:
        """The run's result, or None if the worker itself died or stopped answering."""
        return self.receive(job) if self.send(job) else None

    def send(self, job: Job) -> bool:
        """Queue a run; the worker runs its jobs one after another, so a caller may send the next
        while one runs. NotStarted if the worker has ended, retired or been closed: the run never began."""
        self.ready()
        key = (job.job, job.run)
        with self.cond:
            if self.ended or self.retired:
                raise NotStarted("the worker retired before this run")
            self.owed += 1
            self.pending.append(key)
        try:
            self.proc.stdin.write((job.to_json() + "\n").encode())
            self.proc.stdin.flush()
        except (OSError, ValueError):  # a broken pipe (it died), or its input closed (it was closed)
            with self.cond:
                if key in self.pending:
                    self.pending.remove(key)
                    self.owed -= 1
            raise NotStarted("the worker was gone before this run") from None
        return True

    def receive(self, job: Job) -> RunResult | None:
        """The result of the run `send` queued; None if the worker died or stopped answering while it
        ran, NotStarted if it ended before it began this run. The time limit counts from its start
        (when the runs queued before it have been answered)."""
        key = (job.job, job.run)
        deadline = None
        with self.cond:
            while key not in self.answers and not self.ended:
                now = time.monotonic()
                if self.pending and self.pending[0] == key:
                    deadline = deadline or now + job.timeout + 60
                    if now >= deadline:
                        return None
                self.cond.wait(0.5 if deadline is None else min(0.5, deadline - now))
            if key in self.answers:
                self.owed -= 1
                return self.answers.pop(key)
            if key in self.unstarted:
                raise NotStarted("the worker ended before this run began")
            return None

    def close(self, keep_errors: bool = False) -> None:
        """End of input lets the worker clean up its folder; one that does not go at once is killed."""
        try:
            self.proc.stdin.close()
            self.proc.wait(2)
        except Exception:
            pass
        try:
            self.proc.kill()
            self.proc.wait(10)
        except Exception:
            pass
        if not keep_errors and not self.errors.closed:
            self.errors.close()


# Warm workers kept for the next grade() call in this process (Options.keep_workers): a TA's
# notebook or a test suite that grades folder after folder warms torch once per worker, not once
# per call. A kept worker is in the state it is in between two submissions of one batch: no child,
# everything writable wiped. Only a live worker that owes no answer is kept.
_KEPT: dict[tuple, list[Worker]] = {}
_KEPT_LOCK = threading.Lock()


def _key(sandbox: bool, child_uid: int | None, scratch: Path | None, confine: bool) -> tuple:
    """Workers are interchangeable when they were started alike (inside the sandbox, TMPDIR is its own /tmp)."""
    return (sandbox, child_uid, None if sandbox else str(scratch), confine)


def start(sandbox: bool, child_uid: int | None = None, scratch: Path | None = None, reuse: bool = False,
          confine: bool = True) -> Worker:
    """A kept worker started alike, when `reuse` and there is one; else a new one."""
    if reuse:
        with _KEPT_LOCK:
            kept = _KEPT.get(_key(sandbox, child_uid, scratch, confine), [])
            while kept:
                worker = kept.pop()
                if worker.proc.poll() is None:
                    return worker
                worker.close()
    return Worker(sandbox, child_uid, scratch, confine)


def keep(worker: Worker) -> None:
    """Keep a worker for a later start(reuse=True), or close it if it is not fit to serve again."""
    if (worker.proc.poll() is not None or worker.owed or worker.retired or worker.answers or worker.ended
            or worker.proc.stdin.closed):
        worker.close()
        return
    with _KEPT_LOCK:
        _KEPT.setdefault(worker.key, []).append(worker)


@atexit.register
def close_kept() -> None:
    with _KEPT_LOCK:
        workers = [w for kept in _KEPT.values() for w in kept]
        _KEPT.clear()
    for worker in workers:
        worker.close()
