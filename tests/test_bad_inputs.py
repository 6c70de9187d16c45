"""Bad input gets a row with status `invalid` and a reason, never a traceback; nothing is lost."""

import json
import zipfile

import pytest
from conftest import EXAMPLES

from autograder.batch.grade import Options, grade
from autograder.batch.results import load_results
from autograder.run.notebook import InvalidNotebook, code_cells
from autograder.spec.questions import total_points


def notebook(cells, **meta):
    return json.dumps({"cells": cells, "metadata": meta, "nbformat": 4, "nbformat_minor": 5})


def code(source):
    return {"cell_type": "code", "source": source, "metadata": {}, "outputs": [], "execution_count": None}


def declared_bomb(path):
    """A zip whose directory says it expands to 3 GiB (what a zip bomb declares)."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hw04.ipynb", "{}")
    data = bytearray(path.read_bytes())
    at = data.index(b"PK\x01\x02")
    data[at + 24:at + 28] = (3 * 2**30).to_bytes(4, "little")
    path.write_bytes(bytes(data))


def nested(levels):
    """A notebook whose metadata is `levels` objects deep: json.loads gives up with RecursionError."""
    return ('{"cells": [{"cell_type": "code", "source": "x = 1", "metadata": {}, "outputs": []}], "nbformat": 4, '
            '"metadata": ' + '{"a": ' * levels + "1" + "}" * levels + "}")


# Malformed notebooks that used to crash the reader: name -> (file text, what the reason says)
MALFORMED = {
    "source_not_text": (notebook([code("x = 1"), code([1, 2])]), "cell 2: source is not text"),
    "nbformat_string": (notebook([code("x = 1")]).replace('"nbformat": 4', '"nbformat": "4"'), "nbformat is '4'"),
    "kernelspec_string": (notebook([code("x = 1")], kernelspec="python3"), "metadata.kernelspec is not an object"),
    "nested_100000_deep": (nested(100_000), "nested too deeply"),
}

CASES = {
    "invalid_json": lambda p: p.write_text('{"cells": [ oops'),
    "nbformat3": lambda p: p.write_text(json.dumps({"nbformat": 3, "worksheets": [{"cells": []}], "metadata": {}})),
    "no_cells": lambda p: p.write_text(notebook([])),
    "r_kernel": lambda p: p.write_text(notebook([code("x <- 1")], kernelspec={"name": "ir", "language": "R"})),
    "syntax_errors": lambda p: p.write_text(notebook([code("def f(:\n"), code("x = (")])),
    "ten_thousand_cells": lambda p: p.write_text(notebook([code("x = 1")] * 10_000)),
    "huge_cell": lambda p: p.write_text(notebook([code("# " + "x" * (50 * 2**20))])),
    "not_utf8": lambda p: p.write_bytes(b"\xff\xfe" + b"\x00" * 100),
    **{name: (lambda p, text=text: p.write_text(text)) for name, (text, _) in MALFORMED.items()},
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    for name, make in CASES.items():
        make(folder / f"{name}.ipynb")
    declared_bomb(folder / "bomb.zip")
    # sorts after every bad case: what comes after a malformed notebook is still graded in full
    (folder / "zz_after_the_bad_ones.ipynb").write_bytes((EXAMPLES / "solution.ipynb").read_bytes())
    for student in ("kim", "lee"):  # two students, one file name
        (folder / student).mkdir()
        (folder / student / "hw04.ipynb").write_bytes((EXAMPLES / "solution.ipynb").read_bytes())
    out = tmp_path_factory.mktemp("out")
    grade([str(folder)], out, Options(jobs=2, keep_workers=True), log=lambda m: None)
    return {r.submission: r.to_json() for r in load_results(out)}


@pytest.mark.parametrize("name", [*CASES, "bomb"])
def test_invalid_with_a_reason(graded, name):
    r = graded[name]
    assert r["status"] == "invalid" and r["reason"] and "Traceback" not in r["reason"], r
    assert r["score"] == 0


def test_one_broken_cell_is_not_an_invalid_notebook(tmp_path):
    nb = json.loads((EXAMPLES / "solution.ipynb").read_text())
    nb["cells"].insert(3, code("def f(:"))
    (tmp_path / "one_bad_cell.ipynb").write_text(json.dumps(nb))
    grade([str(tmp_path / "one_bad_cell.ipynb")], tmp_path / "out", Options(jobs=1, keep_workers=True), log=lambda m: None)
    r = load_results(tmp_path / "out")[0].to_json()
    assert r["status"] == "graded" and r["cell_errors"][0]["type"] == "SyntaxError"


def test_duplicate_file_names_from_two_students_both_get_a_row(graded):
    dupes = [r for r in graded.values() if r["file"].endswith("hw04.ipynb")]
    assert len(dupes) == 2 and {r["submission"] for r in dupes} == {"hw04", "hw04-2"}
    assert all(r["status"] == "graded" for r in dupes)


@pytest.mark.parametrize("name", MALFORMED)
def test_malformed_notebook_gets_its_reason(graded, name):
    assert MALFORMED[name][1] in graded[name]["reason"]


def test_what_follows_the_bad_inputs_is_graded_intact(graded):
    r = graded["zz_after_the_bad_ones"]
    assert r["status"] == "graded" and float(r["score"]) == total_points(), r


# code_cells directly: each malformed shape is refused with its reason, never another exception
SHAPES = {
    **{name: (text.encode(), reason) for name, (text, reason) in MALFORMED.items()},
    "nbformat_float": (notebook([code("x = 1")]).replace('"nbformat": 4', '"nbformat": 4.0').encode(), "4.0"),
    "nbformat_null": (b'{"cells": [], "nbformat": null}', "nbformat is None"),
    "language_info_list": (notebook([code("x = 1")], language_info=["python"]).encode(),
                           "metadata.language_info is not an object"),
    "language_not_text": (notebook([code("x = 1")], kernelspec={"language": ["python"]}).encode(),
                          "metadata.kernelspec.language is not text"),
    "metadata_list": (notebook([code("x = 1")]).replace('"metadata": {}, "nbformat"', '"metadata": [], "nbformat"')
                      .encode(), "metadata is not an object"),
    "cell_not_object": (notebook([code("x = 1"), 7]).encode(), "cell 2: not a cell object"),
    "cell_type_not_text": (notebook([{"cell_type": ["code"], "source": "x = 1"}]).encode(), "cell 1: cell_type is not text"),
    "source_a_number": (notebook([code(5)]).encode(), "cell 1: source is not text"),
    "markdown_source_list": (notebook([code("x = 1"), {"cell_type": "markdown", "source": [None]}]).encode(),
                             "cell 2: source is not text"),
    "huge_number": (b'{"cells": [], "nbformat": 4, "x": 1' + b"0" * 5000 + b"}", "number too large"),
    "json_array": (b"[1, 2]", "not an object"),
    "language_with_newlines": (notebook([code("x = 1")], kernelspec={"language": "R\n" * 1000}).encode(), "a R R"),
}


@pytest.mark.parametrize("name", SHAPES)
def test_code_cells_refuses_malformed_shapes_with_a_reason(name):
    data, reason = SHAPES[name]
    with pytest.raises(InvalidNotebook) as e:
        code_cells(data)
    assert reason in str(e.value) and "\n" not in str(e.value) and len(str(e.value)) < 200


def test_code_cells_turns_the_unforeseen_into_a_reason(monkeypatch):
    import autograder.run.notebook as nb

    monkeypatch.setattr(nb, "_language", lambda meta: 1 / 0)
    with pytest.raises(InvalidNotebook, match="could not read the notebook: ZeroDivisionError"):
        code_cells(notebook([code("x = 1")]).encode())


def test_code_cells_reads_a_valid_notebook_as_before():
    cells = code_cells(notebook([code(["x = 1\n", "y = 2"]), {"cell_type": "markdown", "source": "# hi"},
                                 code("z = 3")], kernelspec={"language": "python"}).encode())
    assert cells == ["x = 1\ny = 2", "z = 3"]


@pytest.mark.parametrize("cells", [["def f(:\n", "x = 1"], ["x = 1", "def f(:\n"], ["", "   ", "x = (", "x = 1"]],
                         ids=["broken_then_valid", "valid_then_broken", "blank_and_broken_then_valid"])
def test_a_notebook_with_any_valid_cell_is_read_whole(cells):
    from autograder.run.notebook import syntax_problem

    assert code_cells(notebook([code(c) for c in cells]).encode()) == cells
    assert syntax_problem(cells) is None


def test_a_notebook_with_no_valid_cell_names_the_first_cells_error():
    from autograder.run.notebook import syntax_problem

    cells = code_cells(notebook([code(""), code("def f(:\n"), code("x = (")]).encode())  # read: it is JSON
    assert syntax_problem(cells).startswith("no code cell is valid Python (line 1: ")
    assert syntax_problem(cells[:1] + ["x = 1"] + cells[1:]) is None
