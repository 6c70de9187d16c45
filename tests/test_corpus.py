"""Fair diagnosis on corpora of realistic submissions whose expected outcomes were written before
the grader ran on them: tests/slips_corpus.py, which the grader was then improved on, and
tests/slips_heldout.py, written later by another hand to measure how the rules generalise, and
tests/slips_facts.py, slips whose cause the notebook's own code pins down, and tests/organised_corpus.py,
correct notebooks organised as students organise them (functions, classes, other names, containers,
cell magics, cells split or merged, saved from Colab or VS Code).

Three figures per corpus, printed and checked:
- correct set clean: correct-but-different notebooks with no mistake code and full marks (100 %);
- recall: slips whose expected code is named at each expected place (100 %);
- precision: slips where no hidden check names a code the case does not expect (100 %);
- fair points: slips whose total equals the expected fair total (100 %).
Graded as the batch grader grades (official run, then fresh data, with the cells that raised),
executed in this process's forks: these notebooks are our own.
"""

import pytest
from corpora import CORPORA, assess_all, slips

MIN_SIZE = {"corpus": (40, 25), "held-out": (25, 15), "facts": (8, 2), "organised": (0, 30)}  # (slips, correct variants)
CASES = {(corpus, c.name): c for corpus, m in CORPORA.items() for c in slips(m) + m.CORRECT}


@pytest.fixture(scope="module")
def outcomes(shared):
    found = assess_all(shared)
    return {(corpus, name): found[f"{corpus}:{name}"] for corpus, name in CASES}


def figures(outcomes, corpus: str) -> dict[str, tuple[int, int, list[str]]]:
    """{figure: (good, total, the cases that miss it)} for one corpus."""
    m = CORPORA[corpus]
    got = {name: outcomes[(corpus, name)] for name in [c.name for c in slips(m) + m.CORRECT]}
    clean = [c.name for c in m.CORRECT if not got[c.name]["codes"] and got[c.name]["score"] == c.score]
    named = [c.name for c in slips(m) if all(got[c.name]["hidden"].get(k) == v for k, v in c.expect.items())]
    fair = [c.name for c in slips(m) if abs(got[c.name]["score"] - c.score) < 1e-9]
    # precise: every code a hidden check names is one the case expects there, or the case's own code showing at
    # another place its slip reaches (a cell that raised loses every value it would have made)
    precise = [c.name for c in slips(m) if all(c.expect.get(k) == v or v in c.expect.values()
                                              for k, v in got[c.name]["hidden"].items() if v)]
    return {
        "correct set clean": (len(clean), len(m.CORRECT), sorted({c.name for c in m.CORRECT} - set(clean))),
        "recall": (len(named), len(slips(m)), sorted({c.name for c in slips(m)} - set(named))),
        "fair points": (len(fair), len(slips(m)), sorted({c.name for c in slips(m)} - set(fair))),
        "precision": (len(precise), len(slips(m)), sorted({c.name for c in slips(m)} - set(precise))),
    }


def report(outcomes) -> str:
    lines = []
    for corpus in CORPORA:
        for figure, (good, total, misses) in figures(outcomes, corpus).items():
            if total:
                lines.append(f"{corpus}: {figure}: {good}/{total} = {100 * good / total:.1f} %")
            for name in misses:
                case, got = CASES[(corpus, name)], outcomes[(corpus, name)]
                lines.append(f"    {name}: expected {getattr(case, 'expect', None) or 'no code'} {case.score:g}; "
                             f"got {got['codes'] or 'no code'} {got['score']:g}")
    return "\n".join(lines)


@pytest.mark.parametrize("corpus", CORPORA)
def test_corpus_is_large_enough_and_every_expected_place_and_code_exists(corpus):
    from autograder.spec.codes import Code
    from autograder.spec.questions import QUANTITIES

    m = CORPORA[corpus]
    assert len(slips(m)) >= MIN_SIZE[corpus][0] and len(m.CORRECT) >= MIN_SIZE[corpus][1]
    assert len({c.name for c in slips(m) + m.CORRECT}) == len(slips(m)) + len(m.CORRECT), "names are unique"
    for case in slips(m):
        assert case.expect and set(case.expect) <= set(QUANTITIES), case.name
        assert all(Code(code) for code in case.expect.values()), case.name


@pytest.mark.parametrize("corpus", CORPORA)
def test_no_correct_variant_gets_a_code_or_loses_a_point(outcomes, corpus):
    good, total, _ = figures(outcomes, corpus)["correct set clean"]
    print("\n" + report(outcomes))
    assert good == total, report(outcomes)


@pytest.mark.parametrize("corpus", CORPORA)
def test_every_slip_is_named_where_it_happens(outcomes, corpus):
    good, total, _ = figures(outcomes, corpus)["recall"]
    assert good == total, report(outcomes)


@pytest.mark.parametrize("corpus", CORPORA)
def test_no_slip_gets_a_code_its_case_does_not_expect(outcomes, corpus):
    good, total, _ = figures(outcomes, corpus)["precision"]
    assert good == total, report(outcomes)


@pytest.mark.parametrize("corpus", CORPORA)
def test_every_slip_gets_its_fair_total(outcomes, corpus):
    good, total, _ = figures(outcomes, corpus)["fair points"]
    assert good == total, report(outcomes)
