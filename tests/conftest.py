from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent  # pytest.ini puts it and tests/ on the path

EXAMPLES = ROOT / "examples" / "submissions"


@pytest.fixture(scope="session")
def dist(tmp_path_factory):
    """A fresh build of dist/ (student folder and autograder.zip), made once per test run."""
    from autograder.build.dist import build

    out = tmp_path_factory.mktemp("dist")
    build(out)
    return out


@pytest.fixture(scope="session")
def reference_values():
    from autograder.judge.expected import expected_values

    return expected_values()


FRESH_SEED = 123456789


def grade_in_process(nb, reference=None):
    """Records of a notebook graded as the batch grader does (official run, then fresh data),
    but executed in this process: fast, and for tests only."""
    from autograder.engine.grading import grade_submission
    from autograder.judge.expected import expected_values
    from autograder.run.execute import run_cells
    from autograder.run.reseed import reseed

    cells = [c.source for c in nb.cells if c.cell_type == "code"]
    again = reseed(cells, FRESH_SEED)
    return grade_submission(run_cells(cells), run_cells(again) if again else None,
                            reference or expected_values(), expected_values(FRESH_SEED))
