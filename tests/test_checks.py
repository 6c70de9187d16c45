"""The check engine on whole submissions: examples and mutants, executed in-process."""

import re

import pytest

import mutants
from autograder.execute import run_cells
from autograder.grading import grade_all, question_scores
from autograder.questions import QUESTIONS, total_points
from conftest import EXAMPLES


def records_of(nb, reference):
    snaps = run_cells([c.source for c in nb.cells if c.cell_type == "code"])
    return grade_all(snaps, reference)


def read(name):
    import nbformat

    return nbformat.read(EXAMPLES / f"{name}.ipynb", as_version=4)


def test_solution_passes_every_check(reference_values):
    records = records_of(mutants.mutant("solution"), reference_values)
    assert [r for r in records if not r.passed] == []
    assert sum(r.points for r in records) == total_points() > 0


def test_blank_template_scores_zero_and_says_what_is_missing(reference_values):
    records = records_of(read("blank"), reference_values)
    assert sum(r.points for r in records) == 0
    graded = [r for r in records if r.question != "data"]
    assert all(not r.passed for r in graded)
    methods = [r for r in graded if r.question.startswith("method")]
    assert {r.mistake for r in methods} == {"missing"}


def test_lecture_code_gets_every_point(reference_values):
    records = records_of(read("lecture"), reference_values)
    assert [r for r in records if r.max_points > 0 and not r.passed] == []


# mutant -> (question, quantity, mistake named by the public check there)
PUBLIC_FINDINGS = {
    "broadcast": ("method2", "loss2", "broadcast"),
    "sum_not_mean": ("method1", "loss1", "not_own_mse"),
    "update_sign": ("step4", "What1", "update_inconsistent"),
    "wrong_lr": ("step4", "net2", "wrong_optimizer"),
    "no_zero_grad": ("loop", "net", "loop_inconsistent"),
    "weights_not_set": ("method2", "net2", "weights_not_set"),
    "wrong_bias": ("method2", "net2", "wrong_bias"),
    "grad_accumulated": ("step3", "What1.grad", "grad_inconsistent"),
    "not_a_tensor": ("method4", "What4", "not_a_tensor"),
}


@pytest.mark.parametrize("name", sorted(mutants.MUTANTS))
def test_each_mutant_is_named_where_it_happened(name, reference_values):
    question, quantity, code = PUBLIC_FINDINGS[name]
    records = records_of(mutants.mutant(name), reference_values)
    public = {(r.question, r.check): r for r in records if not r.hidden}
    hidden = {(r.question, r.check): r for r in records if r.hidden}
    assert public[(question, quantity)].mistake == code
    assert not hidden[(question, quantity)].passed
    assert question_scores(records)[question] < QUESTIONS[question].points


def test_public_messages_never_show_a_reference_value(reference_values):
    secrets = ["110.03", "17.30", "14.85", "3.269", "8.514", "2.530", "3.991", "1.605", "9.760", "187.2"]
    for name in mutants.MUTANTS:
        for r in records_of(mutants.mutant(name), reference_values):
            if not r.hidden:
                text = r.feedback()
                assert not any(s in text for s in secrets), (name, text)
                assert not re.search(r"\d+\.\d{3,}", text), (name, text)


def test_a_later_cell_reusing_a_name_does_not_change_an_earlier_grade(reference_values):
    nb = mutants.mutant("solution")
    import nbformat

    nb.cells.append(nbformat.v4.new_code_cell("net = None\nWhat1 = 'overwritten'\nloss1 = 0"))
    assert [r for r in records_of(nb, reference_values) if not r.passed] == []
