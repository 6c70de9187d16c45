"""Fair diagnosis on a corpus of realistic submissions (tests/slips_corpus.py), whose expected
outcomes were written before the grader ran on them.

Three figures, printed and checked:
- false positives: correct-but-different notebooks given any mistake code or less than full marks
  (must be 0: 100 % of the correct set clean);
- recall: slips whose expected code is named at each expected place (at least 95 %);
- fair points: slips whose total equals the expected fair total (at least 95 %).
Graded as the batch grader grades (official run, then fresh data), executed in this process's
forks: these notebooks are our own.
"""

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

import pytest
import slips_corpus
from conftest import grade_case

CASES = {c.name: c for c in slips_corpus.SLIPS + slips_corpus.CORRECT}


def _grade(name: str) -> tuple[str, dict]:
    records = grade_case(slips_corpus.notebook(CASES[name]))
    hidden = {f"{r.question}:{r.check}": r.mistake for r in records if r.hidden}
    codes = {f"{r.question}:{r.check}{'' if r.hidden else ' (public)'}": r.mistake for r in records if r.mistake}
    return name, {"score": sum(r.points for r in records), "hidden": hidden, "codes": codes}


@pytest.fixture(scope="module")
def outcomes():
    with ProcessPoolExecutor(os.cpu_count() or 1, mp_context=multiprocessing.get_context("fork")) as pool:
        return dict(pool.map(_grade, sorted(CASES), chunksize=4))


def figures(outcomes) -> dict[str, tuple[int, int, list[str]]]:
    """{figure: (good, total, the cases that miss it)}."""
    correct = [c for c in slips_corpus.CORRECT]
    slips = [c for c in slips_corpus.SLIPS]
    clean = [c.name for c in correct if not outcomes[c.name]["codes"] and outcomes[c.name]["score"] == c.score]
    named = [c.name for c in slips if all(outcomes[c.name]["hidden"].get(k) == v for k, v in c.expect.items())]
    fair = [c.name for c in slips if abs(outcomes[c.name]["score"] - c.score) < 1e-9]
    return {
        "correct set clean": (len(clean), len(correct), sorted({c.name for c in correct} - set(clean))),
        "recall": (len(named), len(slips), sorted({c.name for c in slips} - set(named))),
        "fair points": (len(fair), len(slips), sorted({c.name for c in slips} - set(fair))),
    }


def report(outcomes) -> str:
    lines = []
    for figure, (good, total, misses) in figures(outcomes).items():
        lines.append(f"{figure}: {good}/{total} = {100 * good / total:.1f} %")
        for name in misses:
            case, got = CASES[name], outcomes[name]
            lines.append(f"    {name}: expected {case.expect or 'no code'} {case.score:g}; "
                         f"got {got['codes'] or 'no code'} {got['score']:g}")
    return "\n".join(lines)


def test_corpus_is_large_enough_and_every_expected_place_exists():
    from autograder.spec.codes import Code
    from autograder.spec.questions import QUANTITIES

    assert len(slips_corpus.SLIPS) >= 40 and len(slips_corpus.CORRECT) >= 25
    assert len(CASES) == len(slips_corpus.SLIPS) + len(slips_corpus.CORRECT), "names are unique"
    for case in slips_corpus.SLIPS:
        assert case.expect and set(case.expect) <= set(QUANTITIES), case.name
        assert {Code(code) for code in case.expect.values()}, case.name


def test_no_correct_variant_gets_a_code_or_loses_a_point(outcomes):
    good, total, _ = figures(outcomes)["correct set clean"]
    print("\n" + report(outcomes))
    assert good == total, report(outcomes)


def test_slips_are_named_where_they_happen_at_least_95_percent(outcomes):
    good, total, _ = figures(outcomes)["recall"]
    assert good >= 0.95 * total, report(outcomes)


def test_slips_get_their_fair_total_at_least_95_percent(outcomes):
    good, total, _ = figures(outcomes)["fair points"]
    assert good >= 0.95 * total, report(outcomes)
