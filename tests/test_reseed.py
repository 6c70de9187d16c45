"""The second run finds the data seed wherever the student put it, and only there."""

import mutants
import pytest
from conftest import grade_in_process

from autograder.run.reseed import reseed
from autograder.spec.questions import total_points

REFORMATTED = [
    ("torch.manual_seed(202150754)", "torch.manual_seed( 202150754 )  # 202150754 in a comment stays"),
    ("torch.manual_seed(202150754)", "SEED = 202150754\ntorch.manual_seed(SEED)"),
    ("torch.manual_seed(202150754)", "torch.manual_seed(\n    202150754\n)"),
]


@pytest.mark.parametrize("old, new", REFORMATTED)
def test_a_reformatted_data_cell_still_gets_fresh_data(old, new, reference_values):
    nb = mutants.mutant("solution")
    cell = next(c for c in nb.cells if old in c.source)
    cell.source = cell.source.replace(old, new)
    records = grade_in_process(nb, reference_values)
    assert sum(r.points for r in records) == total_points()
    assert not any(r.mistake for r in records)


def test_strings_and_comments_are_left_alone():
    cells = ['x = "202150754"  # 202150754', "torch.manual_seed(202150754)"]
    assert reseed(cells, 111111111) == ['x = "202150754"  # 202150754', "torch.manual_seed(111111111)"]


def test_a_changed_seed_is_replaced_too_and_no_seed_means_no_second_run():
    assert reseed(["torch.manual_seed(2021)"], 111111111) == ["torch.manual_seed(111111111)"]
    assert reseed(["torch.manual_seed(int('202150754'))"], 111111111) is None


def test_without_a_second_run_nothing_is_earned(reference_values):
    nb = mutants.mutant("solution")
    cell = next(c for c in nb.cells if "torch.manual_seed(202150754)" in c.source)
    cell.source = cell.source.replace("torch.manual_seed(202150754)", "torch.manual_seed(int('202150754'))")
    records = grade_in_process(nb, reference_values)
    assert sum(r.points for r in records) == 0
    assert {r.mistake for r in records if r.hidden and r.max_points} == {"hard_coded"}
