"""Grade a whole class: `python -m autograder grade PATH... --out DIR`.

    submissions.collect → one warm worker per job slot (run/pool.py, run/worker.py, in run/sandbox.py)
      → two runs per submission (as written, on fresh data) → plain-data snapshots
      → judge.judge against the reference → results/*.json → grades.csv

Student code runs only in the workers' children; this process reads their plain-data
snapshots and judges them. Every submission gets a result, whatever its code does.
"""

from __future__ import annotations

import json
import os
import queue
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from autograder.batch import escape
from autograder.batch.manual import MANUAL, ManualError, written_answers
from autograder.batch.manual import update as update_manual
from autograder.batch.results import STATUSES, Result, load_results, write_atomic, write_grades_csv, write_otter_csv, write_result
from autograder.batch.submissions import Submission, collect, unique_stems
from autograder.judge import Verdict
from autograder.judge.assess import Limits, Runs, judge_runs, run_both
from autograder.run.notebook import InvalidNotebook, code_cells
from autograder.run.pool import NotStarted, Worker, WorkerError, keep, start
from autograder.run.sandbox import NO_SANDBOX, bwrap_problem
from autograder.run.timing import Parts


@dataclass
class Options:
    jobs: int = os.cpu_count() or 1
    timeout: float = 60.0
    memory_mb: int = 2048
    force: bool = False
    otter_csv: bool = False
    sandbox: bool = True
    scratch: Path | None = None  # where the workers make scratch folders (default: the system's temp dir)
    keep_workers: bool = False  # keep the warm workers for the next grade() call in this process (run/pool.keep)
    confine: bool = True  # each run in a world of its own (run/confine.py); False only for tests' positive controls
    late: Any = None  # batch/manual.LatePolicy: the deduction for late work (none by default)
    timing: bool = False  # write timing.json: the batch's CPU part by part (run/timing.py)


def _result_of(sub: Submission, verdict: Verdict, runs: Runs | None = None) -> Result:
    """The submission's Result: who and what it is, the judge's verdict and, when it ran, its runs."""
    from autograder.spec.questions import QUESTIONS, total_points

    ran = {}
    if runs is not None:
        ran = dict(cell_errors=tuple(vars(e) for e in runs.official.errors), output=runs.official.output,
                   seconds=runs.seconds, fresh_seed=runs.fresh_reference.seed, dropped_answers=runs.dropped)
    return Result(
        submission=sub.stem, file=sub.source, file_name=sub.file_name, student=sub.student,
        student_id=sub.student_id, members=tuple(dict(m) for m in sub.members), group=sub.group,
        canvas=dict(sub.canvas), sha256=sub.sha256, status=verdict.status,
        reason="; ".join(filter(None, (verdict.reason, sub.note, sub.doubt))), identity_doubt=sub.doubt,
        score=verdict.score, max_score=total_points(), questions={q: verdict.scores.get(q, 0.0) for q in QUESTIONS},
        records=tuple(verdict.records), answers=dict(sub.answers), **ran)


def identity(result: Result) -> tuple[str, str, str]:
    """Who a result belongs to: where it came from, whose it is, and what it held."""
    return result.file, result.student, result.sha256


@dataclass
class Progress:
    total: int
    stream: Any = field(default_factory=lambda: sys.stderr)
    done: int = 0
    started: float = field(default_factory=time.monotonic)
    lock: Any = field(default_factory=threading.Lock)  # the spinner and the updates write one line

    def spin(self) -> None:
        """On a terminal, a spinner until the first result: workers take seconds to warm up."""
        if not self.stream.isatty():
            return

        def run() -> None:
            frames = "|/-\\"
            i = 0
            while True:
                with self.lock:
                    if self.done:
                        return
                    self.stream.write(f"\r{frames[i % 4]} 채점 준비 중 / warming up the workers "
                                      f"{time.monotonic() - self.started:3.0f} s")
                    self.stream.flush()
                i += 1
                time.sleep(0.2)

        threading.Thread(target=run, daemon=True).start()

    def update(self, result: Result) -> None:
        with self.lock:
            self._update(result)

    def _update(self, result: Result) -> None:
        self.done += 1
        elapsed = time.monotonic() - self.started
        eta = elapsed / self.done * (self.total - self.done)
        if self.stream.isatty():
            width = 30
            filled = int(width * self.done / max(self.total, 1))
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}  "
                              f"ETA {eta:4.0f} s  {result.submission[:30]:<30}")
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"[{self.done}/{self.total}] {result.submission}: {result.status} "
                              f"{result.score:g}/{result.max_score:g}\n")
        self.stream.flush()


def grade(paths: list[str], out: Path, options: Options, log: Callable[[str], None] = print,
          submissions: list[Submission] | None = None) -> dict[str, Any]:
    """Grade everything under `paths` into `out`; returns the summary. Ctrl-C keeps what is done.
    `submissions`: what collect(paths) already found (the CLI counts them first), not read again."""
    if submissions is None:
        submissions = collect(paths)  # InputError before any work
    if options.sandbox and bwrap_problem():
        raise WorkerError(f"{NO_SANDBOX}\n({bwrap_problem()})")
    out.mkdir(parents=True, exist_ok=True)
    todo = _plan(submissions, out, options, log)
    scheduler = Scheduler(todo, out, options, log)
    interrupted = scheduler.run()
    summary = _wrap_up(submissions, out, options, log, interrupted, scheduler.start_failures)
    if options.timing:
        write_atomic(out / "timing.json", json.dumps(scheduler.timing(), indent=1))
    return summary


def _started_at() -> float:
    """When this process started, on the boot clock (the kernel's start time of it, in /proc/self/stat)."""
    try:
        with open("/proc/self/stat", "rb") as f:
            ticks = int(f.read().rsplit(b")", 1)[1].split()[19])
        return ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.clock_gettime(time.CLOCK_BOOTTIME)


_STARTED_AT = _started_at()


def _since_start() -> float:
    """Seconds since this process started (timing.json's marks)."""
    return round(time.clock_gettime(time.CLOCK_BOOTTIME) - _STARTED_AT, 3)


def _plan(submissions: list[Submission], out: Path, options: Options, log: Callable[[str], None]) -> list[Submission]:
    """What to grade, given the results already in `out` (resume): says what it skips, replaces and adds."""
    refused: list[str] = []
    before = load_results(out, refused)
    for line in refused:
        log(escape.terminal(f"ignored in {out / 'results'} (not a result this grader wrote): {line}"))
    # a stem is this output folder's key for a submission: the same file of the same student gets
    # its earlier result's stem (and replaces it); anyone else's never does
    unique_stems(submissions, {r.submission: identity(r)[:2] for r in before})
    graded_before = {identity(r): r.submission for r in before}
    known = {identity(r)[:2] for r in before}
    todo = [s for s in submissions
            if options.force or graded_before.get((s.source, s.student, s.sha256)) != s.stem]
    skipped = len(submissions) - len(todo)
    replaced = sum((s.source, s.student) in known for s in todo)
    if skipped:
        log(f"{skipped} submission(s) already graded in {out} (same file, student and content): skipped; "
            "--force grades them again")
    if replaced:
        log(f"{replaced} submission(s) graded before in {out} (same file and student) are graded again: their rows are replaced")
    if len(todo) - replaced and before:
        log(f"{len(todo) - replaced} submission(s) new to {out}: added beside the {len(before)} already there")
    return todo


class Scheduler:
    """Runs submissions on `jobs` slots, each with a warm worker, and judges them on a thread of its
    own while the slots go on; writes each result as soon as it is known."""

    def __init__(self, todo: list[Submission], out: Path, options: Options, log: Callable[[str], None]):
        self.out, self.options, self.log = out, options, log
        self.slots = max(1, min(options.jobs, len(todo) or 1))
        self.progress = Progress(len(todo))
        if todo:
            self.progress.spin()
        self.spare: queue.Queue = queue.Queue()
        self.marks: dict[str, float] = {"workers_started": _since_start()}  # when things happened (timing.json)
        # one worker warms up while torch is imported here and the reference computed; the other slots
        # start theirs when that is done, so the first worker and this process each have a core: the
        # first result comes sooner, and no core idles (the warm-ups are all CPU)
        if todo:
            self.spare.put(self._start())
        from autograder.judge.expected import computed, expected_values  # imports torch: seconds

        self.reference = computed(expected_values())
        self.marks["reference"] = _since_start()
        self.limits = Limits(timeout=options.timeout, memory_mb=options.memory_mb)
        self.jobs: queue.Queue = queue.Queue()
        for sub in todo:
            self.jobs.put(sub)
        self.judged: queue.Queue = queue.Queue()  # the workers go on to the next notebook while this one is judged
        self.lock, self.stop, self.warned = threading.Lock(), threading.Event(), threading.Event()
        self.live: list[Worker] = []
        self.start_failures: list[str] = []
        self.parts = Parts()  # this process's CPU per part (each thread's own clock)
        self.runs = Parts()  # the runs' parts, as their workers report them
        self.warm_up = Parts()  # the workers' warm-up
        self.started = time.process_time()  # the grader's CPU so far: start-up, the reference

    def run(self) -> bool:
        """Grade every submission; True when Ctrl-C cut it short (what finished is kept)."""
        threads = [threading.Thread(target=self._slot, daemon=True) for _ in range(self.slots)]
        judge_thread = threading.Thread(target=self._judge_all, daemon=True)
        judge_thread.start()
        interrupted = False
        try:
            for t in threads:
                t.start()
            for t in threads:
                while t.is_alive():
                    t.join(0.2)
        except KeyboardInterrupt:
            interrupted = True
            self.stop.set()
            for w in list(self.live):
                w.close()
            self.log("\ninterrupted: keeping every result finished so far; run the same command again to go on")
            for t in threads:  # their workers are gone, so they end at once; none may die inside torch at exit
                t.join(30)
        self.judged.put(None)
        while judge_thread.is_alive():  # what ran to the end is judged and written, even after Ctrl-C
            judge_thread.join(0.2)
        while not self.spare.empty():
            self._done_with(self.spare.get_nowait())
        return interrupted

    def _start(self) -> Worker:
        o = self.options
        return start(o.sandbox, scratch=o.scratch, reuse=o.keep_workers, confine=o.confine)

    def _finish(self, result: Result) -> None:
        self.marks.setdefault("first_result", _since_start())
        self.marks["last_result"] = _since_start()
        with self.parts.part("write"):
            write_result(self.out, result)
            with self.lock:
                self.progress.update(result)

    def _done_with(self, worker: Worker) -> None:
        self._count(worker)
        keep(worker) if self.options.keep_workers and not self.stop.is_set() else worker.close()

    def _close(self, worker: Worker) -> None:
        self._count(worker)
        worker.close()

    def _count(self, worker: Worker) -> None:
        """Add what the grader spent on this worker's answers, and its warm-up, to the batch's timing."""
        self.parts.merge(worker.parts.spent)
        self.warm_up.add("workers", worker.warm_up)
        worker.parts, worker.warm_up = Parts(), 0.0  # a kept worker's next batch counts afresh

    def timing(self) -> dict[str, Any]:
        """CPU seconds per part of this batch (run/timing.py), for bench/batch_speed.py's breakdown."""
        return {"seconds": {**self.marks, "end": _since_start()}, "grader_start_up": self.started, "grader_total": time.process_time(),
                "workers_warm_up": self.warm_up.spent.get("workers", 0.0), "grader": dict(self.parts.spent),
                "runs": dict(self.runs.spent), "runs_count": int(self.runs.spent.get("count", 0))}

    def _judge_all(self) -> None:
        """The judge's thread: each submission's runs → its verdict → its result file."""
        while True:
            item = self.judged.get()
            if item is None:
                return
            sub, runs = item
            for run in (runs.official, runs.fresh):
                if run is not None:
                    self.runs.merge(run.timing)
                    self.runs.add("count", 1)
            with self.parts.part("judge"):
                verdict = judge_runs(runs, self.reference)
            try:
                self._finish(_result_of(sub, verdict, runs))
            except Exception as e:  # noqa: BLE001 - one result that cannot be written is one missing row, named at the end
                self.log(escape.terminal(f"{sub.source}: its result could not be written ({e})"))

    @staticmethod
    def _read(sub: Submission) -> list[str]:
        """The submission's code cells (and its written answers); a reason in `sub.problem` if none."""
        try:
            if not sub.problem:
                cells = code_cells(sub.data)
                sub.answers = written_answers(json.loads(sub.data))
                return cells
        except InvalidNotebook as e:
            sub.problem = str(e)
        except Exception as e:  # noqa: BLE001 - never a lost row
            sub.problem = f"the notebook could not be read ({type(e).__name__})"
        return []

    def _worker(self) -> Worker | None:
        """A ready worker for a slot (a spare one first); None when none can start (the batch stops)."""
        try:
            worker = (self.spare.get_nowait() if not self.spare.empty() else self._start()).ready()
            self.marks.setdefault("first_worker_ready", _since_start())
        except WorkerError as e:
            self.start_failures.append(str(e))
            self.stop.set()
            return None
        self.live.append(worker)
        if self.options.confine and not worker.confined and not self.warned.is_set():
            self.warned.set()
            self.log(f"warning: runs are not in worlds of their own here ({worker.why_not_confined}); "
                     "the sandbox and the older per-run clean-up still apply (README: Isolation)")
        return worker

    def _slot(self) -> None:
        """One slot: a worker and two lanes that share it, so that the worker always has the next run
        queued while one runs (the grader's turn between two runs then leaves no core idle)."""
        slot = _Slot(self)
        lanes = [threading.Thread(target=self._lane, args=(slot,), daemon=True) for _ in range(LANES)]
        try:
            for lane in lanes:
                lane.start()
            for lane in lanes:
                lane.join()
        finally:
            if slot.worker:
                self._done_with(slot.worker)

    def _lane(self, slot: "_Slot") -> None:
        """Takes submissions until none is left, runs both runs of each on the slot's worker."""
        while not self.stop.is_set():
            try:
                sub = self.jobs.get_nowait()
            except queue.Empty:
                return
            cells = self._read(sub)
            if sub.problem:
                self._finish(_result_of(sub, Verdict("invalid", sub.problem)))
                continue
            while True:  # a run queued on a worker that ended before it began it goes to the next worker
                worker = slot.get()
                if worker is None:
                    return
                try:
                    ran = run_both(cells, worker, self.limits, sub.stem, parts=self.parts)
                except NotStarted:  # another submission's run ended that worker first: never this one's fault
                    slot.drop(worker)
                    if self.stop.is_set():
                        return
                    continue
                except Exception as e:  # noqa: BLE001 - never a lost row
                    # the grader failed on this submission; the worker is closed only if it is gone, for
                    # the other lane's run may be on it
                    if worker.ended or worker.proc.poll() is not None:
                        slot.drop(worker)
                    self._finish(_result_of(sub, Verdict("crashed", f"grading failed ({type(e).__name__}: {str(e)[:100]})")))
                    break
                if self.stop.is_set():
                    return
                if ran is None:  # the worker itself died: its sandbox is gone, start another
                    slot.drop(worker)
                    self._finish(_result_of(sub, Verdict("crashed", "the grading worker died while running this notebook")))
                    break
                self.judged.put((sub, ran))
                if worker.retired:  # its last run could not be cleaned up after: the next one gets a fresh worker
                    slot.drop(worker)
                break


LANES = 2  # submissions in flight per slot: one runs while the grader turns the other around


class _Slot:
    """A job slot's worker, shared by its lanes: started when first needed, replaced when done for."""

    def __init__(self, scheduler: Scheduler):
        self.scheduler = scheduler
        self.worker: Worker | None = None
        self.lock = threading.Lock()

    def get(self) -> Worker | None:
        with self.lock:
            if self.worker is None:
                self.worker = self.scheduler._worker()
            return self.worker

    def drop(self, worker: Worker) -> None:
        """This worker died, retired or failed: close it (the other lane's queued run, never begun,
        goes to the next one); the next get() starts another."""
        with self.lock:
            if self.worker is worker:
                self.worker = None
                self.scheduler._close(worker)


def _wrap_up(submissions: list[Submission], out: Path, options: Options, log: Callable[[str], None],
             interrupted: bool, start_failures: list[str]) -> dict[str, Any]:
    """After the runs: manual.csv, grades.csv (and otter's CSV), and the summary with every submission
    found that has no row."""
    results = load_results(out)
    manual_error = ""
    try:
        manual = update_manual(out, results)
    except ManualError as e:  # the TA's file as it stands: nothing is rewritten until it is fixed
        manual, manual_error = None, str(e)
        log(escape.terminal(f"error: {e}\ngrades.csv was not rewritten: fix {MANUAL} and run `report` (or grade again)"))
    if not manual_error:
        write_grades_csv(out, results, manual, options.late)
        if options.otter_csv:
            write_otter_csv(out, results, manual, options.late)
    if start_failures:
        raise WorkerError(start_failures[0])
    rows = {identity(r) for r in results}
    missing = [s.source for s in submissions if (s.source, s.student, s.sha256) not in rows]
    summary = summarize(results, interrupted, len(submissions), missing)
    summary["manual_error"] = manual_error
    return summary


def summarize(results: list[Result], interrupted: bool = False, submitted: int = 0,
              missing: list[str] | None = None) -> dict[str, Any]:
    """Counts by status, the mean, and the submissions found that have no row (`missing`)."""
    counts = {s: sum(r.status == s for r in results) for s in STATUSES}
    scores = [r.score for r in results]
    return {"counts": counts, "mean": sum(scores) / len(scores) if scores else 0.0, "results": len(results),
            "submitted": submitted, "interrupted": interrupted, "missing": missing or []}
