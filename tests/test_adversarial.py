"""No unearned point: every attack scores no more than its notebook without the attack, on the
batch path and on the Gradescope path (otter run with dist/autograder.zip and its plugin)."""

import os

import attacks
import nbformat
import pytest

from autograder.batch.grade import Options, grade
from autograder.batch.results import STATUSES, load_results

# On the otter path the plugin runs each notebook in the same worker as the batch, and otter's kernel
# runs none of it. The otter path takes the attacks whose effect depends on where they run (files,
# processes, exits), one that goes for otter itself and one that forges in-kernel state (typed-in
# answers on the otter path are test_hard_coding's).
OTTER_PATH = ["files", "flood", "os_exit", "patch_otter", "forged_snapshots"]


@pytest.fixture(scope="module")
def graded(otter, tmp_path_factory):
    folder = tmp_path_factory.mktemp("attacks")
    out = tmp_path_factory.mktemp("out")
    bases = {b for b, _, _ in attacks.ATTACKS.values()} - {"hard_coded"} | {"blank"}
    for b in bases:
        nbformat.write(attacks.base(b), folder / f"base_{b}.ipynb")
    for name in attacks.ATTACKS:
        nbformat.write(attacks.attack(name, out=str(out)), folder / f"{name}.ipynb")
    grade([str(folder)], out, Options(jobs=2, timeout=30, memory_mb=1024, keep_workers=True), log=lambda m: None)
    batch = {r.submission: r.to_json() for r in load_results(out)}
    notebooks = sorted(folder.glob("*.ipynb"))
    on_otter = [p for p in notebooks if p.stem in OTTER_PATH or p.stem in {baseline(n) for n in OTTER_PATH}]
    gradescope = {path.stem: results for path, results in otter(on_otter).items()}
    return batch, gradescope, out


def otter_total(results) -> float:
    if isinstance(results, Exception):
        pytest.fail(f"otter run gave no results: {results}")
    assert results["tests"], "a results.json with the questions in it"
    return sum(t.get("score", 0) for t in results["tests"] if "max_score" in t)


def baseline(name):
    b = attacks.ATTACKS[name][0]
    return f"base_{'blank' if b == 'hard_coded' else b}"


@pytest.mark.parametrize("name", sorted(attacks.ATTACKS))
def test_batch_path_gives_no_unearned_point(graded, name):
    batch, _, _ = graded
    r = batch[name]
    assert r["score"] <= batch[baseline(name)]["score"], (r["status"], r["reason"])
    assert r["status"] in STATUSES and (r["status"] == "graded" or r["reason"])


@pytest.mark.parametrize("name", OTTER_PATH)
def test_gradescope_path_gives_no_unearned_point(graded, name):
    _, gradescope, _ = graded
    assert otter_total(gradescope[name]) <= otter_total(gradescope[baseline(name)])


def test_hard_coded_names_the_mistake_on_every_scored_quantity(graded):
    batch, _, _ = graded
    records = batch["hard_coded"]["records"]
    scored = [r for r in records if r["hidden"] and r["max_points"] > 0]
    assert scored and {r["mistake"] for r in scored} == {"hard_coded"}
    assert batch["forged_snapshots"]["score"] == 0
    pinned = [r for r in batch["pin_seed_and_hard_code"]["records"] if r["hidden"] and r["max_points"] > 0]
    assert {r["mistake"] for r in pinned} == {"hard_coded"}
    assert all("seed" in r["message"]["en"] for r in pinned)


def test_the_solution_still_scores_full_marks_on_both_paths(graded):
    from autograder.spec.questions import total_points

    batch, gradescope, _ = graded
    assert batch["base_solution"]["score"] == total_points()
    assert otter_total(gradescope["base_solution"]) == total_points()


def test_every_notebook_keeps_its_own_result_and_the_grades_csv_is_the_graders(graded):
    batch, _, out = graded
    assert len(batch) == len(attacks.ATTACKS) + 3  # every notebook (and the 3 bases) has its own result
    assert all(r["submission"] == name for name, r in batch.items())
    assert (out / "grades.csv").read_text().startswith("submission,student,status")  # not the files attack's "score,1000"


def test_no_process_outlives_its_submission(graded):
    leftovers = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ")
        except OSError:
            continue
        if cmd.strip() == b"sleep 600":
            leftovers.append(pid)
    assert leftovers == []
