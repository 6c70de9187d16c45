"""Real otter (7.0.0) grades the homework with dist/autograder.zip, as Gradescope would.

The first test runs the `otter run` command line; the others take the session's cached runs of
the same `otter.run.main` (tests/otter_cache.py).
"""

import nbformat
from conftest import EXAMPLES

from autograder.otter.baseline import otter_run
from autograder.spec.questions import QUESTIONS, total_points


def scores(results):
    assert not isinstance(results, Exception), results
    return {q: results["question_scores"][q] for q in QUESTIONS}


def test_otter_run_command_gives_the_solution_full_marks(dist):
    r = otter_run(EXAMPLES / "solution.ipynb", dist / "autograder.zip")
    assert sum(scores(r).values()) == total_points()


def test_solution_saved_under_another_name_grades_the_same(otter, tmp_path):
    nb = nbformat.read(EXAMPLES / "solution.ipynb", as_version=4)
    nb.metadata["saved_as"] = "a copy"  # bytes of its own, so the cache cannot answer with the original's run
    renamed = tmp_path / "hw04 (1).ipynb"
    nbformat.write(nb, renamed)
    r = otter([renamed])[renamed]
    assert sum(scores(r).values()) == total_points()


def test_blank_template_scores_zero_and_still_writes_results(otter):
    path = EXAMPLES / "blank.ipynb"
    r = otter([path])[path]
    assert set(scores(r)) == set(QUESTIONS)
    assert sum(scores(r).values()) == 0


def test_lecture_code_gets_every_autograded_point(otter):
    path = EXAMPLES / "lecture.ipynb"
    r = otter([path])[path]
    assert scores(r) == {q: spec.points for q, spec in QUESTIONS.items()}
