"""The catalogue of mistakes against its mutant suite, and credit carried forward."""

import mutants
import pytest
from conftest import grade_in_process

from autograder.spec import questions
from autograder.spec.mistakes import CATALOGUE
from autograder.spec.questions import QUANTITIES, total_points


def records_of(name, reference):
    return grade_in_process(mutants.hard_coded() if name == "hard_coded" else mutants.mutant(name), reference)


def key(r):
    return f"{r.question}:{r.check}"


@pytest.mark.parametrize("name", sorted(mutants.SUITE))
def test_mutant_gets_exactly_its_code_where_it_happened(name, reference_values):
    _, where, code = mutants.SUITE[name]
    public_code, _, hidden_code = code.partition("/")
    hidden_code = hidden_code or public_code
    records = records_of(name, reference_values)
    at = [r for r in records if key(r).startswith(where)]
    elsewhere = [(key(r), r.hidden, r.mistake) for r in records if not key(r).startswith(where) and r.mistake]
    assert elsewhere == []
    assert at and all(not r.passed for r in at if r.hidden)
    assert {r.mistake for r in at if r.hidden} == {hidden_code}
    public = {r.mistake for r in at if not r.hidden}
    assert public == ({None} if CATALOGUE[public_code].needs_reference else {public_code})
    # every other failing check fails only as a consequence, and says so
    for r in records:
        if not r.passed and not key(r).startswith(where):
            assert r.mistake is None and "earlier" in r.message["en"], (key(r), r.message)


def test_every_catalogue_code_has_a_mutant_or_a_corpus_slip():
    import slips_corpus

    named = {part for _, _, code in mutants.SUITE.values() for part in code.split("/")}
    named |= {code for case in slips_corpus.SLIPS for code in case.expect.values()}  # tests/test_corpus.py
    # hard_coded: test_hard_coded_answers_earn_nothing; not_trained: test_the_public_loop_checks_... and
    # tests/slips_facts.py; cell_skipped: tests/test_roles.py
    assert named | {"hard_coded", "not_trained", "cell_skipped"} == set(CATALOGUE)


def test_the_public_loop_checks_name_a_loop_that_never_steps_or_keeps_its_gradients_without_a_solver(monkeypatch):
    """grader.check in the student's kernel has no solver: it names these slips from the final
    weights, the gradient the loop leaves and the student's own data alone."""
    import autograder.judge  # noqa: F401  (registers the loops, which this test then takes away)
    from autograder.engine.own import IMPLIED
    from autograder.spec.codes import Kind

    for kind in (Kind.LOOP, Kind.HOMEWORK):  # as in the student's kernel, where judge/loops.py is not
        monkeypatch.delitem(IMPLIED, kind)
    cases = {"not_trained": ("    optmz.step()\n    optmz.zero_grad()", "    optmz.zero_grad()"),
             "no_zero_grad": ("    optmz.step()\n    optmz.zero_grad() ## 누적되는 기울기값 방지", "    optmz.step()")}
    for code, (old, new) in cases.items():
        nb = mutants.mutant("solution")
        [cell] = [c for c in nb.cells if c.cell_type == "code" and "누적되는 기울기값 방지" in c.source]
        cell.source = cell.source.replace(old, new)
        assert old not in cell.source
        public = [r for r in grade_in_process(nb) if r.question == "loop" and not r.hidden]
        assert [r.mistake for r in public] == [code], [(r.mistake, r.message) for r in public]
    correct = [r for r in grade_in_process(mutants.mutant("solution")) if r.question in ("loop", "homework") and not r.hidden]
    assert all(r.passed for r in correct) and len(correct) == 2


def test_hard_coded_answers_earn_nothing(reference_values):
    """Every value typed in as a constant (what the solution printed): right on the official data only."""
    records = records_of("hard_coded", reference_values)
    assert sum(r.points for r in records) == 0  # the data cell is worth 0
    scored = [r for r in records if r.hidden and QUANTITIES[key(r)].points > 0]
    assert scored and all(r.mistake == "hard_coded" for r in scored)


@pytest.mark.parametrize("name", ["solution", "lecture"])
def test_correct_work_gets_no_code(name, reference_values):
    import nbformat
    from conftest import EXAMPLES

    nb = mutants.mutant("solution") if name == "solution" else nbformat.read(EXAMPLES / "lecture.ipynb", as_version=4)
    records = grade_in_process(nb, reference_values)
    graded = [r for r in records if r.max_points > 0 or not r.hidden]
    assert [key(r) for r in graded if r.mistake and QUANTITIES[key(r)].points > 0] == []


def test_one_early_slip_loses_only_the_points_where_it_happened(reference_values):
    records = records_of("grad_accumulated", reference_values)
    assert sum(r.points for r in records) == total_points() - QUANTITIES["step3:What1.grad"].points
    update = next(r for r in records if r.hidden and key(r) == "step4:What1")
    assert update.passed and update.carried_forward and update.points == update.max_points


@pytest.mark.parametrize("name", ["broadcast", "sum_not_mean", "weights_not_set", "rmse_not_mse", "grad_accumulated"])
def test_later_steps_are_checked_against_the_students_own_values(name, reference_values):
    records = records_of(name, reference_values)
    carried = [r for r in records if r.carried_forward]
    assert carried, "an early slip must leave later steps that are right given it"
    assert all(r.hidden and r.passed and r.mistake is None for r in carried)
    assert all(r.expected != r.student for r in carried)


def test_points_policy_is_one_setting(reference_values, monkeypatch):
    full = sum(r.points for r in records_of("broadcast", reference_values))
    monkeypatch.setattr(questions, "CARRY_FORWARD", 0.5)
    records = records_of("broadcast", reference_values)
    carried = [r for r in records if r.carried_forward]
    assert carried, "the broadcast slip carries credit forward: the policy has something to act on"
    assert sum(r.points for r in records) == full - 0.5 * sum(r.max_points for r in carried)
    monkeypatch.setattr(questions, "CARRY_FORWARD", 0.0)
    assert sum(r.points for r in records_of("broadcast", reference_values)) == full - sum(r.max_points for r in carried)


def test_public_messages_never_show_a_reference_value(reference_values):
    import re

    for name in mutants.SUITE:
        for r in records_of(name, reference_values):
            if not r.hidden:
                assert not re.search(r"\d+\.\d{3,}", r.feedback()), (name, r.feedback())


@pytest.mark.parametrize("name, broken_at", [("data_mismatch", "data:X"), ("off_by_one", "method1:yhat1")])
def test_no_credit_is_carried_from_changed_data_or_a_value_the_model_did_not_produce(name, broken_at, reference_values):
    """Issue 9 changed these on purpose: implied values are computed from the student's model on the
    grader's data, so a changed data set or a yhat that is not the model's output breaks the chain."""
    records = records_of(name, reference_values)
    assert not any(r.carried_forward for r in records)
    hidden = [r for r in records if r.hidden]
    first = next(r for r in hidden if not r.passed)
    assert key(first) == broken_at and first.mistake
    if name == "off_by_one":  # loss1, What1.grad and the update of What1 lose their points too
        lost = {key(r) for r in hidden if not r.passed and r.max_points > 0}
        assert lost == {"method1:yhat1", "method1:loss1", "step3:What1.grad", "step4:What1"}


def test_codes_and_kinds_are_enums_shared_by_the_catalogue_and_the_questions():
    from autograder.engine.own import IMPLIED
    from autograder.spec.codes import Code, Kind

    assert set(CATALOGUE) == set(Code) and all(type(code) is Code and type(m.code) is Code for code, m in CATALOGUE.items())
    assert all(isinstance(kind, Kind) for m in CATALOGUE.values() for kind in m.kinds)
    assert all(isinstance(q.kind, Kind) for q in QUANTITIES.values())
    assert set(IMPLIED) <= set(Kind)


def test_a_flattened_prediction_is_named_once_and_the_loss_it_broadcasts_into_is_carried(reference_values):
    """yhat2 = net2(X).reshape(-1) with the lecture's y.reshape(100,1) - yhat2: the slip is the
    flattening (`shape`, at yhat2); the broadcast loss, its gradient and the update follow from it."""
    nb = mutants.mutant("solution")
    for cell in nb.cells:
        cell.source = cell.source.replace("yhat2 = net2(X)", "yhat2 = net2(X).reshape(-1)")
    records = grade_in_process(nb, reference_values)
    named = {(key(r), r.mistake) for r in records if r.mistake}
    assert named == {("method2:yhat2", "shape")}
    hidden = {key(r): r for r in records if r.hidden}
    assert hidden["method2:loss2"].carried_forward and hidden["step3:net2.weight.grad"].carried_forward
    assert sum(r.points for r in records) == total_points() - 2
    shape = next(r for r in records if key(r) == "method2:yhat2" and r.hidden).message["en"]
    assert "(100,)" in shape and "(100, 1)" in shape  # which operand had which shape


@pytest.mark.parametrize("start, said", [("[[10.0,-5.0]]", "(10, -5)"), ("[[0.0,0.0]]", "(0, 0)")])
def test_a_homework_loop_from_a_typed_start_names_that_start(reference_values, start, said):
    """The homework loop is affine in its start: the start its end point implies is named when it is
    one a student types (here the lecture's two numbers swapped, or zeros)."""
    import slips_corpus

    case = slips_corpus.Case("start", "", (slips_corpus.homework(
        "net.weight.data = torch.tensor([[-5.0,10.0]])", f"net.weight.data = torch.tensor({start})"),))
    records = grade_in_process(slips_corpus.notebook(case), reference_values)
    named = {(key(r), r.mistake) for r in records if r.mistake and r.hidden}
    assert named == {("homework:net", "wrong_start")}
    assert said in next(r for r in records if key(r) == "homework:net" and r.hidden).message["en"]
