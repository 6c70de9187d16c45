"""Batch grading speed and memory, against `otter run` and against bare execution, in one run.

    .venv/bin/python bench/batch_speed.py [--n 200] [--otter-sample 3] [--gradescope 3] [--scaling]

(a) `python -m autograder grade --timing` on N submissions (copies of varied examples and mutants),
    default jobs; its start-up (command to first output line, and to first result) is timed from its
    output; and (a) again with the virtual environment reached through a symlink under /tmp;
(b) what a course would use instead: plain `otter run` of dist/autograder-plain.zip (built without
    our plugin: the hidden tests run in the student's kernel) on a sample, one after another, scaled to N;
(c) the bare cost of what the grader must execute: both runs of every notebook (as written, then
    reseeded), in already warm interpreters (forked after the worker's warm-up), spread over as many
    processes as the batch has jobs; no sandbox, capture protocol, checks or files;
gradescope/plain: the median over notebooks of one `otter run` of dist/autograder.zip (the plugin:
    expected values, the sandboxed worker, both runs) over one plain `otter run` of the same notebook;
(d) the time to write every report for the N submissions (target < 10 s);
the breakdown of (a) × jobs in core-seconds (timing.json, and the whole tree's CPU from wait4), the
1,000-submission time extrapolated from (a), the peak memory (PSS) of the whole batch (the grader,
its workers and their children), with --scaling (a) again with 1 job, and the scaling table on paper.
Targets (issue 25): b/a ≥ 100, a/c ≤ 1.5, gradescope/plain ≤ 1.0, first line ≤ 1 s, first result
≤ 3 s, peak ≤ 1 GiB for 200 with 2 jobs; the breakdown accounts for (a) within 5 %.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import mutants  # noqa: E402
import nbformat  # noqa: E402

VARIED = ["broadcast", "sum_not_mean", "grad_accumulated", "update_sign", "wrong_lr", "no_zero_grad",
          "weights_not_set", "data_mismatch", "no_backward", "off_by_one"]


def corpus(folder: Path, n: int) -> list[Path]:
    sources = [p.read_bytes() for p in sorted((ROOT / "examples" / "submissions").glob("*.ipynb"))]
    sources += [nbformat.writes(mutants.mutant(name)).encode() for name in VARIED]
    paths = []
    for i in range(n):
        path = folder / f"student{i:03d}.ipynb"
        path.write_bytes(sources[i % len(sources)])
        paths.append(path)
    return paths


def pss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return sum(int(line.split()[1]) * 1024 for line in f if line.startswith("Pss:"))
    except OSError:
        return 0


def tree(pid: int) -> list[int]:
    """pid and all its descendants, from /proc/<pid>/task/<tid>/children (cheap: no scan of /proc)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return out


def run_batch(folder: Path, out: Path, jobs: int | None = None, python: str = sys.executable) -> dict[str, float]:
    """Seconds to the end, to the first output line and to the first result; peak PSS in bytes."""
    import threading

    peak, marks = 0, {}
    cmd = [python, "-m", "autograder", "grade", str(folder), "--out", str(out), "--force", "--timing"]
    cmd += ["--jobs", str(jobs)] if jobs else []
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)

    def read() -> None:
        for line in proc.stdout:
            marks.setdefault("first_line", time.perf_counter() - start)
            if line.lstrip().startswith("[1/"):
                marks.setdefault("first_result", time.perf_counter() - start)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    machine, sampling = busy_seconds(), time.process_time()  # the bench's own CPU: the memory sampling
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)  # the CPU of the whole tree, once it has ended
        if pid:
            break
        peak = max(peak, sum(pss_bytes(p) for p in tree(proc.pid)))
        time.sleep(0.5)  # reading smaps_rollup of torch processes costs CPU: measured below, kept rare
    seconds = time.perf_counter() - start
    machine, sampling = busy_seconds() - machine, time.process_time() - sampling
    proc.returncode = os.waitstatus_to_exitcode(status)
    reader.join(5)
    if proc.returncode != 0:
        raise SystemExit(f"batch grading failed with exit status {proc.returncode}")
    timing = json.loads((out / "timing.json").read_text())
    return {"seconds": seconds, "peak": peak, "cpu": usage.ru_utime + usage.ru_stime, "timing": timing,
            "machine_busy": machine, "sampling": sampling, **marks}


def busy_seconds() -> float:
    """CPU seconds every core of this machine has spent busy since boot (/proc/stat: all but idle, iowait)."""
    with open("/proc/stat") as f:
        ticks = [int(x) for x in f.readline().split()[1:]]
    return (sum(ticks[:8]) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def breakdown(a: dict, jobs: int) -> list[tuple[str, float]]:
    """(a) × jobs in core-seconds, part by part (run/timing.py); the parts add up to it exactly:
    what no part measured is 'unaccounted' (CPU) or 'idle' (cores not busy)."""
    t, runs = a["timing"], a["timing"]["runs"]
    child_said = sum(runs.get(k, 0.0) for k in ("child_setup", "child_cells", "child_capture"))
    grader = t["grader"]
    worker_own = runs.get("messages", 0.0) + runs.get("cleanup", 0.0)
    parts = [
        ("start-up: the grader (imports, the reference)", t["grader_start_up"]),
        ("start-up: the workers (torch, template, probe)", t["workers_warm_up"]),
        ("fork (the template's CPU)", runs.get("fork", 0.0)),
        ("a run's set-up (its world, limits, the job)", runs.get("child_setup", 0.0)),
        ("the student's cells", runs.get("child_cells", 0.0)),
        ("capture and messages (in the run)", runs.get("child_capture", 0.0)),
        ("a run's exit (the kernel's count less the run's)", max(0.0, runs.get("child", 0.0) - child_said)),
        ("worker: reading and validating messages", runs.get("messages", 0.0)),
        ("worker: clean-up after a run", runs.get("cleanup", 0.0)),
        ("worker: the rest (polling, jobs, answers)", max(0.0, runs.get("worker", 0.0) - worker_own)),
        ("grader: validating answers", grader.get("validate", 0.0)),
        ("grader: fresh seed, reference, reseed", grader.get("fresh", 0.0)),
        ("grader: judging", grader.get("judge", 0.0)),
        ("grader: writing results", grader.get("write", 0.0)),
        ("grader: the rest (threads, scheduler, grades.csv)",
         max(0.0, t["grader_total"] - t["grader_start_up"] - sum(grader.values()))),
    ]
    parts.append(("unaccounted CPU (whole tree, wait4, less the parts)", a["cpu"] - sum(p for _, p in parts)))
    outside = max(0.0, a["machine_busy"] - a["cpu"])  # busy cores, not the grader's tree
    parts.append(("outside the grader: this bench's memory sampling", min(a["sampling"], outside)))
    parts.append(("outside the grader: the machine's other processes", max(0.0, outside - a["sampling"])))
    parts.append(("idle (cores not busy)", a["seconds"] * jobs - a["cpu"] - outside))
    return parts


def print_breakdown(a: dict, jobs: int, n: int) -> None:
    total = a["seconds"] * jobs
    runs = max(1, a["timing"]["runs_count"])
    marks = a["timing"].get("seconds", {})
    print(f"breakdown of (a) x {jobs} cores = {total:.1f} core-s over {runs} runs ({n} submissions); "
          "seconds from the start: " + ", ".join(f"{k.replace('_', ' ')} {v:.1f}" for k, v in marks.items()))
    print(f"  {'part':<52} {'core-s':>7} {'ms/run':>7} {'share':>6}")
    for name, seconds in breakdown(a, jobs):
        print(f"  {name:<52} {seconds:7.1f} {1000 * seconds / runs:7.1f} {100 * seconds / total:5.1f}%")


def run_otter(sample: list[Path], autograder: Path) -> float:
    from autograder.otter.baseline import otter_run

    start = time.perf_counter()
    for nb in sample:
        otter_run(nb, autograder)
    return time.perf_counter() - start


def _bare_share(cells: list[list[str]]) -> None:
    from autograder.run import execute, notebook
    from autograder.run.reseed import reseed

    for c in cells:
        for run in (c, reseed(c, 123456789) or c):  # as written, then on fresh data
            notebook.transform.cache_clear()  # each run parses its own cells, as in a worker's child
            execute.run_cells(run)


def run_bare(paths: list[Path], jobs: int) -> float:
    """Both runs of every notebook, in `jobs` interpreters forked warm (after the worker's warm-up)."""
    import multiprocessing

    from autograder.run.notebook import code_cells
    from autograder.run.worker import warm_up

    warm_up()
    cells = [code_cells(p.read_bytes()) for p in paths]
    shares = [cells[i::jobs] for i in range(jobs)]
    ctx = multiprocessing.get_context("fork")
    start = time.perf_counter()
    procs = [ctx.Process(target=_bare_share, args=(share,)) for share in shares]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()
    return time.perf_counter() - start


def scaling_table(a: dict, jobs: int, one_job: dict | None, per_notebook_gradescope: float | None) -> list[str]:
    """How long 5,000 and 100,000 submissions take with 2, 16 and 64 cores, from this run's figures:
    the start-up (to the first result) once, then the steady rate per core (first to last result),
    assumed to scale with jobs as measured here (1 → 2 jobs with --scaling); and on Gradescope, one
    container per submission, each taking one plugin `otter run`, across a fleet of that many."""
    s = a["timing"]["seconds"]
    n = a["timing"]["runs_count"] / 2
    start = s["first_result"]
    per_sub_core = (s["last_result"] - s["first_result"]) * jobs / max(n - 1, 1)
    efficiency = 1.0
    if one_job:
        s1 = one_job["timing"]["seconds"]
        per_sub_one = (s1["last_result"] - s1["first_result"]) / max(n - 1, 1)
        efficiency = per_sub_one / per_sub_core  # the speed-up from 1 to `jobs` jobs, over jobs
    lines = [f"scaling on paper: start-up {start:.1f} s, then {1000 * per_sub_core:.0f} core-ms per submission "
             f"(both runs, judging, writing); " + (f"{jobs} jobs ran at {100 * efficiency:.0f}% of {jobs} x 1 job"
                                                   if one_job else "jobs assumed to scale fully (--scaling measures it)")]
    lines.append(f"  {'submissions':>12} {'2 cores':>10} {'16 cores':>10} {'64 cores':>10}"
                 + (f" {'Gradescope, 64 containers':>27}" if per_notebook_gradescope else ""))
    for total in (5_000, 100_000):
        cells = [start + total * per_sub_core / (cores * min(1.0, efficiency)) for cores in (2, 16, 64)]
        row = f"  {total:>12,} " + " ".join(f"{_span(t):>10}" for t in cells)
        if per_notebook_gradescope:
            row += f" {_span(total * per_notebook_gradescope / 64):>27}"
        lines.append(row)
    return lines


def _span(seconds: float) -> str:
    return f"{seconds / 60:.1f} min" if seconds < 3600 else f"{seconds / 3600:.1f} h"


def main() -> int:
    import statistics

    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--otter-sample", type=int, default=3)
    parser.add_argument("--gradescope", type=int, default=3, help="notebooks for gradescope/plain (0: skip)")
    parser.add_argument("--scaling", action="store_true", help="also grade with 1 job, for the 1 -> 2 jobs scaling")
    args = parser.parse_args()
    jobs = os.cpu_count() or 1
    subprocess.run([sys.executable, "-m", "autograder", "build"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    autograder = ROOT / "dist" / "autograder.zip"
    from autograder.build.dist import build_autograder

    plain = build_autograder(ROOT / "dist", plain=True)
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        (work / "corpus").mkdir()
        paths = corpus(work / "corpus", args.n)
        a = run_batch(work / "corpus", work / "out")
        # the same, with the virtual environment reached under /tmp (issue 14: the worker wipes its
        # private /tmp after every child, and must not walk the read-only bind of the venv there)
        venv = work / "venv"
        venv.symlink_to(Path(sys.prefix).resolve())
        under_tmp = run_batch(work / "corpus", work / "out-tmp", python=str(venv / "bin" / "python"))
        one = run_batch(work / "corpus", work / "out1", jobs=1) if args.scaling else None
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "autograder", "report", str(work / "out")], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        d = time.perf_counter() - start
        # distinct notebooks for (b) and the Gradescope ratio: the corpus cycles through its sources
        distinct = list({p.read_bytes(): p for p in paths}.values())
        sample = distinct[: args.otter_sample]
        b = run_otter(sample, plain) * args.n / len(sample)  # what a course would use instead: plain otter
        ratios, plugin_times = [], []
        for nb in distinct[: args.gradescope]:
            times = []
            for zip_path in (autograder, plain):
                t0 = time.perf_counter()
                run_otter([nb], zip_path)
                times.append(time.perf_counter() - t0)
            plugin_times.append(times[0])
            ratios.append(times[0] / times[1])
        c = run_bare(paths, jobs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    seconds, startup = a["seconds"], a.get("first_result", float("nan"))
    print(f"machine: {jobs} cores; jobs: default ({jobs})")
    print(f"(a) autograder grade, {args.n} submissions : {seconds:8.1f} s")
    print(f"(b) plain otter run (no plugin), {len(sample)} one by one, x{args.n / len(sample):g} : {b:8.1f} s")
    print(f"(c) bare: both runs of each, {jobs} warm processes : {c:8.1f} s")
    print(f"(a) again, the venv reached under {work.parent} : {under_tmp['seconds']:8.1f} s "
          f"({under_tmp['seconds'] / seconds:.2f} x (a))")
    print(f"b/a = {b / seconds:.1f}   (target >= 100)")
    print(f"a/c = {seconds / c:.2f}   (target <= 1.5)")
    if ratios:
        print(f"gradescope/plain = {statistics.median(ratios):.2f} (median of {len(ratios)}: "
              f"{', '.join(f'{r:.2f}' for r in ratios)}; target <= 1.0); one plugin otter run: "
              f"{statistics.median(plugin_times):.1f} s")
    print(f"start-up: first output line {a.get('first_line', float('nan')):.2f} s (target <= 1), "
          f"first result {startup:.1f} s (target <= 3)")
    print(f"1,000 submissions, extrapolated: {startup + (seconds - startup) * 1000 / args.n:.0f} s")
    if one:
        print(f"1 job: {one['seconds']:.1f} s; {jobs} jobs: {seconds:.1f} s; speed-up {one['seconds'] / seconds:.2f}")
    print(f"(d) python -m autograder report, {args.n} submissions: {d:.1f} s (target < 10)")
    print(f"peak memory of the batch (PSS, grader + workers + children): {a['peak'] / 2**20:.0f} MiB (target <= 1024)")
    print_breakdown(a, jobs, args.n)
    for line in scaling_table(a, jobs, one, statistics.median(plugin_times) if plugin_times else None):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
