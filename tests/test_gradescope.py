"""The zip's own Gradescope entry point, run with its autograder directory in a temporary folder.

Gradescope runs `run_autograder` (a shell script that activates otter's conda env and then
runs `python /autograder/source/run_otter.py`). Without Gradescope's image there is no
conda env, so this test runs run_otter.py itself, with `/autograder` pointed at tmp_path.
"""

import json
import shutil
import subprocess
import sys
import zipfile

from autograder.questions import QUESTIONS, total_points
from conftest import EXAMPLES

TOP_KEYS = {"score", "execution_time", "output", "output_format", "visibility", "stdout_visibility",
            "extra_data", "tests", "leaderboard"}
TEST_KEYS = {"score", "max_score", "status", "name", "name_format", "number", "output", "output_format",
             "tags", "visibility", "extra_data"}
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}


def run_gradescope(dist, tmp_path, submission):
    ag = tmp_path / "autograder"
    for sub in ("source", "submission", "results"):
        (ag / sub).mkdir(parents=True)
    with zipfile.ZipFile(dist / "autograder.zip") as zf:
        zf.extractall(ag / "source")
    shutil.copy(submission, ag / "submission" / submission.name)
    (ag / "submission_metadata.json").write_text(json.dumps({
        "id": 1, "created_at": "2026-11-27T00:00:00Z", "assignment": {"title": "hw04"},
        "users": [{"email": "student@example.ac.kr", "id": 7, "name": "김학생"}],
    }))
    entry = (ag / "source" / "run_otter.py").read_text()
    assert 'main("/autograder")' in entry
    (ag / "source" / "run_otter.py").write_text(entry.replace('"/autograder"', json.dumps(str(ag))))
    assert "run_otter.py" in (ag / "source" / "run_autograder").read_text()
    proc = subprocess.run([sys.executable, str(ag / "source" / "run_otter.py")], capture_output=True, text=True,
                          timeout=600, cwd=tmp_path)
    results = ag / "results" / "results.json"
    assert results.exists(), proc.stdout + proc.stderr
    return json.loads(results.read_text())


def validate(results):
    assert set(results) <= TOP_KEYS
    assert results.get("stdout_visibility", "visible") in VISIBILITY
    for t in results["tests"]:
        assert set(t) <= TEST_KEYS, t.keys()
        assert t.get("visibility", "visible") in VISIBILITY
        assert isinstance(t.get("name"), str)
        if "max_score" in t:
            assert isinstance(t["score"], (int, float)) and isinstance(t["max_score"], (int, float))


def test_entry_point_writes_valid_results_for_the_solution(dist, tmp_path):
    results = run_gradescope(dist, tmp_path, EXAMPLES / "solution.ipynb")
    validate(results)
    graded = {t["name"]: t for t in results["tests"] if t["name"] in QUESTIONS}
    assert set(graded) == set(QUESTIONS)
    assert sum(t["score"] for t in graded.values()) == total_points()


def test_entry_point_on_the_blank_template_scores_zero(dist, tmp_path):
    results = run_gradescope(dist, tmp_path, EXAMPLES / "blank.ipynb")
    validate(results)
    assert sum(t.get("score", 0) for t in results["tests"]) == 0
    outputs = "\n".join(t.get("output", "") for t in results["tests"])
    assert "[missing]" in outputs
