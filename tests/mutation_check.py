"""Does the suite notice when the production path breaks? Each mutation below changes one line of
the grading code in a copy of the project; the suite's grading tests then run on that copy and must
go red. Run it by hand (it takes a few minutes per mutation):

    .venv/bin/python tests/mutation_check.py [name ...]

It prints one line per mutation, `RED` (the suite caught it) or `GREEN` (it did not: a hole in the
tests), and exits non-zero if any stays green.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# name -> (file, the exact line as it stands, what it becomes)
MUTATIONS = {
    "judge ignores the cells that raised": (
        "autograder/judge/__init__.py",
        "raised = from_run(cells, official.errors) if cells else []", "raised = []"),
    "carried-forward credit is dropped": (
        "autograder/engine/grading.py",
        "record.points = record.max_points * (questions.CARRY_FORWARD if carried else 1.0)",
        "record.points = record.max_points * (0.0 if carried else 1.0)"),
    "the fresh-data run is skipped": (
        "autograder/judge/assess.py", "again = reseed(cells, fresh_ref.seed)", "again = None"),
    "the second run no longer vouches for the first": (
        "autograder/engine/grading.py", "if why or not f.passed:", "if False:"),
    "objects are no longer found by their role": (
        "autograder/engine/capture.py",
        "view, found = resolve(spec.roles, env, tracker, question, index) if spec.roles else ({}, {})",
        "view, found = {}, {}"),
    "messages are said whatever the code says": (
        "autograder/spec/mistakes.py",
        "if not way.claims or (facts is not None and facts.confirm(way, fields)):", "if True:"),
    "a scaled MSE is not compared across runs": (
        "autograder/engine/grading.py", "    _same_factor_on_both_runs(records, again)\n", "\n"),
}
# the grading tests that run in process (a copy under /tmp is not where the sandboxed workers look)
TESTS = ["tests/test_corpus.py", "tests/test_claims.py", "tests/test_mistakes.py", "tests/test_roles.py",
         "-k", "not sandboxed_batch"]


def run(name: str, copy: Path) -> bool:
    """True when the suite goes red on this mutation."""
    path, old, new = MUTATIONS[name]
    target = copy / path
    text = target.read_text()
    if text.count(old) != 1:
        raise SystemExit(f"{name}: the line to mutate is not in {path} once: update this script")
    target.write_text(text.replace(old, new))
    try:
        env = {**os.environ, "PYTHONPATH": f"{copy}:{copy / 'tests'}"}
        proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *TESTS],
                              cwd=copy, env=env, capture_output=True, text=True)
        return proc.returncode != 0
    finally:
        target.write_text(text)


def main(names: list[str]) -> int:
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    green = 0
    with tempfile.TemporaryDirectory(prefix="mutation-") as tmp:
        copy = Path(tmp) / "project"
        for f in files:
            (copy / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / f, copy / f)
        for name in names or MUTATIONS:
            red = run(name, copy)
            green += not red
            print(f"{'RED  ' if red else 'GREEN'}  {name}", flush=True)
    return 1 if green else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
