"""Grade a whole class: `python -m autograder grade PATH... --out DIR`.

    submissions.collect → one warm worker per job slot (sandbox.py, worker.py)
      → snapshots (plain data) → grading.grade_all against the reference → results/*.json
      → grades.csv

Student code runs only in the workers' children; this process reads their plain-data
snapshots and judges them. Every submission gets a result, whatever its code does.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .notebook import InvalidNotebook, code_cells
from .reseed import fresh_seed, reseed
from .results import STATUSES, load_results, write_grades_csv, write_otter_csv, write_result
from .sandbox import WARNING, bwrap_problem, worker_command
from .submissions import Submission, collect

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Options:
    jobs: int = os.cpu_count() or 1
    timeout: float = 60.0
    memory_mb: int = 2048
    force: bool = False
    otter_csv: bool = False
    sandbox: bool = True


class WorkerError(RuntimeError):
    """A worker could not start: nothing can be graded, so the batch stops with this message."""


class Worker:
    """One warm worker process, talking JSON lines over its stdin/stdout.

    It starts on construction and warms up (imports torch) in the background; `ready()` waits for it.
    """

    def __init__(self, sandbox: bool):
        cmd, self.sandboxed = worker_command(sandbox)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(PACKAGE_ROOT), os.environ.get("PYTHONPATH", "")]))
        self.errors = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors,
                                     text=True, env=env, cwd=PACKAGE_ROOT, start_new_session=True)
        self._ready = False

    def ready(self) -> "Worker":
        if not self._ready:
            answer = self._read(120)
            if not answer or not answer.get("ready"):
                self.close()
                self.errors.seek(0)
                raise WorkerError("a grading worker failed to start:\n" + self.errors.read()[-2000:])
            self._ready = True
        return self

    def _read(self, timeout: float) -> dict | None:
        box: list[str] = []
        reader = threading.Thread(target=lambda: box.append(self.proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout)
        if not box or not box[0]:
            return None
        return json.loads(box[0])

    def run(self, job: dict) -> dict | None:
        """The worker's result, or None if the worker itself died or stopped answering."""
        self.ready()
        try:
            self.proc.stdin.write(json.dumps(job) + "\n")
            self.proc.stdin.flush()
        except OSError:
            return None
        return self._read(len(job["runs"]) * job["timeout"] + 60)

    def close(self) -> None:
        try:
            self.proc.kill()
            self.proc.wait(10)
        except Exception:
            pass
        if not self.errors.closed:
            self.errors.close()


def _result_of(sub: Submission, status: str, reason: str = "", **extra) -> dict[str, Any]:
    from .questions import QUESTIONS, total_points

    result = {
        "submission": sub.stem, "file": sub.source, "student": sub.student, "student_id": sub.student_id,
        "sha256": sub.sha256, "status": status, "reason": reason, "score": 0.0, "max_score": total_points(),
        "questions": {q: 0.0 for q in QUESTIONS}, "records": [], "cell_errors": [], "output": "",
    }
    result.update(extra)
    return result


def judge(sub: Submission, answer: dict, reference: Any, fresh_reference: Any) -> dict[str, Any]:
    """Grade a worker's snapshots against the reference: the only place scores are made.

    answer["runs"][0] is the submission as written, [1] the same on fresh data (None when it did
    not run); the status and reason are the child's.
    """
    from .compare import expand
    from .grading import grade_submission, question_scores

    run, again = answer["runs"]
    fresh = expand(again["snapshots"]) if again else None
    records = grade_submission(expand(run["snapshots"]), fresh, reference, fresh_reference) if run["snapshots"] else []
    result = _result_of(sub, answer["status"], answer.get("reason", ""), cell_errors=run["errors"],
                        output=answer.get("output", ""), seconds=answer.get("seconds"),
                        fresh_seed=fresh_reference.seed)
    if records:
        scores = question_scores(records)
        result["records"] = [r.to_dict() for r in records]
        result["questions"] = scores
        result["score"] = round(sum(scores.values()), 6)
    return result


@dataclass
class Progress:
    total: int
    stream: Any = field(default_factory=lambda: sys.stderr)
    done: int = 0
    started: float = field(default_factory=time.monotonic)

    def update(self, result: dict[str, Any]) -> None:
        self.done += 1
        elapsed = time.monotonic() - self.started
        eta = elapsed / self.done * (self.total - self.done)
        if self.stream.isatty():
            width = 30
            filled = int(width * self.done / max(self.total, 1))
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}  "
                              f"ETA {eta:4.0f} s  {result['submission'][:30]:<30}")
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"[{self.done}/{self.total}] {result['submission']}: {result['status']} "
                              f"{result['score']:g}/{result['max_score']:g}\n")
        self.stream.flush()


def grade(paths: list[str], out: Path, options: Options, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Grade everything under `paths` into `out`; returns the summary. Ctrl-C keeps what is done."""
    submissions = collect(paths)  # InputError before any work
    out.mkdir(parents=True, exist_ok=True)
    graded_before = {r.get("sha256"): r for r in load_results(out)}
    todo = [s for s in submissions if options.force or s.sha256 not in graded_before]
    skipped = len(submissions) - len(todo)
    if options.sandbox and bwrap_problem():
        log(f"{WARNING}\n({bwrap_problem()})")
    if skipped:
        log(f"{skipped} submission(s) already graded in {out} (same content): skipped; --force grades them again")
    slots = max(1, min(options.jobs, len(todo) or 1))
    spare: queue.Queue = queue.Queue()
    for _ in range(slots if todo else 0):  # they warm up while torch is imported and the reference computed
        spare.put(Worker(options.sandbox))
    from .expected import computed, expected_values

    reference, fresh_reference = computed(expected_values()), computed(expected_values(fresh_seed()))
    progress = Progress(len(todo))
    jobs: queue.Queue = queue.Queue()
    for sub in todo:
        jobs.put(sub)
    lock = threading.Lock()
    stop = threading.Event()
    live: list[Worker] = []
    failures: list[str] = []

    def finish(result: dict[str, Any]) -> None:
        write_result(out, result)
        with lock:
            progress.update(result)

    judged: queue.Queue = queue.Queue()  # the workers go on to the next notebook while this one is judged

    def judge_all() -> None:
        while True:
            item = judged.get()
            if item is None:
                return
            sub, answer = item
            finish(judge(sub, answer, reference, fresh_reference))

    def slot() -> None:
        worker: Worker | None = None
        try:
            while not stop.is_set():
                try:
                    sub = jobs.get_nowait()
                except queue.Empty:
                    return
                try:
                    cells = code_cells(sub.data) if not sub.problem else None
                except InvalidNotebook as e:
                    sub.problem = str(e)
                if sub.problem:
                    finish(_result_of(sub, "invalid", sub.problem))
                    continue
                if worker is None:
                    try:
                        worker = (spare.get_nowait() if not spare.empty() else Worker(options.sandbox)).ready()
                    except WorkerError as e:
                        failures.append(str(e))
                        stop.set()
                        jobs.put(sub)  # not graded: it keeps no row rather than a false one
                        return
                    live.append(worker)
                job = {"job": sub.stem, "name": "submission.ipynb", "runs": [cells, reseed(cells, fresh_reference.seed)],
                       "timeout": options.timeout, "memory_mb": options.memory_mb,
                       "notebook": sub.data.decode("utf-8", "replace")}
                answer = worker.run(job)
                if stop.is_set():
                    return
                if answer is None:  # the worker itself died: its sandbox is gone, start another
                    worker.close()
                    worker = None
                    finish(_result_of(sub, "crashed", "the grading worker died while running this notebook"))
                    continue
                judged.put((sub, answer))
        finally:
            if worker:
                worker.close()

    threads = [threading.Thread(target=slot, daemon=True) for _ in range(slots)]
    judge_thread = threading.Thread(target=judge_all, daemon=True)
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
        stop.set()
        for w in list(live):
            w.close()
        log("\ninterrupted: keeping every result finished so far; run the same command again to go on")
    judged.put(None)
    while judge_thread.is_alive():  # what ran to the end is judged and written, even after Ctrl-C
        judge_thread.join(0.2)
    while not spare.empty():
        spare.get_nowait().close()
    results = load_results(out)
    write_grades_csv(out, results)
    if failures:
        raise WorkerError(failures[0])
    if options.otter_csv:
        write_otter_csv(out, results)
    return summarize(results, interrupted, len(submissions))


def summarize(results: list[dict[str, Any]], interrupted: bool = False, submitted: int = 0) -> dict[str, Any]:
    counts = {s: sum(r["status"] == s for r in results) for s in STATUSES}
    scores = [r["score"] for r in results]
    return {"counts": counts, "mean": sum(scores) / len(scores) if scores else 0.0, "results": len(results),
            "submitted": submitted, "interrupted": interrupted}
