"""Real otter (7.0.0) grades the homework with dist/autograder.zip, as Gradescope would."""

import shutil

from conftest import EXAMPLES

from autograder.otter.baseline import otter_run
from autograder.spec.questions import QUESTIONS, total_points


def scores(results):
    return {q: results["question_scores"][q] for q in QUESTIONS}


def test_solution_gets_full_marks(dist):
    r = otter_run(EXAMPLES / "solution.ipynb", dist / "autograder.zip")
    assert sum(scores(r).values()) == total_points()


def test_solution_saved_under_another_name_grades_the_same(dist, tmp_path):
    renamed = tmp_path / "hw04 (1).ipynb"
    shutil.copy(EXAMPLES / "solution.ipynb", renamed)
    r = otter_run(renamed, dist / "autograder.zip")
    assert sum(scores(r).values()) == total_points()


def test_blank_template_scores_zero_and_still_writes_results(dist):
    r = otter_run(EXAMPLES / "blank.ipynb", dist / "autograder.zip")
    assert set(scores(r)) == set(QUESTIONS)
    assert sum(scores(r).values()) == 0


def test_lecture_code_gets_every_autograded_point(dist):
    r = otter_run(EXAMPLES / "lecture.ipynb", dist / "autograder.zip")
    assert scores(r) == {q: spec.points for q, spec in QUESTIONS.items()}
