import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

EXAMPLES = ROOT / "examples" / "submissions"


@pytest.fixture(scope="session")
def dist(tmp_path_factory):
    """A fresh build of dist/ (student folder and autograder.zip), made once per test run."""
    from autograder.build import build

    out = tmp_path_factory.mktemp("dist")
    build(out)
    return out


@pytest.fixture(scope="session")
def reference_values():
    from autograder.expected import expected_values

    return expected_values()
