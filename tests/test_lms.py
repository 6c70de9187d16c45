"""Round trips with the LMS: Canvas bulk-download names in, grades.csv with one row per student,
canvas.csv that Canvas's gradebook imports as it is, unmatched.csv for everyone else, and output
files the course staff can read. Unit-level (collect, the writers) except one small real batch."""

import csv
import json
import os
import re
import stat
import subprocess
import sys
import unicodedata
import zipfile

import pytest
from conftest import EXAMPLES, ROOT

from autograder.batch.grade import Options, _result_of, grade
from autograder.batch.results import GRADES_HEADER, Result, load_results, write_atomic, write_grades_csv, write_otter_csv
from autograder.batch.submissions import collect
from autograder.judge import Verdict
from autograder.report.canvas import HEADER, write_canvas
from autograder.report.table import table, width
from autograder.spec.questions import MANUAL_QUESTIONS, QUESTIONS, total_points

SOLUTION = (EXAMPLES / "solution.ipynb").read_bytes()
BLANK = (EXAMPLES / "blank.ipynb").read_bytes()
CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def write_zip(path, files):
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def gradescope_metadata(**submissions):
    """submission_metadata.yml as Gradescope writes it; each value a list of (name, sid, email)."""
    text = ""
    for folder, people in submissions.items():
        text += f"{folder}:\n  :submitters:\n"
        for name, sid, email in people:
            text += f"  - :name: {name}\n    :sid: '{sid}'\n    :email: '{email}'\n"
    return text


def results_of(paths, scores=None):
    """The results the batch would write for what collect() finds, every question scored as given."""
    scores = scores or {}
    out = []
    for sub in collect(paths):
        points = scores.get(sub.stem, 0.0)
        verdict = Verdict("graded", "", scores={q: points / len(QUESTIONS) for q in QUESTIONS})
        out.append(Result.from_json(json.loads(json.dumps(_result_of(sub, verdict).to_json()))))  # as read back
    return out


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def canvas_download(tmp_path):
    return write_zip(tmp_path / "submissions.zip", {
        "김민준_12349_67894_hw04.ipynb": SOLUTION,
        "leejiwoo_LATE_23456_78901_hw04-1.ipynb": BLANK,
        "parkseoyeon_late_34567_89012_hw04-2.ipynb": BLANK,
        unicodedata.normalize("NFD", "이서연") + "_45678_90123_hw04.ipynb": BLANK,  # as a Mac zip stores it
        "o_brien_56789_11111_my_99999_22222_hw.ipynb": BLANK,  # the student's own file name has _digits_
        "LATE_anon_Xy12Z_33333_hw04.ipynb": BLANK,  # anonymous grading: no user id in the name
        "hw04.ipynb": BLANK,  # not a Canvas name: nobody identified
    })


def gradescope_export(tmp_path, name="gradescope.zip"):
    meta = gradescope_metadata(
        submission_111=[("Park Seoyeon", "2026001", "park@example.ac.kr"), ("Minjun Choi", "2026002", "choi@example.ac.kr")],
        submission_222=[("Han Jiho", "2026003", "han@example.ac.kr")])
    return write_zip(tmp_path / name, {
        "assignment_1_export/submission_metadata.yml": meta,
        "assignment_1_export/submission_111/hw04.ipynb": SOLUTION,
        "assignment_1_export/submission_222/hw04.ipynb": BLANK,
    })


ROSTER = ("\ufeffStudent,ID,SIS User ID,SIS Login ID,Integration ID,Section,hw04 (12345),Current Score\n"
          "    Points Possible,,,,,,60.00,(read only)\n"
          '"김, 민준",12349,2026101,minjun.kim,,Section A,,\n'
          '"Lee, Jiwoo",23456,2026102,jiwoo.lee,,Section A,,\n'
          '"Park, Seoyeon",777001,2026001,seoyeon.park,,Section B,,\n'
          '"Choi, Minjun",777002,2026999,choi@example.ac.kr,,Section B,,\n'
          '"Kim, Minsu",777003,2026104,minsu.a,,Section A,,\n'
          '"Kim, Minsu",777004,2026105,minsu.b,,Section B,,\n'
          '"Student, Test",999999,,,,Section A,,\n')


# --- 1. Canvas names ---------------------------------------------------------------------------

def test_canvas_names_with_hangul_late_in_any_case_and_resubmission_suffixes_give_the_right_ids(tmp_path):
    found = {s.stem: s for s in collect([canvas_download(tmp_path)])}
    expect = {  # stem: (student, Canvas user id, attachment id, late)
        "김민준_12349_67894_hw04": ("김민준", "12349", "67894", False),
        "leejiwoo_LATE_23456_78901_hw04-1": ("leejiwoo", "23456", "78901", True),
        "parkseoyeon_late_34567_89012_hw04-2": ("parkseoyeon", "34567", "89012", True),
        "이서연_45678_90123_hw04": ("이서연", "45678", "90123", False),
        "o_brien_56789_11111_my_99999_22222_hw": ("o_brien", "56789", "11111", False),
    }
    for stem, (student, uid, fid, late) in expect.items():
        s = found[stem]
        assert (s.student, s.student_id, s.canvas["user_id"], s.canvas["file_id"], s.canvas["late"]) == \
               (student, uid, uid, fid, late), stem
        assert s.members == [{"name": student, "canvas_id": uid, "sid": "", "email": ""}]
    assert found["leejiwoo_LATE_23456_78901_hw04-1"].canvas["file"] == "hw04.ipynb"  # Canvas's -1 is not the student's
    anon = found["LATE_anon_Xy12Z_33333_hw04"]
    assert anon.canvas["anonymous_id"] == "Xy12Z" and anon.canvas["late"] and anon.student_id == ""
    assert found["hw04"].members == [] and found["hw04"].student == "hw04"


def test_a_students_own_zip_cannot_claim_a_canvas_id_by_the_names_inside_it(tmp_path):
    inner = tmp_path / "inner.zip"
    write_zip(inner, {"victim_999_888_a.ipynb": BLANK, "b.ipynb": BLANK})
    download = write_zip(tmp_path / "class.zip", {"lee_222_333_hw04.zip": inner.read_bytes()})
    [sub] = collect([download])  # one upload, one row: one notebook graded, the other named in it
    assert (sub.student, sub.student_id) == ("lee", "222") and "victim_999_888_a.ipynb" in sub.note
    one = write_zip(tmp_path / "one.zip", {"kim_123_456_hw04.ipynb": BLANK})  # a download of one submission
    assert [(s.student, s.student_id) for s in collect([one])] == [("kim", "123")]


def test_each_result_json_keeps_the_canvas_user_id_name_and_file_id(tmp_path):
    [result] = results_of([write_zip(tmp_path / "c.zip", {"김민준_late_12349_67894_hw04-1.ipynb": BLANK})])
    assert result.canvas == {"name": "김민준", "user_id": "12349", "anonymous_id": "", "file_id": "67894",
                                "late": True, "file": "hw04.ipynb"}
    assert list(result.members) == [{"name": "김민준", "canvas_id": "12349", "sid": "", "email": ""}]
    assert result.file_name == "김민준_late_12349_67894_hw04-1.ipynb"


# --- 2. grades.csv -----------------------------------------------------------------------------

def test_grades_csv_gives_each_member_of_a_gradescope_group_a_row_with_the_groups_score(tmp_path):
    results = results_of([gradescope_export(tmp_path)], scores={"submission_111": 48.0})
    rows = read_csv(write_grades_csv(tmp_path / "out", results))
    assert rows[0] == ["submission", "student", "status", "score", "max_score", "canvas_user_id", "sid", "email",
                       "group", "file", *QUESTIONS, *MANUAL_QUESTIONS, "late", "late_deduction"] == GRADES_HEADER
    body = [dict(zip(rows[0], r)) for r in rows[1:]]
    group = [r for r in body if r["submission"] == "submission_111"]
    assert [(r["student"], r["sid"], r["email"], r["group"], float(r["score"])) for r in group] == [
        ("Park Seoyeon", "2026001", "park@example.ac.kr", "submission_111", 48.0),
        ("Minjun Choi", "2026002", "choi@example.ac.kr", "submission_111", 48.0)]
    [alone] = [r for r in body if r["submission"] == "submission_222"]
    assert alone["student"] == "Han Jiho" and alone["group"] == "" and alone["canvas_user_id"] == ""
    assert all(r["file"].endswith("/hw04.ipynb") for r in body)


def test_grades_csv_keeps_a_row_for_every_submission_even_one_nobody_is_identified_by(tmp_path):
    results = results_of([canvas_download(tmp_path)])
    body = [dict(zip(GRADES_HEADER, r)) for r in read_csv(write_grades_csv(tmp_path / "out", results))[1:]]
    assert sorted(r["submission"] for r in body) == sorted(r.submission for r in results)
    by_stem = {r["submission"]: r for r in body}
    assert by_stem["hw04"]["student"] == "hw04" and by_stem["hw04"]["canvas_user_id"] == ""
    assert by_stem["김민준_12349_67894_hw04"]["canvas_user_id"] == "12349"


def test_a_result_from_before_members_were_recorded_gets_its_canvas_id_from_its_file_name_only(tmp_path):
    old = {"submission": "kim_123_456_hw04", "file": "/x/class.zip:kim_123_456_hw04.ipynb", "student": "kim",
           "student_id": "123", "status": "graded", "reason": "", "score": 1.0, "max_score": 60,
           "questions": {q: 0 for q in QUESTIONS}, "records": []}
    gradescope = dict(old, submission="submission_1", file="/x/gs.zip:export/submission_1/hw04.ipynb",
                      student="Park", student_id="2026001")
    written = write_grades_csv(tmp_path, [Result.from_json(old), Result.from_json(gradescope)])
    body = [dict(zip(GRADES_HEADER, r)) for r in read_csv(written)[1:]]
    assert {r["student"]: r["canvas_user_id"] for r in body} == {"kim": "123", "Park": ""}


# --- 3. canvas.csv -----------------------------------------------------------------------------

def test_canvas_csv_header_is_exactly_canvas_gradebook_import_columns_with_the_points_possible_row(tmp_path):
    results = results_of([canvas_download(tmp_path)], scores={"김민준_12349_67894_hw04": 60.0})
    made = write_canvas(tmp_path / "out", results, assignment="hw04 (12345)", partial=True)
    rows = read_csv(made["canvas"])
    assert HEADER == CANVAS_HEADER
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "hw04 (12345)"]
    assert rows[1] == ["Points Possible", "", "", "", "", f"{total_points() + sum(MANUAL_QUESTIONS.values()):g}"]
    body = {r[1]: r for r in rows[2:]}
    assert set(body) == {"12349", "23456", "34567", "45678", "56789"}  # one row per Canvas user id
    assert body["12349"] == ["김민준", "12349", "", "", "", "60"]
    unmatched = {r[0]: r[-1] for r in read_csv(made["unmatched"])[1:]}
    assert set(unmatched) == {"LATE_anon_Xy12Z_33333_hw04", "hw04"} and "anonymous" in unmatched["LATE_anon_Xy12Z_33333_hw04"]
    assert (made["canvas"].read_bytes()[:3] != b"\xef\xbb\xbf") and b"\r\n" not in made["canvas"].read_bytes()


def test_gradescope_members_without_a_roster_go_only_to_unmatched_csv_never_with_a_sid_as_canvas_id(tmp_path):
    made = write_canvas(tmp_path / "out", results_of([gradescope_export(tmp_path)]), partial=True)
    rows = read_csv(made["canvas"])
    assert rows[2:] == []  # nobody placed: no Canvas id, no roster
    header, *rest = read_csv(made["unmatched"])
    unmatched = [dict(zip(header, r)) for r in rest]
    assert sorted(u["student"] for u in unmatched) == ["Han Jiho", "Minjun Choi", "Park Seoyeon"]
    assert all(u["canvas_user_id"] == "" and u["reason"] for u in unmatched)
    assert "2026001" not in made["canvas"].read_text(encoding="utf-8")


def test_a_roster_fills_sis_ids_and_section_and_places_gradescope_members_by_sis_id_login_or_name(tmp_path):
    roster = tmp_path / "gradebook.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    results = results_of([canvas_download(tmp_path), gradescope_export(tmp_path)],
                         scores={"submission_111": 30.0, "김민준_12349_67894_hw04": 60.0})
    made = write_canvas(tmp_path / "out", results, roster=roster, assignment="hw04", partial=True)
    rows = read_csv(made["canvas"])
    assert made["assignment"] == "hw04 (12345)" and rows[0][-1] == "hw04 (12345)"  # the roster's column, with its id
    assert rows[1][-1] == "60.00"  # the roster's points possible, as Canvas exported it
    body = {r[1]: r for r in rows[2:]}
    assert body["12349"] == ["김, 민준", "12349", "2026101", "minjun.kim", "Section A", "60"]
    assert body["23456"][2:5] == ["2026102", "jiwoo.lee", "Section A"]
    assert body["777001"] == ["Park, Seoyeon", "777001", "2026001", "seoyeon.park", "Section B", "30"]  # by SIS User ID
    assert body["777002"][:4] == ["Choi, Minjun", "777002", "2026999", "choi@example.ac.kr"]  # by login (the email)
    assert body["777002"][5] == "30"  # the group's score
    assert made["matched_by"]["SIS User ID"] == 1 and made["matched_by"]["SIS Login ID"] == 1


def test_gradescope_member_is_placed_by_name_when_sis_id_and_email_do_not_match(tmp_path):
    roster = tmp_path / "gradebook.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    meta = gradescope_metadata(submission_9=[("Jiwoo Lee", "X-1", "other@example.com")])
    export = write_zip(tmp_path / "gs.zip", {"e/submission_metadata.yml": meta, "e/submission_9/hw04.ipynb": BLANK})
    made = write_canvas(tmp_path / "out", results_of([export]), roster=roster, partial=True)
    assert [r[1] for r in read_csv(made["canvas"])[2:]] == ["23456"] and made["matched_by"] == {"name": 1}


def test_unmatched_students_are_only_in_unmatched_csv_with_the_reason(tmp_path):
    roster = tmp_path / "gradebook.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    meta = gradescope_metadata(submission_1=[("Nobody Known", "1", "n@example.com")],
                               submission_2=[("Minsu Kim", "2", "k@example.com")])  # two Kim, Minsu in the roster
    export = write_zip(tmp_path / "gs.zip", {"e/submission_metadata.yml": meta, "e/submission_1/hw04.ipynb": BLANK,
                                             "e/submission_2/hw04.ipynb": BLANK})
    download = write_zip(tmp_path / "c.zip", {"someoneelse_12349_5555_hw04.ipynb": BLANK,  # roster: 12349 is 김민준
                                              "newcomer_99999_5556_hw04.ipynb": BLANK,  # an id the roster lacks
                                              "hw04.ipynb": BLANK})
    made = write_canvas(tmp_path / "out", results_of([export, download]), roster=roster, partial=True)
    unmatched = {r[1]: r[-1] for r in read_csv(made["unmatched"])[1:]}
    assert set(unmatched) == {"Nobody Known", "Minsu Kim", "someoneelse", "newcomer", "hw04"}
    assert "2 students" in unmatched["Minsu Kim"] and "roster says" in unmatched["someoneelse"]
    assert "not in the roster" in unmatched["newcomer"]
    assert read_csv(made["canvas"])[2:] == []  # none of them, not even 12349 under another name
    assert read_csv(made["unmatched"])[0] == ["submission", "student", "canvas_user_id", "sid", "email", "group",
                                              "file", "status", "score", "max_score", "reason"]


def test_a_student_with_several_submissions_gets_one_canvas_row_with_the_best_score(tmp_path):
    download = write_zip(tmp_path / "c.zip", {"kim_12345_1001_hw04.ipynb": BLANK, "kim_12345_1002_hw04-1.ipynb": BLANK})
    results = results_of([download], scores={"kim_12345_1001_hw04": 12.0, "kim_12345_1002_hw04-1": 42.0})
    made = write_canvas(tmp_path / "out", results, partial=True)
    assert read_csv(made["canvas"])[2:] == [["kim", "12345", "", "", "", "42"]] and made["superseded"] == 1


# --- 4. file modes ------------------------------------------------------------------------------

@pytest.mark.parametrize("umask", [0o022, 0o027, 0o002])
def test_write_atomic_gives_the_file_the_mode_the_umask_allows(tmp_path, umask):
    old = os.umask(umask)
    try:
        write_atomic(tmp_path / "grades.csv", "a,b\n")
        write_atomic(tmp_path / "grades.csv", "a,b\n1,2\n")  # replacing keeps it so
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "grades.csv").stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["grades.csv"]  # no temporary file left behind


# --- 5. otter's final_grades.csv ----------------------------------------------------------------

def test_otter_csv_file_column_is_the_file_name_never_a_path(tmp_path):
    results = results_of([canvas_download(tmp_path), gradescope_export(tmp_path)])
    rows = read_csv(write_otter_csv(tmp_path / "out", results))
    files = [r[0] for r in rows[2:]]
    assert "김민준_12349_67894_hw04.ipynb" in files
    assert "submission_111/hw04.ipynb" in files and "submission_222/hw04.ipynb" in files  # same name: told apart
    assert not any(str(tmp_path) in f or ":" in f or f.startswith("/") for f in files)
    assert len(set(files)) == len(files) == len(results)


# --- 6. the terminal ----------------------------------------------------------------------------

def test_the_score_table_aligns_hangul_names_by_display_width():
    text = table([("김민준_12349_67894_hw04", [1.0, 2.0]), ("kimminsu", [3.0, None]), ("x", "invalid: not JSON")],
                 ["q1", "q2"], 10)
    lines = text.splitlines()
    ends = {width(line) for line in lines[:4] if "invalid" not in line}
    assert len(ends) == 1, text  # header, rule and both score rows end at the same column
    assert width("김민준") == 6 and width("e\u0301") == 1


def test_the_score_table_of_every_question_fits_100_columns_with_long_hangul_names():
    from autograder.spec.questions import QUESTIONS, total_points

    points = {q: QUESTIONS[q].points for q in QUESTIONS}
    rows = [("김민준김민준김민준김민준김민준김민준_12349_67894_hw04_제출", [4.0] * len(QUESTIONS)),
            ("x" * 80, [None] * len(QUESTIONS)), ("invalid one", "invalid: " + "긴 이유 " * 40)]
    text = table(rows, list(QUESTIONS), total_points(), points)
    assert max(width(line) for line in text.splitlines()) <= 100, text
    assert "method1" not in text.splitlines()[0] and " m1 " in text.splitlines()[0]  # short headers, a legend
    assert "m1..m6: method1..6" in text.splitlines()[-1]
    assert " data " not in text.splitlines()[0] and " sgd" not in text.splitlines()[0]  # 0-point questions left out


def test_grade_prints_its_first_line_before_any_worker_starts(tmp_path, monkeypatch, capsys):
    import autograder.batch.grade
    from autograder.cli import main

    seen = {}

    def no_grading(paths, out, options, log=print, submissions=None):
        seen["stderr"] = capsys.readouterr().err  # what was printed before grade() was even called
        raise autograder.batch.grade.WorkerError("stop here")

    monkeypatch.setattr(autograder.batch.grade, "grade", no_grading)
    assert main(["grade", str(canvas_download(tmp_path)), "--out", str(tmp_path / "out"), "--jobs", "2"]) == 2
    assert seen["stderr"].startswith("7 submission(s) found; starting 2 worker(s)")


# --- 7. untrusted names -------------------------------------------------------------------------

def test_names_from_metadata_cannot_start_a_formula_or_break_a_line_in_any_csv(tmp_path):
    meta = gradescope_metadata(submission_1=[("'=HYPERLINK(\"http://x\")'", "=1+2", "@evil"),
                                             ('"+cmd\\u202e\\nnext"', "-3+4", "x@example.com")])
    export = write_zip(tmp_path / "gs.zip", {"e/submission_metadata.yml": meta, "e/submission_1/hw04.ipynb": BLANK})
    results = results_of([export])
    out = tmp_path / "out"
    made = write_canvas(out, results, partial=True)
    for path in (write_grades_csv(out, results), made["unmatched"], write_otter_csv(out, results)):
        for row in read_csv(path)[1:]:
            for value in row:
                assert not value.startswith(("=", "+", "@")) and "\n" not in value and "\u202e" not in value, (path, value)
                assert not value.startswith("-") or re.fullmatch(r"-+|-\d+(\.\d+)?", value), value
    assert "'=HYPERLINK" in (out / "grades.csv").read_text(encoding="utf-8")


def test_a_long_hangul_file_name_gives_a_results_name_the_file_system_accepts(tmp_path):
    download = write_zip(tmp_path / "c.zip", {"김" * 120 + "_12345_67890_" + "과제" * 60 + ".ipynb": BLANK})
    [sub] = collect([download])
    assert len(sub.stem) <= 80 and len(f"{sub.stem}.json".encode()) < 255 and sub.student_id == "12345"
    for name in (f"{sub.stem}.json", f"{sub.stem}.html"):  # the atomic write's temporary name fits too
        write_atomic(tmp_path / "out" / name, "{}")


# --- the CLI and one real batch -----------------------------------------------------------------

def test_report_command_writes_our_canvas_csv_last_and_refuses_a_bad_roster(tmp_path, capsys):
    from autograder.batch.results import write_result
    from autograder.cli import main

    out = tmp_path / "out"
    for r in results_of([canvas_download(tmp_path)]):
        write_result(out, r)
    roster = tmp_path / "gradebook.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert main(["report", str(out), "--lang", "en", "--reveal", "none", "--roster", str(roster)]) == 0
    rows = read_csv(out / "canvas.csv")
    assert rows[0] == [*CANVAS_HEADER, "hw04 (12345)"] and rows[1][-1] == "60.00"
    assert (out / "unmatched.csv").exists()
    (tmp_path / "bad.csv").write_text("name,score\nkim,1\n")
    assert main(["report", str(out), "--roster", str(tmp_path / "bad.csv")]) == 2
    assert "Student and ID" in capsys.readouterr().err


def test_an_assignment_canvas_does_not_have_is_refused_before_anything_is_written(tmp_path, capsys):
    from autograder.batch.results import write_result
    from autograder.cli import main

    out = tmp_path / "out"
    for r in results_of([canvas_download(tmp_path)]):
        write_result(out, r)
    before = sorted(p.name for p in out.iterdir())
    roster = tmp_path / "gradebook.csv"
    roster.write_text(ROSTER.replace("Section,hw04 (12345),", "Section,hw04 (12345),quiz1 (555),")
                      .replace(",,60.00,", ",,60.00,10.00,"), encoding="utf-8")
    # a name the roster has no column for: Canvas would create an assignment
    assert main(["report", str(out), "--roster", str(roster), "--assignment", "hw4"]) == 2
    err = capsys.readouterr().err
    assert "'hw04 (12345)'" in err and "'quiz1 (555)'" in err and "nothing was written" in err
    assert sorted(p.name for p in out.iterdir()) == before  # no canvas.csv, no pages
    # no roster, and a name without its id while a submission came from a Canvas download
    assert main(["report", str(out), "--assignment", "hw04"]) == 2
    assert "has no Canvas assignment id" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == before
    # asked for: written
    assert main(["report", str(out), "--assignment", "hw4", "--new-assignment"]) == 0
    assert read_csv(out / "canvas.csv")[0][-1] == "hw4"
    # the roster's own column, by its title: written under its full name
    assert main(["report", str(out), "--roster", str(roster), "--assignment", "hw04"]) == 0
    assert read_csv(out / "canvas.csv")[0][-1] == "hw04 (12345)"


def test_a_real_batch_round_trip_from_canvas_and_gradescope_zips(tmp_path):
    """The one real grading run: a Canvas download with a Hangul name and a Gradescope group."""
    download = write_zip(tmp_path / "canvas.zip", {"김민준_late_12349_67894_hw04-1.ipynb": SOLUTION})
    meta = gradescope_metadata(submission_111=[("Park Seoyeon", "2026001", "p@example.ac.kr"),
                                               ("Minjun Choi", "2026002", "c@example.ac.kr")])
    export = write_zip(tmp_path / "gs.zip", {"e/submission_metadata.yml": meta, "e/submission_111/hw04.ipynb": BLANK})
    out = tmp_path / "out"
    summary = grade([str(download), str(export)], out,
                    Options(jobs=1, timeout=30, sandbox=False, scratch=tmp_path, otter_csv=True), log=lambda m: None)
    assert summary["missing"] == [] and summary["counts"]["graded"] == 2
    grades = [dict(zip(GRADES_HEADER, r)) for r in read_csv(out / "grades.csv")[1:]]
    assert [(g["student"], g["canvas_user_id"], g["sid"], g["group"]) for g in grades] == [
        ("Park Seoyeon", "", "2026001", "submission_111"), ("Minjun Choi", "", "2026002", "submission_111"),
        ("김민준", "12349", "", "")]
    assert float(grades[2]["score"]) == total_points()
    saved = {r.submission: r.to_json() for r in load_results(out)}
    assert saved["김민준_late_12349_67894_hw04-1"]["canvas"]["late"] is True
    assert [r[0] for r in read_csv(out / "final_grades.csv")[2:]] == ["hw04.ipynb", "김민준_late_12349_67894_hw04-1.ipynb"]
    made = write_canvas(out, load_results(out), partial=True)
    assert [r[1] for r in read_csv(made["canvas"])[2:]] == ["12349"] and made["unmatched_rows"] == 2
    # a second run finds it all graded: its first line comes first, before torch and the workers
    # (how soon is measured by bench/batch_speed.py, not here)
    proc = subprocess.Popen([sys.executable, "-m", "autograder", "grade", str(download), str(export), "--out", str(out),
                             "--jobs", "1", "--no-sandbox"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, encoding="utf-8")
    try:
        first = proc.stderr.readline()
    finally:
        proc.kill()
        proc.wait()
    assert first.startswith("2 submission(s) found"), first

