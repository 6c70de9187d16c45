"""What ships: nothing hidden reaches students; the autograder zip has what Gradescope needs."""

import re
import zipfile

import nbformat

from autograder.build.dist import SOLUTION, TEMPLATE
from autograder.build.template import student_notebook
from autograder.spec.questions import QUESTIONS

SECRETS = ["110.03", "17.304", "14.858", "3.2696", "8.5142", "2.5306", "3.9915", "1.6055", "9.7606"]


def _student_texts(student):
    for path in student.rglob("*"):
        if path.is_file() and path.suffix != ".zip":
            yield path.relative_to(student).as_posix(), path.read_text(encoding="utf-8")
    with zipfile.ZipFile(student / "hw04_student.zip") as zf:
        for name in zf.namelist():
            yield f"zip:{name}", zf.read(name).decode("utf-8")


def test_student_folder_has_no_hidden_test_and_no_reference(dist):
    student = dist / "student"
    names = set()
    for name, text in _student_texts(student):
        names.add(name)
        assert "hidden=True" not in text and '"hidden": true' not in text, name
        assert "solutions" not in text and "import reference" not in text, name
        assert not any(s in text for s in SECRETS), name
        assert "# SOLUTION" not in text and "BEGIN SOLUTION" not in text, name
    assert not any(n.startswith(("autograder/judge", "zip:autograder/judge")) or "reference" in n for n in names)
    shipped = {n.split("/")[1] for n in names if n.startswith("autograder/") and n.count("/") >= 2}
    assert shipped == {"engine", "spec"}  # the homework as data and the check engine, whole: nothing else
    assert {f"tests/{q}.py" for q in QUESTIONS} <= names
    assert "hw04.ipynb" in names and "zip:hw04.ipynb" in names


def test_autograder_zip_holds_hidden_tests_reference_and_pinned_requirements(dist):
    with zipfile.ZipFile(dist / "autograder.zip") as zf:
        names = set(zf.namelist())
        assert {f"tests/{q}.py" for q in QUESTIONS} <= names
        assert {"files/solutions/reference.py", "files/autograder/judge/expected.py", "run_autograder", "setup.sh",
                "otter_config.json", "environment.yml"} <= names
        env = zf.read("environment.yml").decode()
        assert "torch==2.13.0" in env and "download.pytorch.org/whl/cpu" in env
        assert "otter-grader[grading,plugins]==7.0.0" in env and "python=3.11" in env
        method1 = zf.read("tests/method1.py").decode()
        assert "OK_FORMAT = False" in method1 and "hidden=True" in method1
        setup = zf.read("setup.sh").decode()
        # only what the zip uses: the browser for PDFs behind the pdf/token test, and the sandbox
        browser = setup.index("playwright install chromium")
        assert setup.rindex("jq -e '[.pdf, .token] | any'", 0, browser) > setup.rindex("\nfi", 0, browser)
        assert "apt-get install -y bubblewrap" in setup


def test_points_are_defined_once_and_reach_the_test_files(dist):
    with zipfile.ZipFile(dist / "autograder.zip") as zf:
        for name, q in QUESTIONS.items():
            text = zf.read(f"tests/{name}.py").decode()
            assert f"points = {q.points}" in text
            hidden_points = [float(p) for p in re.findall(r"points=([\d.]+), hidden=True", text)]
            assert hidden_points == [quantity.points for quantity in q.quantities]


def test_template_is_the_solution_stripped():
    want = student_notebook(nbformat.read(SOLUTION, as_version=4))
    have = nbformat.read(TEMPLATE, as_version=4)
    assert [(c.cell_type, c.source) for c in want.cells] == [(c.cell_type, c.source) for c in have.cells]
    checks = [c.source for c in have.cells if c.source.startswith("grader.check(")]
    assert checks == [f'grader.check("{q}")' for q in QUESTIONS]
    assert have.cells[-1].source.strip().endswith("export(grader)")  # autograder/engine/submit.py
    assert "Download .ipynb" in have.cells[0].source and "Download .ipynb" in have.cells[-1].source  # Colab


def test_zip_test_cases_only_fail_closed_so_no_run_without_the_plugin_earns_a_point(dist):
    """The plugin writes every case's result; a kernel that ran the cases itself could pass none,
    whatever its namespace holds."""
    from otter.test_files.exception_test import ExceptionTestFile

    with zipfile.ZipFile(dist / "autograder.zip") as zf:
        for name in QUESTIONS:
            test_file = ExceptionTestFile.from_string(zf.read(f"tests/{name}.py").decode(), path=f"tests/{name}.py")
            test_file.run({})  # what otter's kernel does with each file
            assert len(test_file.test_case_results) == 2 * len(QUESTIONS[name].quantities)
            for result in test_file.test_case_results:
                assert not result.passed and "graded outside this kernel" in result.message, (name, result)


SOLVER_HUNT = r"""
import importlib, inspect, json, pkgutil, sys
import numpy as np
X, y, loops = (np.load(sys.argv[1] + name) for name in ("/X.npy", "/y.npy", "/loops.npy"))
import autograder
offenders = []
for info in pkgutil.walk_packages(autograder.__path__, "autograder."):
    module = importlib.import_module(info.name)
    for name, f in inspect.getmembers(module, inspect.isfunction):
        if f.__module__ != module.__name__:
            continue
        for zero_grad in (True, False):
            given = {"X": X, "y": y, "w": np.array([-5.0, 10.0]), "w0": np.array([-5.0, 10.0]),
                     "start": np.array([-5.0, 10.0]), "lr": 0.1, "epochs": 100, "zero_grad": zero_grad, "n": 100}
            params = inspect.signature(f).parameters.values()
            if any(p.default is p.empty and p.name not in given and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
                   for p in params):
                continue
            try:
                out = np.asarray(f(**{p.name: given[p.name] for p in params if p.name in given}), dtype=float).reshape(-1)
            except Exception:
                continue
            if out.size == 2 and any(np.allclose(out, loop, rtol=1e-3, atol=1e-3) for loop in loops):
                offenders.append(f"{info.name}.{name}")
print(json.dumps(sorted(set(offenders))))
"""


def test_no_function_in_the_student_package_returns_the_loops_weights_for_the_official_data(dist, tmp_path):
    """Every function the student package ships, called with the official data and the loop's
    settings by the names its parameters have: none returns either loop's final weights."""
    import json
    import subprocess
    import sys

    import numpy as np

    from autograder.judge.expected import expected_values
    from autograder.judge.loops import gradient_descent

    ref = expected_values()
    X, y = np.asarray(ref.data.X, dtype=float), np.asarray(ref.data.y, dtype=float)
    np.save(tmp_path / "X.npy", X)
    np.save(tmp_path / "y.npy", y)
    np.save(tmp_path / "loops.npy", np.array([gradient_descent(X, y, [-5.0, 10.0], 0.1, 100, z) for z in (True, False)]))
    found = subprocess.run([sys.executable, "-c", SOLVER_HUNT, str(tmp_path)], capture_output=True, text=True,
                           cwd=dist / "student", env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(dist / "student")})
    assert found.returncode == 0, found.stderr[-2000:]
    assert json.loads(found.stdout) == []
