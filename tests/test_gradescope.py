"""The zip's own Gradescope entry point, run with its autograder directory in a temporary folder.

Gradescope runs `run_autograder` (a shell script that activates otter's conda env and then
runs `python /autograder/source/run_otter.py`). Without Gradescope's image there is no
conda env, so this test runs run_otter.py itself, with `/autograder` pointed at tmp_path.
"""

import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import EXAMPLES

from autograder.spec.questions import QUESTIONS, total_points

TOP_KEYS = {"score", "execution_time", "output", "output_format", "visibility", "stdout_visibility",
            "extra_data", "tests", "leaderboard"}
TEST_KEYS = {"score", "max_score", "status", "name", "name_format", "number", "output", "output_format",
             "tags", "visibility", "extra_data"}
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}


def run_gradescope(dist, tmp_path, submission, env=None):
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
                          timeout=600, cwd=tmp_path, env=env)
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
    # students see every question's result and messages once grades are published (the default)
    assert {t["visibility"] for t in graded.values()} == {"after_published"}
    # a student's own text in an output (an error message, a name) is shown as text, never as HTML
    assert results["output_format"] == "text" and {t["output_format"] for t in results["tests"]} == {"text"}


@pytest.mark.parametrize("chosen", ["hidden", "visible", "after_published"])
def test_the_one_visibility_setting_decides_what_gradescope_shows(tmp_path, chosen):
    from autograder.otter.gradescope import set_visibility
    from autograder.otter.plugin import PLUGIN_NAME

    config = tmp_path / "otter_config.json"
    config.write_text(json.dumps({"plugins": [{PLUGIN_NAME: {"visibility": chosen}}]}))
    results = tmp_path / "results.json"
    results.write_text(json.dumps({"tests": [{"name": "Public Tests", "visibility": "visible", "output": ""},
                                             {"name": "method1", "score": 4, "max_score": 4, "visibility": "hidden"}]}))
    set_visibility(results, config)
    tests = json.loads(results.read_text())["tests"]
    assert [t["visibility"] for t in tests] == ["visible", chosen]


def test_the_shipped_setting_is_after_published():
    from conftest import ROOT

    from autograder.otter.plugin import PLUGIN_NAME, visibility

    plugins = json.loads((ROOT / "otter_config.json").read_text())["plugins"]
    assert visibility(next(p[PLUGIN_NAME] for p in plugins if isinstance(p, dict))) == "after_published"


def test_entry_point_on_the_blank_template_scores_zero(dist, tmp_path):
    results = run_gradescope(dist, tmp_path, EXAMPLES / "blank.ipynb")
    validate(results)
    assert sum(t.get("score", 0) for t in results["tests"]) == 0
    outputs = "\n".join(t.get("output", "") for t in results["tests"])
    assert "[missing]" in outputs


MALFORMED = {
    "source_not_text": {"cells": [{"cell_type": "code", "source": [1, 2], "metadata": {}, "outputs": []}],
                        "metadata": {}, "nbformat": 4, "nbformat_minor": 5},
    "nbformat_a_string": {"cells": [], "metadata": {}, "nbformat": "4", "nbformat_minor": 5},
    "kernelspec_a_string": {"cells": [{"cell_type": "code", "source": "x = 1", "metadata": {}, "outputs": []}],
                            "metadata": {"kernelspec": "python3"}, "nbformat": 4, "nbformat_minor": 5},
}


@pytest.mark.parametrize("name", [*MALFORMED, "nested_100000_deep"])
def test_a_notebook_otter_cannot_read_still_gets_results_saying_why(dist, tmp_path, name):
    path = tmp_path / "hw04.ipynb"
    if name in MALFORMED:
        path.write_text(json.dumps(MALFORMED[name]))
    else:
        path.write_text('{"cells": [], "nbformat": 4, "nbformat_minor": 5, "metadata": '
                        + '{"a": ' * 100_000 + "1" + "}" * 100_000 + "}")
    results = run_gradescope(dist, tmp_path, path)
    validate(results)
    assert results["score"] == 0
    assert "읽을 수 없어" in results["output"] and "could not be read" in results["output"]


ROOT_ATTACK = """
import glob, os, subprocess, sys, torch
AG = {ag!r}
FORGED = '{{"score": 60, "tests": []}}'
leaked = []
for pattern in ["/source/tests/*.py", "/source/files/solutions/*.py", "/source/otter_config.json", "/submission/*",
                "/source/*"]:
    for path in glob.glob(AG + pattern):
        try:
            open(path).read()
            leaked.append(path)
        except OSError:
            pass
try:
    with open(AG + "/results/results.json", "w") as f:
        f.write(FORGED)
except OSError:
    pass
daemon = "import time; time.sleep(4); open(%r, 'w').write(%r)" % (AG + "/results/results.json", FORGED)
subprocess.Popen([sys.executable, "-c", daemon], start_new_session=True)
if leaked:  # what it read would be worth points: here, yhat1 done right
    What1 = torch.tensor([-5.0, 10.0], requires_grad=True)
    yhat1 = X @ What1
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="the unprivileged user is for a grader running as root, as on Gradescope")
def test_as_root_without_bubblewrap_student_code_reads_no_secret_and_cannot_change_results(dist, tmp_path):
    import nbformat

    bin_dir = tmp_path / "bin"  # a PATH with python and the shell tools, but no bwrap
    bin_dir.mkdir()
    for tool in ("sh", "sleep"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}:{bin_dir}")
    nb = nbformat.read(EXAMPLES / "blank.ipynb", as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "loss1 = ..." in c.source) + 1
    nb.cells.insert(at, nbformat.v4.new_code_cell(ROOT_ATTACK.format(ag=str(tmp_path / "autograder"))))
    nbformat.write(nb, tmp_path / "attack.ipynb")
    results = run_gradescope(dist, tmp_path, tmp_path / "attack.ipynb", env=env)
    validate(results)
    assert sum(t.get("score", 0) for t in results["tests"]) == 0
    time.sleep(6)  # the daemon it left would have rewritten results.json by now
    after = json.loads((tmp_path / "autograder" / "results" / "results.json").read_text())
    assert after == results
    honest = tmp_path / "honest"  # and the same user grades honest work in full
    honest.mkdir()
    results = run_gradescope(dist, honest, EXAMPLES / "solution.ipynb", env=env)
    assert sum(t.get("score", 0) for t in results["tests"]) == total_points()


def test_build_refuses_a_visibility_gradescope_does_not_know(tmp_path, monkeypatch):
    import autograder.build.dist as dist
    from autograder.otter.plugin import PLUGIN_NAME

    root = tmp_path / "root"
    root.mkdir()
    (root / "otter_config.json").write_text(json.dumps({"plugins": [{PLUGIN_NAME: {"visibility": "after_due"}}]}))
    monkeypatch.setattr(dist, "ROOT", root)
    with pytest.raises(SystemExit, match="visibility must be one of"):
        dist.build_autograder(tmp_path / "dist")
