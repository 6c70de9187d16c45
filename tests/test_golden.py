"""Golden results: the bundled examples' `results/*.json`, checked in under tests/golden/.

A change of behaviour (a score, a code, a message, a captured value) shows up here as a diff a
reviewer reads. What changes from run to run is left out (times, the fresh seed, the path of the
file). After a change on purpose, write the files again and commit them with it:

    .venv/bin/python tests/test_golden.py --update
"""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"
VARYING = ("seconds", "fresh_seed", "dropped_answers", "file")


def normal(result: dict) -> str:
    """A result as stable, sorted JSON text, without what varies between runs."""
    kept = {k: v for k, v in result.items() if k not in VARYING}
    return json.dumps(kept, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def results_of(folder: Path) -> dict[str, str]:
    return {p.stem: normal(json.loads(p.read_text(encoding="utf-8"))) for p in sorted((folder / "results").glob("*.json"))}


def test_the_examples_results_are_the_golden_ones(examples_batch):
    got = results_of(examples_batch)
    want = {p.stem: p.read_text(encoding="utf-8") for p in sorted(GOLDEN.glob("*.json"))}
    assert set(got) == set(want), f"examples {sorted(got)} against golden files {sorted(want)}"
    diffs = ["".join(difflib.unified_diff(want[n].splitlines(True), got[n].splitlines(True), f"golden/{n}.json",
                                         f"now/{n}.json", n=2)) for n in sorted(got) if got[n] != want[n]]
    assert not diffs, "results changed (if on purpose: tests/test_golden.py --update)\n" + "\n".join(diffs)[:20000]


def test_a_changed_result_is_a_diff_here(tmp_path):
    """The comparison can fail: one changed message is one diff."""
    result = {"submission": "x", "score": 60.0, "seconds": 1.0, "records": [{"message": {"en": "Passed."}}]}
    changed = {**result, "records": [{"message": {"en": "Failed."}}], "seconds": 2.0}
    assert normal(result) != normal(changed)
    assert normal(result) == normal({**result, "seconds": 9.0, "fresh_seed": 5})


def update() -> None:
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from conftest import EXAMPLES

    from autograder.batch.grade import Options, grade

    with tempfile.TemporaryDirectory() as tmp:
        grade([str(EXAMPLES)], Path(tmp) / "out", Options(jobs=2, timeout=20, memory_mb=1024, otter_csv=True),
              log=lambda m: None)
        got = results_of(Path(tmp) / "out")
    GOLDEN.mkdir(exist_ok=True)
    for old in GOLDEN.glob("*.json"):
        old.unlink()
    for name, text in got.items():
        (GOLDEN / f"{name}.json").write_text(text, encoding="utf-8")
    print(f"wrote {len(got)} golden results to {GOLDEN}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        raise SystemExit("usage: tests/test_golden.py --update")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    update()
