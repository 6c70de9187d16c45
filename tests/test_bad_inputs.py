"""Bad input gets a row with status `invalid` and a reason, never a traceback; nothing is lost."""

import json
import zipfile

import pytest

from autograder.batch import Options, grade
from autograder.results import load_results
from conftest import EXAMPLES


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


CASES = {
    "invalid_json": lambda p: p.write_text('{"cells": [ oops'),
    "nbformat3": lambda p: p.write_text(json.dumps({"nbformat": 3, "worksheets": [{"cells": []}], "metadata": {}})),
    "no_cells": lambda p: p.write_text(notebook([])),
    "r_kernel": lambda p: p.write_text(notebook([code("x <- 1")], kernelspec={"name": "ir", "language": "R"})),
    "syntax_errors": lambda p: p.write_text(notebook([code("def f(:\n"), code("x = (")])),
    "ten_thousand_cells": lambda p: p.write_text(notebook([code("x = 1")] * 10_000)),
    "huge_cell": lambda p: p.write_text(notebook([code("# " + "x" * (50 * 2**20))])),
    "not_utf8": lambda p: p.write_bytes(b"\xff\xfe" + b"\x00" * 100),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    for name, make in CASES.items():
        make(folder / f"{name}.ipynb")
    declared_bomb(folder / "bomb.zip")
    for student in ("kim", "lee"):  # two students, one file name
        (folder / student).mkdir()
        (folder / student / "hw04.ipynb").write_bytes((EXAMPLES / "solution.ipynb").read_bytes())
    out = tmp_path_factory.mktemp("out")
    grade([str(folder)], out, Options(jobs=2), log=lambda m: None)
    return {r["submission"]: r for r in load_results(out)}


@pytest.mark.parametrize("name", [*CASES, "bomb"])
def test_invalid_with_a_reason(graded, name):
    r = graded[name]
    assert r["status"] == "invalid" and r["reason"] and "Traceback" not in r["reason"], r
    assert r["score"] == 0


def test_one_broken_cell_is_not_an_invalid_notebook(tmp_path):
    nb = json.loads((EXAMPLES / "solution.ipynb").read_text())
    nb["cells"].insert(3, code("def f(:"))
    (tmp_path / "one_bad_cell.ipynb").write_text(json.dumps(nb))
    grade([str(tmp_path / "one_bad_cell.ipynb")], tmp_path / "out", Options(jobs=1), log=lambda m: None)
    r = load_results(tmp_path / "out")[0]
    assert r["status"] == "graded" and r["cell_errors"][0]["type"] == "SyntaxError"


def test_duplicate_file_names_from_two_students_both_get_a_row(graded):
    dupes = [r for r in graded.values() if r["file"].endswith("hw04.ipynb")]
    assert len(dupes) == 2 and {r["submission"] for r in dupes} == {"hw04", "hw04-2"}
    assert all(r["status"] == "graded" for r in dupes)
