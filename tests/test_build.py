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
