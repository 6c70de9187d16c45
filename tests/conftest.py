from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent  # pytest.ini puts it and tests/ on the path

EXAMPLES = ROOT / "examples" / "submissions"

# The test files that take longest, longest first (measured with --durations=0): xdist gives each
# worker a whole file at a time in this order (pytest.ini: --dist loadfile --no-loadscope-reorder),
# so the long ones start at once and the short ones fill the end, instead of one long file last.
LONGEST_FIRST = ["test_hard_coding", "test_confinement", "test_adversarial", "test_isolation", "test_gradescope", "test_student_notebook",
                 "test_fresh_seeds", "test_batch", "test_same_as_otter", "test_reports", "test_otter", "test_corpus",
                 "test_mistakes", "test_bad_inputs", "test_lms", "test_sandbox"]


def pytest_collection_modifyitems(items):
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.stem, len(rank)))  # stable: a file's own order is kept


# The plugin's limits in the test build: no honest notebook here needs more than a few seconds, and
# an attack that runs until it is stopped should not hold the suite for the product's 120 s.
TEST_LIMITS = {"timeout": 30, "memory_mb": 1024}


@pytest.fixture(scope="session")
def shared(tmp_path_factory, worker_id) -> Path:
    """A folder that every xdist worker of this test run shares (this process's own without xdist)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if worker_id != "master" else base


@pytest.fixture(scope="session")
def dist(shared):
    """A fresh build of dist/ (student folder, autograder.zip and autograder-plain.zip), made once per test run."""
    from filelock import FileLock

    from autograder.build.dist import build, build_autograder

    out = shared / "dist"
    with FileLock(str(shared / "dist.lock")):
        if not (out / "built").exists():
            build(out, limits=TEST_LIMITS)
            build_autograder(out, limits=TEST_LIMITS, plain=True)  # otter without our plugin: the independent grader
            (out / "built").touch()
    return out


@pytest.fixture(scope="session")
def otter(dist):
    """otter(paths) -> {path: results.json of a real otter run with dist/autograder.zip}, each
    notebook (name and bytes) run once for the whole test run, whichever test asks first."""
    from otter_cache import otter_results

    return lambda paths: otter_results(list(paths), dist / "autograder.zip", dist / "otter-results")


@pytest.fixture(scope="session")
def plain_otter(dist):
    """plain_otter(paths) -> {path: results.json of `otter run` with dist/autograder-plain.zip}: otter
    as a course would use it without us (the hidden tests in the student's kernel, no plugin, no
    fresh data, no carried credit), each notebook run once for the whole test run."""
    from otter_cache import otter_results

    return lambda paths: otter_results(list(paths), dist / "autograder-plain.zip", dist / "otter-plain-results")


@pytest.fixture(scope="session")
def reference_values():
    from autograder.judge.expected import expected_values

    return expected_values()


@pytest.fixture(scope="session")
def examples_batch(shared):
    """examples/submissions graded once for the whole test run (jobs=2, otter's CSV and timing.json too): the output
    folder, with the grader's summary in summary.json. Tests read it; one that changes it works on a copy."""
    import json

    from filelock import FileLock

    from autograder.batch.grade import Options, grade

    out = shared / "examples-batch"
    with FileLock(str(shared / "examples-batch.lock")):
        if not (out / "summary.json").exists():
            summary = grade([str(EXAMPLES)], out, Options(jobs=2, timeout=20, memory_mb=1024, otter_csv=True, keep_workers=True,
                                                            timing=True),
                            log=lambda m: None)
            (out / "summary.json").write_text(json.dumps(summary, default=str))
    return out


FRESH_SEED = 123456789


def grade_in_process(nb, reference=None):
    """Records of a notebook graded by the production path (judge.assess: official run, fresh data,
    the judge), with the in-process runner: fast, and for our own notebooks only."""
    return assess_in_process(nb, reference)[0].records


def assess_in_process(nb, reference=None):
    """(verdict, runs) of a notebook assessed as the batch grader assesses it, run in this process."""
    from autograder.judge.assess import InProcess, Limits, assess
    from autograder.judge.expected import expected_values

    cells = [c.source for c in nb.cells if c.cell_type == "code"]
    return assess(cells, InProcess(), Limits(timeout=60, memory_mb=2048), draw=lambda: expected_values(FRESH_SEED),
                  reference=reference)
