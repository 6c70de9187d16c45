"""The TA finishes the grade: hand points and corrections in manual.csv, late work, and grades and
feedback that reach Canvas whole. A Canvas download graded as a TA would, end to end."""

import csv
import io
import shutil
import zipfile

import nbformat
import pytest
from conftest import EXAMPLES

from autograder.batch.grade import Options, grade
from autograder.batch.manual import COLUMNS, LatePolicy, ManualError
from autograder.report.pages import write_reports

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FAST = Options(jobs=2, timeout=30, memory_mb=1024, sandbox=False, keep_workers=True)
ANSWER = "zero_grad() 가 없으면 backward() 가 기울기를 .grad 에 더하므로 업데이트가 누적됩니다."


def notebook(base: str, answer: str) -> bytes:
    nb = nbformat.read(EXAMPLES / f"{base}.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "otter_answer_cell" in c.get("metadata", {}).get("tags", []))
    cell.source = answer
    return nbformat.writes(nb).encode()


# user id, attachment id, name as Canvas squeezes it, base notebook, late
STUDENTS = {
    "12349": ("67894", "김민준", "solution", False),
    "23456": ("78901", "leejiwoo", "wrong_lr", True),  # LATE
    "34567": ("89012", "parkseoyeon", "solution", False),  # resubmitted: hw04-1
    "45678": ("90123", "이서연", "broadcast", False),
    "56789": ("11111", "choiminsu", "no_zero_grad", False),
    "88888": ("22222", "notinroster", "solution", False),  # not in the roster
}
ROSTER = ("\ufeffStudent,ID,SIS User ID,SIS Login ID,Integration ID,Section,hw04 (12345),Current Score\n"
          "    Points Possible,,,,,,64.00,(read only)\n"
          '"김, 민준",12349,2026101,minjun.kim,,A,,\n"Lee, Jiwoo",23456,2026102,jiwoo.lee,,A,,\n'
          '"Park, Seoyeon",34567,2026103,seoyeon.park,,B,,\n"이, 서연",45678,2026104,seoyeon.lee,,B,,\n'
          '"Choi, Minsu",56789,2026105,minsu.choi,,A,,\n')


def download(folder, answers=None):
    answers = answers or {}
    path = folder / "submissions.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for uid, (fid, name, base, late) in STUDENTS.items():
            suffix = "-1" if uid == "34567" else ""
            zf.writestr(f"{name}{'_LATE' if late else ''}_{uid}_{fid}_hw04{suffix}.ipynb",
                        notebook(base, answers.get(uid, ANSWER)))
    return path


def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def fill(out, points=3.0, correction=None, edit=None):
    """As a TA fills manual.csv in a spreadsheet: points for every written answer, maybe a correction."""
    table = rows(out / "manual.csv")
    for row in table:
        row["points"], row["comment"] = f"{points:g}", "설명이 정확합니다"
    if correction:
        table.append(dict(zip(COLUMNS, correction)))
    if edit:
        edit(table)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(table)
    (out / "manual.csv").write_text(buffer.getvalue(), encoding="utf-8-sig")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("canvas")
    (base / "roster.csv").write_text(ROSTER, encoding="utf-8")
    out = base / "out"
    grade([str(download(base))], out, FAST, log=lambda m: None)
    return base, out


def report(base, out, **kw):
    return write_reports(out, roster=base / "roster.csv", assignment="hw04", late=LatePolicy.parse("10%"), **kw)


def test_grade_writes_manual_csv_with_every_students_written_answer(graded):
    _, out = graded
    table = rows(out / "manual.csv")
    assert list(table[0]) == COLUMNS
    assert len(table) == len(STUDENTS) and {r["question"] for r in table} == {"homework_written"}
    assert all(r["points"] == "" and r["comment"] == "" and ANSWER in r["answer"] for r in table)
    assert (out / "manual.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads the Hangul as UTF-8
    assert {r["student"] for r in table} >= {"김민준", "이서연"}


def test_the_whole_grade_reaches_grades_csv_canvas_csv_feedback_and_the_canvas_zip(graded, tmp_path):
    base, first = graded
    out = tmp_path / "out"
    shutil.copytree(first, out)
    correction = ["choiminsu", "56789", "", "loop", "6", "6", "루프는 맞습니다: zero_grad() 위치만 다릅니다", ""]
    fill(out, points=3, correction=correction)
    made = report(base, out)
    auto = {r["canvas_user_id"]: r for r in rows(out / "grades.csv")}
    canvas = {r["ID"]: r for r in rows(out / "canvas.csv")[1:]}
    assert float(rows(out / "canvas.csv")[0]["hw04 (12345)"]) == 64  # Points Possible: the whole assignment
    for uid, (_, _, base_name, late) in STUDENTS.items():
        row = auto[uid]
        autograded = sum(float(row[q]) for q in ("data", "method1", "method2", "method3", "method4", "method5",
                                                   "method6", "step3", "step4", "loop", "homework", "sgd"))
        want = autograded + 3 - (6.4 if late else 0)
        assert float(row["score"]) == pytest.approx(want) and float(row["max_score"]) == 64, (uid, row)
        assert float(row["late_deduction"]) == (6.4 if late else 0)
        if uid != "88888":
            assert float(canvas[uid]["hw04 (12345)"]) == pytest.approx(want)
    assert auto["56789"]["loop"] == "6.0"  # the correction replaced the autograder's points
    assert "88888" not in canvas  # not in the roster: left out, and said
    summary = (out / "summary.html").read_text(encoding="utf-8")
    assert "notinroster" in summary.split("id='counts'")[0]  # in the to-do list, at the top
    # the zip Canvas's Re-Upload reads: the first two all-digit parts of a name split at "_"
    with zipfile.ZipFile(made["canvas_feedback"]) as zf:
        names = zf.namelist()
    found = {tuple(p for p in name.split("_") if p.isdigit())[:2] for name in names}
    assert found == {(uid, fid) for uid, (fid, *_rest) in STUDENTS.items()}
    page = next(p for p in (out / "feedback").glob("*56789*.html"))
    text = page.read_text(encoding="utf-8")
    assert "루프는 맞습니다" in text and "조교 채점" in text


@pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed (.ci/run installs it)")
def test_the_correction_and_its_comment_show_in_the_students_page_in_chromium(graded, tmp_path):
    from playwright.sync_api import sync_playwright

    base, first = graded
    out = tmp_path / "out"
    shutil.copytree(first, out)
    fill(out, correction=["choiminsu", "56789", "", "loop", "6", "6", "루프는 맞습니다", ""])
    report(base, out)
    page = next(p for p in (out / "feedback").glob("*56789*.html"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            tab = browser.new_page()
            tab.goto(page.as_uri())
            staff = tab.inner_text("#staff")
        finally:
            browser.close()
    assert "loop" in staff and "6 / 6" in staff and "루프는 맞습니다" in staff


def test_an_import_never_lowers_a_grade_canvas_leaves_out_whoever_lacks_hand_points(graded, tmp_path):
    base, first = graded
    out = tmp_path / "out"
    shutil.copytree(first, out)
    fill(out, edit=lambda table: table[0].update(points="", comment=""))
    report(base, out)
    missing = rows(out / "manual.csv")[0]["canvas_user_id"]
    canvas = {r["ID"] for r in rows(out / "canvas.csv")[1:]}
    assert missing not in canvas and len(canvas) == len(STUDENTS) - 2  # and the one not in the roster
    assert any(r["canvas_user_id"] == missing and "hand-graded" in r["reason"] for r in rows(out / "unmatched.csv"))
    report(base, out, partial=True)  # asked for: partial totals
    assert missing in {r["ID"] for r in rows(out / "canvas.csv")[1:]}


def test_grading_again_keeps_every_typed_value_and_flags_a_changed_resubmission(graded, tmp_path):
    base, first = graded
    out = tmp_path / "out"
    shutil.copytree(first, out)
    fill(out, points=2, correction=["choiminsu", "56789", "", "loop", "6", "5", "부분 인정", ""])
    report(base, out)
    before = {(r["canvas_user_id"], r["question"]): (r["points"], r["comment"]) for r in rows(out / "manual.csv")}
    original = (base / "submissions.zip").read_bytes()
    try:  # the TA downloads the class again, over the first download: 12349 rewrote the answer
        grade([str(download(base, {"12349": "완전히 새로 쓴 답입니다."}))], out,
              Options(**{**vars(FAST), "force": True}), log=lambda m: None)
    finally:
        (base / "submissions.zip").write_bytes(original)
    after = rows(out / "manual.csv")
    assert {(r["canvas_user_id"], r["question"]): (r["points"], r["comment"]) for r in after} == before
    flagged = {r["canvas_user_id"] for r in after if r["answer"].startswith("[답안이 바뀜")}
    assert flagged == {"12349"}


@pytest.mark.parametrize("edit, problem", [
    (lambda t: t[1].update(points="three"), "is not a number"),
    (lambda t: t[1].update(points="-1"), "is negative"),
    (lambda t: t[1].update(points="5"), "is above 4"),
    (lambda t: t.append(dict(t[1], student="nobody", canvas_user_id="1", question="homework_written")), "no student"),
    (lambda t: t.append(dict(t[1], question="homework_essay")), "unknown question"),
    (lambda t: t.append(dict(t[1])), "a second row"),
], ids=["not_a_number", "negative", "above_max", "unknown_student", "unknown_question", "duplicate"])
def test_a_bad_manual_csv_names_its_line_and_nothing_is_rewritten(graded, tmp_path, edit, problem):
    base, first = graded
    out = tmp_path / "out"
    shutil.copytree(first, out)
    fill(out)
    report(base, out)
    kept = {name: (out / name).read_bytes() for name in ("grades.csv", "canvas.csv", "manual.csv")}
    fill(out, edit=edit)
    typed = (out / "manual.csv").read_bytes()
    with pytest.raises(ManualError, match=rf"manual\.csv, line \d+: .*{problem}"):
        report(base, out)
    assert {name: (out / name).read_bytes() for name in ("grades.csv", "canvas.csv")} == \
        {k: v for k, v in kept.items() if k != "manual.csv"}
    assert (out / "manual.csv").read_bytes() == typed  # the TA's file as they left it


def test_a_manual_csv_saved_by_korean_excel_is_read(graded, tmp_path):
    """Korean Excel's "CSV" is CP949 with no BOM; some locales use ; as the delimiter."""
    base, first = graded
    out = tmp_path / "out"
    shutil.copytree(first, out)
    fill(out, points=4)
    text = (out / "manual.csv").read_text(encoding="utf-8-sig").replace(",", ";")
    (out / "manual.csv").write_bytes(text.encode("cp949", errors="replace"))
    report(base, out)
    assert {r["homework_written"] for r in rows(out / "grades.csv")} == {"4.0"}


def test_grade_with_a_bad_manual_csv_keeps_grades_csv_names_the_line_and_exits_2(graded, tmp_path):
    import subprocess
    import sys

    from conftest import ROOT

    base, first = graded
    out = tmp_path / "out"
    shutil.copytree(first, out)
    kept = (out / "grades.csv").read_bytes()
    fill(out, edit=lambda t: t[0].update(points="lots"))
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", str(base / "submissions.zip"), "--out", str(out),
                           "--no-sandbox", "--jobs", "1"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2 and "manual.csv, line 2: points 'lots' is not a number" in done.stderr, done.stderr
    assert (out / "grades.csv").read_bytes() == kept
