"""Batch grading speed and memory, against `otter run` and against bare execution, in one run.

    .venv/bin/python bench/batch_speed.py [--n 200] [--otter-sample 5]

(a) `python -m autograder grade` on N submissions (copies of varied examples and mutants), default jobs;
(b) `otter run` with dist/autograder.zip on a sample, one after another, scaled to N;
(c) executing the same N notebooks' code in one already warm interpreter (no fork, sandbox or checks).
Prints the seconds, the ratios b/a (target ≥ 50) and a/c (target ≤ 3), and the peak memory (PSS) of
the whole batch: the grader, its workers and their children (target ≤ 2 GiB with 2 jobs); and
(d) the time to write every report for the N submissions (target < 10 s).
"""

from __future__ import annotations

import argparse
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


def run_batch(folder: Path, out: Path) -> tuple[float, int]:
    peak = 0
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "autograder", "grade", str(folder), "--out", str(out), "--force"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while proc.poll() is None:
        peak = max(peak, sum(pss_bytes(p) for p in tree(proc.pid)))
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"batch grading failed with exit status {proc.returncode}")
    return seconds, peak


def run_otter(sample: list[Path], autograder: Path) -> float:
    from autograder.otter.baseline import otter_run

    start = time.perf_counter()
    for nb in sample:
        otter_run(nb, autograder)
    return time.perf_counter() - start


def run_bare(paths: list[Path]) -> float:
    """The student code alone, in this interpreter, already warm."""
    from autograder.run import execute
    from autograder.run.notebook import code_cells
    from autograder.run.worker import warm_up

    warm_up()
    cells = [code_cells(p.read_bytes()) for p in paths]
    start = time.perf_counter()
    for c in cells:
        execute._transform.cache_clear()  # each notebook parses its own cells, as in a worker's child
        execute.run_cells(c)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--otter-sample", type=int, default=5)
    args = parser.parse_args()
    autograder = ROOT / "dist" / "autograder.zip"
    if not autograder.exists():
        subprocess.run([sys.executable, "-m", "autograder", "build"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        (work / "corpus").mkdir()
        paths = corpus(work / "corpus", args.n)
        a, peak = run_batch(work / "corpus", work / "out")
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "autograder", "report", str(work / "out")], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        d = time.perf_counter() - start
        sample = paths[: args.otter_sample]
        b = run_otter(sample, autograder) * args.n / len(sample)
        c = run_bare(paths)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"machine: {os.cpu_count()} cores; jobs: default ({os.cpu_count()})")
    print(f"(a) autograder grade, {args.n} submissions : {a:8.1f} s")
    print(f"(b) otter run, {len(sample)} run one by one, x{args.n / len(sample):g}  : {b:8.1f} s")
    print(f"(c) bare execution in a warm interpreter  : {c:8.1f} s")
    print(f"b/a = {b / a:.1f}   (target >= 50)")
    print(f"a/c = {a / c:.2f}   (target <= 3)")
    print(f"(d) python -m autograder report, {args.n} submissions: {d:.1f} s (target < 10)")
    print(f"peak memory of the batch (PSS, grader + workers + children): {peak / 2**20:.0f} MiB (target <= 2048)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
