"""The check engine on whole submissions: examples and mutants, executed in-process."""

import mutants
from conftest import EXAMPLES, grade_in_process

from autograder.spec.questions import total_points


def records_of(nb, reference):
    return grade_in_process(nb, reference)


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
    assert {r.mistake for r in methods} == {"missing", None}  # None: a blank above it already failed
    assert all(r.mistake == "missing" for r in methods if r.check in ("What1", "net2", "net3"))


def test_lecture_code_gets_every_point(reference_values):
    records = records_of(read("lecture"), reference_values)
    assert [r for r in records if r.max_points > 0 and not r.passed] == []


def test_a_later_cell_reusing_a_name_does_not_change_an_earlier_grade(reference_values):
    nb = mutants.mutant("solution")
    import nbformat

    nb.cells.append(nbformat.v4.new_code_cell("net = None\nWhat1 = 'overwritten'\nloss1 = 0"))
    assert [r for r in records_of(nb, reference_values) if not r.passed] == []
