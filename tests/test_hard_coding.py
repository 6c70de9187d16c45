"""No point for typed-in answers: every hard-coding attack (tests/hardcode_attacks.py) scores no
more than its honest baseline, on the batch path and on the Gradescope path (otter run with
dist/autograder.zip and its plugin); the controls (the solution, the lecture's code, the blank
template) score exactly what they earn.

All notebooks are graded in one batch call; a choice of them (OTTER_PATH) on the otter path too; a second, small
batch grades three of them on fresh data chosen to give nearly the lecture's answers.
"""

import os

import hardcode_attacks as hc
import pytest
from conftest import EXAMPLES

from autograder.batch.grade import Options, grade
from autograder.batch.results import load_results
from autograder.spec.questions import QUANTITIES, total_points

ATTACKS = sorted(hc.ATTACKS)
CONTROLS = sorted(hc.CONTROLS)
EXPECTED = {**{n: b for n, (b, _) in hc.ATTACKS.items()}, **{n: s for n, (s, _) in hc.CONTROLS.items()}}

REDRAWN = "solution_redraws_noise"
PREDICTIONS = {f"method{m}:yhat{m}" for m in range(1, 7)}  # computed from X alone
SCORED = {key for key, q in QUANTITIES.items() if q.points > 0}
USES_Y = SCORED - PREDICTIONS  # every loss, gradient, update and loop


@pytest.fixture(scope="module")
def notebooks(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hard_coding")
    paths = hc.write_all(folder)
    yield folder, paths
    for path in hc.leftovers():  # only without bubblewrap can an attack's file outlive its run
        try:
            os.remove(path)
        except OSError:
            pass


@pytest.fixture(scope="module")
def batch(notebooks, tmp_path_factory):
    folder, _ = notebooks
    out = tmp_path_factory.mktemp("hard_coding_out")
    grade([str(folder)], out, Options(jobs=2, timeout=30, memory_mb=1024, keep_workers=True), log=lambda m: None)
    return {r.submission: r.to_json() for r in load_results(out)}


# On the otter path the plugin runs the same worker, reseeding and judge as the batch: what differs
# is where the code runs (otter's folders, the plugin's worker). So the otter path takes the attacks
# that hide the second run in the file system, one that keeps state across runs, a typed-in one and
# one that redraws the noise; the batch path takes them all. (The typed-in families differ only in
# what the judge sees, and the judge is the same function on both paths.)
OTTER_PATH = sorted({"second_run_file_in_cwd", "second_run_file_in_tmp", "second_run_file_in_home",
                     "second_run_file_in_dev_shm", "hard_coded", "rng_state_kept_in_builtins", REDRAWN})
# the controls on the otter path are the bundled examples of the same name (test_same_as_otter runs
# them too, and otter's results are cached per notebook: one run each for both files)
EXAMPLE_OF = {"control_solution": "solution", "control_lecture": "lecture", "control_blank": "blank"}


@pytest.fixture(scope="module")
def otter_graded(notebooks, otter):
    _, paths = notebooks
    chosen = {p.stem: p for p in paths if p.stem in OTTER_PATH}
    chosen |= {name: EXAMPLES / f"{example}.ipynb" for name, example in EXAMPLE_OF.items()}
    results = otter(chosen.values())
    return {name: results[path] for name, path in chosen.items()}


def otter_total(results) -> float:
    if isinstance(results, Exception):
        pytest.fail(f"otter run gave no results: {results}")
    assert results["tests"], "a results.json with the questions in it"
    return sum(t.get("score", 0) for t in results["tests"] if "max_score" in t)


def summary(result) -> str:
    earned = [f"{r['question']}:{r['check']}={r['points']:g}" for r in result["records"] if r["hidden"] and r["points"]]
    return f"status {result['status']} {result['reason']}; points earned at {earned}"


# --- the batch path -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ATTACKS)
def test_batch_attack_scores_no_more_than_its_honest_baseline(batch, name):
    r = batch[name]
    assert r["score"] <= EXPECTED[name], summary(r)


@pytest.mark.parametrize("name", ATTACKS)
def test_batch_attack_ran_to_the_end_without_a_cell_error(batch, name):
    """So its low score comes from the grader, not from a broken attack."""
    r = batch[name]
    assert r["status"] == "graded", r["reason"]
    assert r["cell_errors"] == []


@pytest.mark.parametrize("name", CONTROLS)
def test_batch_control_scores_exactly_what_it_earns(batch, name):
    r = batch[name]
    assert r["status"] == "graded"
    assert r["score"] == EXPECTED[name], summary(r)


def test_controls_earn_full_marks_and_the_blank_nothing():
    """The controls' expectations are the grader's: the solution and the lecture's code earn every point,
    the blank nothing (graded here by the production path, in process: they are our own notebooks)."""
    import nbformat
    from conftest import EXAMPLES, grade_in_process

    assert EXPECTED["control_solution"] == EXPECTED["control_lecture"] == total_points() == 60
    assert EXPECTED["control_blank"] == 0
    for control, example in EXAMPLE_OF.items():
        records = grade_in_process(nbformat.read(EXAMPLES / f"{example}.ipynb", as_version=4))
        assert sum(r.points for r in records) == EXPECTED[control], control


def test_batch_redrawn_noise_keeps_the_predictions_and_nothing_that_uses_y(batch):
    hidden = {f"{r['question']}:{r['check']}": r for r in batch[REDRAWN]["records"] if r["hidden"]}
    kept = {key: hidden[key]["points"] for key in PREDICTIONS}
    assert kept == {key: hidden[key]["max_points"] for key in PREDICTIONS}
    assert sum(kept.values()) == hc.REDRAWN_NOISE_KEEPS
    earned = {key: hidden[key]["points"] for key in USES_Y if hidden[key]["points"]}
    assert earned == {}, "values computed on the redrawn y earn nothing"


def test_batch_redrawn_noise_names_data_mismatch_once_at_the_first_loss(batch):
    named = [(r["question"], r["check"], r["hidden"]) for r in batch[REDRAWN]["records"]
             if r["mistake"] == "data_mismatch"]
    assert named == [("method1", "loss1", True)]


PARTLY_TYPED_IN = {  # attack -> the questions whose every scored value is typed in or computed from typed-in values
    "solution_with_gradients_typed_in": {"step3", "step4"},
    "solution_with_final_weights_typed_in": {"loop", "homework"},
}


@pytest.mark.parametrize("name", sorted(PARTLY_TYPED_IN))
def test_batch_partly_typed_in_solution_loses_those_values_and_keeps_the_computed_ones(batch, name):
    scored = [r for r in batch[name]["records"] if r["hidden"] and r["max_points"] > 0]
    lost = {f"{r['question']}:{r['check']}" for r in scored if r["points"] < r["max_points"]}
    assert lost == {f"{r['question']}:{r['check']}" for r in scored if r["question"] in PARTLY_TYPED_IN[name]}
    assert batch[name]["score"] == EXPECTED[name]


# --- fresh data that happen to give nearly the lecture's answers -------------------------------

# On this seed the fresh data give updates of net3.weight and net6.weight within the tolerance
# of the lecture's (8.51325 vs 8.514187): a typed-in update passes the second run by chance.
# About 0.65% of seeds give some such coincidence (mostly the loop's final weights, tolerance 1e-3).
COINCIDENT_SEED = 655210198
PINNED = ["hard_coded", "solution_with_gradients_typed_in", "control_solution"]


@pytest.fixture(scope="module")
def pinned(tmp_path_factory, monkeypatch_module):
    import autograder.run.reseed

    folder = tmp_path_factory.mktemp("hard_coding_pinned")
    out = tmp_path_factory.mktemp("hard_coding_pinned_out")
    hc.write_all(folder, PINNED)
    random_seed, calls = autograder.run.reseed.fresh_seed, []

    def coincident_first():  # a grader that draws again when a seed is too close gets random seeds after 20
        calls.append(1)
        return COINCIDENT_SEED if len(calls) <= 20 else random_seed()

    monkeypatch_module.setattr(autograder.run.reseed, "fresh_seed", coincident_first)
    import autograder.batch.grade

    monkeypatch_module.setattr(autograder.batch.grade, "fresh_seed", coincident_first, raising=False)
    grade([str(folder)], out, Options(jobs=1, timeout=30, memory_mb=1024, keep_workers=True), log=lambda m: None)
    assert calls, "the grader no longer draws its fresh seed from autograder.run.reseed.fresh_seed: update this test"
    return {r.submission: r.to_json() for r in load_results(out)}


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


@pytest.mark.parametrize("name", PINNED)
def test_batch_typed_in_values_earn_nothing_when_the_fresh_data_give_nearly_the_same_answers(pinned, name):
    assert pinned[name]["score"] == EXPECTED[name], summary(pinned[name])


# --- the otter path (Gradescope) ----------------------------------------------------------------

@pytest.mark.parametrize("name", OTTER_PATH)
def test_otter_attack_scores_no_more_than_its_honest_baseline(otter_graded, name):
    total = otter_total(otter_graded[name])
    assert total <= EXPECTED[name], otter_graded[name]["question_scores"]


@pytest.mark.parametrize("name", CONTROLS)
def test_otter_control_scores_exactly_what_it_earns(otter_graded, name):
    assert otter_total(otter_graded[name]) == EXPECTED[name], otter_graded[name]["question_scores"]


def test_otter_redrawn_noise_keeps_only_the_predictions(otter_graded):
    scores = otter_graded[REDRAWN]["question_scores"]
    assert {q: scores[q] for q in scores if scores[q]} == {f"method{m}": 2.0 for m in range(1, 7)}
