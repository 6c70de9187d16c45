"""Real `otter run` results, computed once per notebook for the whole test session.

A test that grades notebooks on the Gradescope path asks `otter_results(paths, autograder_zip, cache)`.
A notebook is keyed by its bytes (a test of how a file name is handled gives its notebook bytes of
its own), and its results.json is kept in a folder that the xdist workers share (under a file
lock): two test files that grade the same notebook share one run.

The runs call `otter.run.main`, which is what `otter run` calls, with the plugin and everything
else as they are. They run in two long-lived processes, one notebook after another, so that otter
and torch are imported once per process rather than once per notebook; before each notebook the
process forgets the `autograder` and `solutions` modules, which otter's run imports from its own
folder, as a process of its own would.
test_otter.py still runs the `otter run` command line itself.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from filelock import FileLock

DRIVER = r"""
import contextlib, io, json, os, sys, traceback
from otter.run import main
jobs = json.loads(sys.argv[1])
for notebook, autograder, out in jobs:
    # as in a process of its own: the plugin and the reference are imported from this run's folder
    for name in [m for m in sys.modules if m.split(".")[0] in ("autograder", "solutions")]:
        del sys.modules[name]
    os.makedirs(out, exist_ok=True)
    log = io.StringIO()
    try:
        with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
            main(notebook, autograder=autograder, output_dir=out, no_logo=True)
    except BaseException:
        log.write(traceback.format_exc())
    with open(os.path.join(out, "log.txt"), "w") as f:
        f.write(log.getvalue()[-20000:])
"""


def key(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:24]


def _load(folder: Path) -> dict | Exception:
    results = folder / "results.json"
    if not results.exists():
        log = (folder / "log.txt").read_text() if (folder / "log.txt").exists() else ""
        return RuntimeError(f"otter run wrote no results.json:\n{log[-3000:]}")
    out = json.loads(results.read_text(encoding="utf-8"))
    out["question_scores"] = {t["name"]: float(t["score"]) for t in out.get("tests", []) if t.get("max_score") is not None}
    return out


def otter_results(paths: list[Path], autograder_zip: Path, cache: Path, processes: int = 2) -> dict[Path, dict | Exception]:
    """{path: results.json as a dict, with 'question_scores'; or the exception saying why there is none}."""
    cache.mkdir(parents=True, exist_ok=True)
    folders = {p: cache / key(p) for p in paths}
    with FileLock(str(cache / "otter.lock")):
        todo = [p for p, f in folders.items() if not (f / "log.txt").exists()]
        todo = list({key(p): p for p in todo}.values())
        shares = [todo[i::processes] for i in range(processes)]
        procs = [subprocess.Popen([sys.executable, "-c", DRIVER,
                                   json.dumps([(str(p), str(autograder_zip), str(folders[p])) for p in share])],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for share in shares if share]
        for proc in procs:
            proc.wait(timeout=1800)
    return {p: _load(f) for p, f in folders.items()}
