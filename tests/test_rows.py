"""Every submission found gets exactly one row, under its true owner, in one batch or several into
one output folder: file names of any length, script or encoding; one upload with many notebooks;
names that claim someone else's identity."""

import csv
import json
import os
import random
import shutil
import zipfile

import pytest
from conftest import EXAMPLES

from autograder.batch.grade import Options, grade
from autograder.batch.results import load_results
from autograder.batch.submissions import collect, readable

BLANK = (EXAMPLES / "blank.ipynb").read_bytes()
SOLUTION = (EXAMPLES / "solution.ipynb").read_bytes()
NOT_A_NOTEBOOK = b'{"cells": "none"}'  # invalid at once: no worker time, the row is what is tested
FAST = Options(jobs=1, timeout=20, memory_mb=1024, sandbox=False, keep_workers=True)


def grade_into(out, *paths, options=FAST):
    messages = []
    summary = grade([str(p) for p in paths], out, options, log=messages.append)
    return summary, messages


def rows_of(out):
    with open(out / "grades.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_a_later_batch_with_the_same_file_name_adds_a_row_and_never_replaces_another_students(tmp_path):
    first, second = tmp_path / "section1", tmp_path / "section2"
    for folder, data in ((first, SOLUTION), (second, BLANK)):
        folder.mkdir()
        (folder / "hw04.ipynb").write_bytes(data)
    out = tmp_path / "out"
    grade_into(out, first)
    _, messages = grade_into(out, second)
    results = load_results(out)
    assert sorted(r.score for r in results) == [0, 60]  # both students, each with their own grade
    assert len({r.submission for r in results}) == 2 and len(list((out / "results").glob("*.json"))) == 2
    assert any("new to" in m and "added" in m for m in messages), messages


def test_a_resubmission_of_the_same_file_replaces_its_own_row_and_says_so(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    (folder / "kim.ipynb").write_bytes(BLANK)
    grade_into(out, folder)
    (folder / "kim.ipynb").write_bytes(SOLUTION)
    _, messages = grade_into(out, folder)
    [result] = load_results(out)
    assert result.score == 60
    assert any("graded again" in m and "replaced" in m for m in messages), messages


@pytest.mark.parametrize("name", ["𝔥𝔴" * 60, "김민준의_파이토치_회귀_숙제_" * 12, "a" * 250],
                         ids=["four_byte_characters", "long_hangul", "250_ascii"])
def test_a_name_too_long_in_bytes_still_gets_its_row(tmp_path, name):
    folder = tmp_path / "in"
    folder.mkdir()
    stem = name.encode()[:248].decode(errors="ignore")  # with .ipynb: at most 255 bytes
    (folder / f"{stem}.ipynb").write_bytes(NOT_A_NOTEBOOK)
    summary, _ = grade_into(tmp_path / "out", folder)
    [result] = load_results(tmp_path / "out")
    assert summary["missing"] == [] and len(result.submission.encode()) <= 160


def test_a_file_name_that_is_not_utf8_is_read_as_korean_windows_wrote_it(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    raw = "김민준_hw04.ipynb".encode("cp949")
    with open(os.path.join(os.fsencode(folder), raw), "wb") as f:
        f.write(NOT_A_NOTEBOOK)
    summary, _ = grade_into(tmp_path / "out", folder)
    [result] = load_results(tmp_path / "out")
    assert summary["missing"] == [] and result.file_name == "김민준_hw04.ipynb"


def test_a_zip_from_korean_windows_has_its_names_decoded(tmp_path):
    """Windows' own zip writes names in CP949 without the UTF-8 flag: Python reads them as CP437."""
    raw = "과제.ipynb".encode("cp949")
    placeholder = b"x" * (len(raw) - len(b".ipynb")) + b".ipynb"
    path = tmp_path / "upload.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(placeholder.decode(), NOT_A_NOTEBOOK)  # ASCII: written without the flag
    path.write_bytes(path.read_bytes().replace(placeholder, raw))  # the same bytes Windows would have written
    [sub] = collect([path])
    assert sub.source.endswith(":과제.ipynb") or sub.file_name == "upload.zip"
    assert "과제.ipynb" in sub.source


def test_one_students_zip_of_many_notebooks_is_one_row_grading_the_assignments_newest(tmp_path):
    path = tmp_path / "kim_hw04_2026_09_30T10_00_00_000000.zip"  # an otter export, as the student uploaded it
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("scratch.ipynb", (2026, 9, 30, 12, 0, 0)), BLANK)
        zf.writestr(zipfile.ZipInfo("hw04_old.ipynb", (2026, 9, 28, 9, 0, 0)), BLANK)
        zf.writestr(zipfile.ZipInfo("hw04.ipynb", (2026, 9, 30, 9, 0, 0)), SOLUTION)
        for i in range(200):
            zf.writestr(zipfile.ZipInfo(f"copy{i}.ipynb", (2026, 9, 1, 0, 0, 0)), BLANK)
    summary, _ = grade_into(tmp_path / "out", path)
    [result] = load_results(tmp_path / "out")
    assert result.score == 60 and result.file.endswith(":hw04.ipynb")
    assert "203 notebooks in one upload" in result.reason and "hw04_old.ipynb" in result.reason
    assert "hw04.ipynb," not in result.reason.split("not graded:")[1]  # the graded one is not among the others
    assert len(rows_of(tmp_path / "out")) == 1


def test_a_students_zip_dressed_as_a_gradescope_export_claims_no_one(tmp_path):
    meta = "submission_1:\n  :submitters:\n  - :name: Someone Else\n    :sid: '2026999'\n"
    folder = tmp_path / "uploads"
    folder.mkdir()
    with zipfile.ZipFile(folder / "gradescope_export.zip", "w") as zf:
        zf.writestr("submission_metadata.yml", meta)
        zf.writestr("submission_1/hw04.ipynb", BLANK)
    [sub] = collect([folder])  # found in a folder of uploads: a student's zip, whatever it is called
    assert sub.student_id == "" and "Someone Else" not in sub.student


def test_a_canvas_name_inside_a_folder_of_other_uploads_gives_no_canvas_id(tmp_path):
    folder = tmp_path / "uploads"
    (folder / "kim").mkdir(parents=True)
    (folder / "kim" / "victim_99999_88888_hw04.ipynb").write_bytes(BLANK)
    (folder / "lee.ipynb").write_bytes(BLANK)
    found = collect([folder])
    assert all(s.student_id == "" and not s.canvas for s in found), [(s.student, s.student_id) for s in found]


# The property: whatever the names, every submission found has exactly one row, in one batch or two.
ALPHABET = ["a", "Z", "0", "_", "-", ".", " ", "김", "민", "준", "é", "𝔥", "🙂", "\u202e", "$", "'", "(", ")"]


def random_name(rng):
    return "".join(rng.choice(ALPHABET) for _ in range(rng.choice([1, 3, 8, 40, 90]))).strip() or "x"


@pytest.mark.parametrize("seed", range(6))
def test_property_every_submission_found_has_exactly_one_row(tmp_path, seed):
    rng = random.Random(seed)
    batches = [tmp_path / "b1", tmp_path / "b2"]
    expected = 0
    for b in batches:
        b.mkdir()
        for i in range(rng.randint(3, 7)):
            kind = rng.choice(["file", "nested", "zip", "bytes", "same"])
            name = "hw04" if kind == "same" else random_name(rng)
            folder = b / (random_name(rng) if kind == "nested" else "")
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / f"{name}{'' if kind != 'same' else i}.ipynb"
            if kind == "zip":
                with zipfile.ZipFile(folder / f"{name}.zip", "w") as zf:  # a student's zip: one row however many
                    for j in range(rng.randint(1, 3)):
                        zf.writestr(f"{random_name(rng)}{j}.ipynb", NOT_A_NOTEBOOK)
            elif kind == "bytes":
                with open(os.path.join(os.fsencode(folder), name.encode()[:20] + bytes([0xFF, 0xFE, 0x80 + i]) + b".ipynb"),
                          "wb") as f:
                    f.write(NOT_A_NOTEBOOK)
            elif not target.exists():
                target.write_bytes(NOT_A_NOTEBOOK)
            else:
                continue
            expected += 1
    found = [len(collect([b])) for b in batches]
    assert sum(found) == expected
    out = tmp_path / "out"
    summary1, _ = grade_into(out, batches[0])
    summary2, _ = grade_into(out, batches[1])
    results = load_results(out)
    assert summary1["missing"] == [] and summary2["missing"] == []
    assert len(results) == expected == len(list((out / "results").glob("*.json")))
    assert len({r.submission for r in results}) == expected  # no result file shared
    assert len(rows_of(out)) == expected
    json.dumps([r.to_json() for r in results], ensure_ascii=False).encode("utf-8")  # every name writable as UTF-8
    assert all(readable(r.file) == r.file for r in results)
    shutil.rmtree(out)
