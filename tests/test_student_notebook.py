"""The student's side, in a real Jupyter kernel: the handed-out folder, grader.check, public tests only."""

import shutil

import mutants
import nbformat
import pytest
from nbclient import NotebookClient

from autograder.spec.questions import QUESTIONS


def run_in_student_folder(dist, tmp_path, nb, export=False):
    folder = tmp_path / "student"
    shutil.copytree(dist / "student", folder)
    if export:
        nbformat.write(nb, folder / "hw04.ipynb")  # what the student saved before exporting
    else:
        nb.cells = [c for c in nb.cells if "grader.export(" not in c.source]
    NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(folder)}}).execute()
    return {
        c.source.split('"')[1]: "".join(
            str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) + str(o.get("evalue", ""))
            for o in c.outputs
        )
        for c in nb.cells
        if c.cell_type == "code" and c.source.startswith("grader.check(")
    }


@pytest.fixture(scope="module")
def solved(dist, tmp_path_factory):
    """The solution run once in a real kernel, export cell included: (check outputs, its folder)."""
    tmp_path = tmp_path_factory.mktemp("solved")
    return run_in_student_folder(dist, tmp_path, mutants.mutant("solution"), export=True), tmp_path / "student"


def test_solution_passes_every_public_check(solved):
    outputs, _ = solved
    assert set(outputs) == set(QUESTIONS)
    for question, text in outputs.items():
        assert "All test cases passed" in text, (question, text)


# three slips in one notebook, one kernel run: each is named at its own check cell
SLIPS = {"method2": "broadcast", "loop": "no_zero_grad", "method1": "cell_raised"}
DOWNSTREAM = {"step3", "step4"}  # What1 never existed (its cell raised): its gradient and update fail too


@pytest.fixture(scope="module")
def slipped(dist, tmp_path_factory):
    import slips_corpus

    raised = next(c for c in slips_corpus.SLIPS if c.name == "int_tensor_what1")  # What1 = tensor([-5, 10], ...)
    edits = mutants.SUITE["broadcast"][0] + mutants.SUITE["no_zero_grad"][0] + list(raised.edits)
    nb = slips_corpus.notebook(slips_corpus.Case("three_slips", "", tuple(edits)))
    return run_in_student_folder(dist, tmp_path_factory.mktemp("slipped"), nb)


@pytest.mark.parametrize("question, code", sorted(SLIPS.items()))
def test_a_mistake_is_named_at_its_check_cell(slipped, question, code):
    assert f"[{code}]" in slipped[question]


def test_checks_away_from_the_slips_all_pass(slipped):
    others = {q: t for q, t in slipped.items() if q not in SLIPS and q not in DOWNSTREAM}
    assert others and all("All test cases passed" in t for t in others.values()), others


def test_a_cell_that_raised_is_named_with_its_error_and_cause_at_the_check(slipped):
    """`What1 = torch.tensor([-5, 10], requires_grad=True)` raises in the kernel; the check says so."""
    assert "RuntimeError" in slipped["method1"]
    assert "-5.0, 10.0" in slipped["method1"]  # the cause in words: write the values as floats


def test_the_export_cell_makes_a_zip_the_grader_accepts(solved, tmp_path):
    from autograder.batch.grade import Options, grade
    from autograder.batch.results import load_results
    from autograder.spec.questions import total_points

    _, folder = solved
    exported = [z for z in folder.glob("hw04_*.zip") if z.name != "hw04_student.zip"]
    assert len(exported) == 1
    grade([str(exported[0])], tmp_path / "out", Options(jobs=1, keep_workers=True), log=lambda m: None)
    (result,) = load_results(tmp_path / "out")
    assert result.status == "graded" and result.score == total_points()


def _run_export_cell(dist, tmp_path, before: str, extra_notebooks: tuple[str, ...] = ()) -> str:
    """The template's first code cell, `before`, then its export cell, in a real kernel: the output."""
    folder = tmp_path / "student"
    shutil.copytree(dist / "student", folder)
    template = nbformat.read(folder / "hw04.ipynb", as_version=4)
    code = [c for c in template.cells if c.cell_type == "code"]
    nb = nbformat.v4.new_notebook(cells=[code[0], nbformat.v4.new_code_cell(before), code[-1]])
    for name in extra_notebooks:
        nbformat.write(template, folder / name)
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(folder)}}).execute()
    return "".join(str(o.get("text", "")) + str(o.get("ename", "")) + str(o.get("evalue", "")) for o in nb.cells[-1].outputs)


def test_the_export_cell_on_colab_says_how_to_submit_instead_of_a_traceback(dist, tmp_path):
    out = _run_export_cell(dist, tmp_path, "from otter.check.utils import IPythonInterpreter\n"
                                           "grader.interpreter = IPythonInterpreter.COLAB  # otter's own Colab detection")
    assert "Download .ipynb" in out and "다운로드" in out
    assert "RuntimeError" not in out and "Traceback" not in out


def test_the_export_cell_with_two_notebooks_says_which_to_keep_in_both_languages(dist, tmp_path):
    out = _run_export_cell(dist, tmp_path, "pass", extra_notebooks=("hw04 (1).ipynb",))
    assert "hw04 (1).ipynb" in out and "hw04.ipynb" in out
    assert "하나만" in out and "Keep only" in out and "ValueError" not in out


def test_the_export_cell_zips_the_notebook_as_saved_and_prints_nothing_on_stderr(dist, tmp_path):
    """In a real kernel: the zip holds the notebook's latest content on disk, and the cell writes nothing
    a student would read as an error (no stderr, no warning); where nothing can save the notebook for
    the student (no front end here), it says how to save."""
    import time
    import zipfile

    folder = tmp_path / "student"
    shutil.copytree(dist / "student", folder)
    template = nbformat.read(folder / "hw04.ipynb", as_version=4)
    code = [c for c in template.cells if c.cell_type == "code"]
    nb = nbformat.v4.new_notebook(cells=[code[0], nbformat.v4.new_code_cell("marker = 'LATEST-7731'"), code[-1]])
    nbformat.write(nb, folder / "hw04.ipynb")
    started = time.monotonic()
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(folder)}}).execute()
    took = time.monotonic() - started
    outputs = nb.cells[-1].outputs
    assert not [o for o in outputs if o.get("name") == "stderr" or o.get("output_type") == "error"], outputs
    text = "".join(str(o.get("text", "")) for o in outputs)
    assert "Ctrl+S" in text and "저장" in text  # no front end saved it: the student is told how
    (exported,) = [z for z in folder.glob("hw04_*.zip") if z.name != "hw04_student.zip"]
    with zipfile.ZipFile(exported) as zf:
        assert "LATEST-7731" in zf.read("hw04.ipynb").decode("utf-8")
    print(f"export cell, kernel start included: {took:.1f} s")


def test_on_colab_without_the_student_zip_the_first_cell_says_what_to_upload(dist, tmp_path):
    """Colab is simulated as otter detects it (a `google.colab` module); the folder has the notebook only."""
    template = nbformat.read(dist / "student" / "hw04.ipynb", as_version=4)
    first = next(c for c in template.cells if c.cell_type == "code")
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import sys, types\nsys.modules['google.colab'] = types.ModuleType('google.colab')"),
        first])
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    said = "".join(str(o.get("text", "")) + str(o.get("evalue", "")) for o in nb.cells[-1].outputs)
    assert "hw04_student.zip" in said and "올린" in said and "Upload" in said, said
    assert "Tests directory" not in said  # otter's English-only error never comes
