"""Batch grading: every submission accounted for, whatever its code does."""

import csv
import json
import shutil
import subprocess
import sys
import zipfile

import mutants
import nbformat
import pytest
from conftest import EXAMPLES, ROOT

from autograder.batch.grade import Options, grade
from autograder.batch.results import Result
from autograder.batch.submissions import InputError
from autograder.spec.questions import MANUAL_QUESTIONS, QUESTIONS, total_points


def write(folder, name, nb):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    nbformat.write(nb, path)
    return path


def rows(out):
    with open(out / "grades.csv", encoding="utf-8") as f:
        return {r["submission"]: r for r in csv.DictReader(f)}


def result(out, stem):
    return json.loads((out / "results" / f"{stem}.json").read_text())


# one worker (the suite runs two test processes already), kept warm for the next test's batch
FAST = Options(jobs=1, timeout=20, memory_mb=1024, keep_workers=True)


def test_grades_csv_has_a_row_per_submission_and_a_column_per_question(examples_batch):
    summary = json.loads((examples_batch / "summary.json").read_text())
    table = rows(examples_batch)
    assert set(table) == {p.stem for p in EXAMPLES.glob("*.ipynb")}
    header = list(next(iter(table.values())))
    # issue 13: one row per student, with the ids Canvas and Gradescope give and where the row came from
    # issue 22: the hand-graded question and the late deduction, and a whole score out of 64
    assert header == ["submission", "student", "status", "score", "max_score", "canvas_user_id", "sid", "email",
                      "group", "file", *QUESTIONS, *MANUAL_QUESTIONS, "late", "late_deduction"]
    assert float(table["solution"]["score"]) == total_points()  # no hand points typed yet
    assert float(table["solution"]["max_score"]) == total_points() + sum(MANUAL_QUESTIONS.values())
    assert table["solution"]["homework_written"] == ""  # not graded yet: empty, not 0
    assert float(table["blank"]["score"]) == 0
    assert summary["counts"]["graded"] == len(table)
    records = result(examples_batch, "broadcast")["records"]
    assert any(r["mistake"] == "broadcast" for r in records)


ATTACKS = {
    "timeout": ("while True:\n    pass", "timeout"),
    "memory": ("hog = bytearray(3 * 1024**3)\nhog[::4096] = b'x' * len(hog[::4096])", "memory"),
    "sys_exit": ("import sys\nsys.exit(3)", "graded"),
    "os_exit": ("import os\nos._exit(0)", "crashed"),
    "segfault": ("import ctypes\nctypes.string_at(0)", "crashed"),
    "keyboard": ("raise KeyboardInterrupt", "graded"),
}


def test_always_a_row(tmp_path):
    folder = tmp_path / "in"
    for name, (code, _) in ATTACKS.items():
        write(folder, f"{name}.ipynb", mutants.with_cell(code, after='grader.check("method1")'))
    (folder / "invalid_json.ipynb").write_text('{"cells": [')
    (folder / "empty.ipynb").write_bytes(b"")
    (folder / "not_a_notebook.ipynb").write_text("print('hello')\n")
    (folder / "not_a_zip.zip").write_bytes(b"PK not really")
    out = tmp_path / "out"
    grade([str(folder)], out, Options(jobs=2, timeout=4, memory_mb=768, keep_workers=True), log=lambda m: None)
    table = rows(out)
    assert set(table) == {*ATTACKS, "invalid_json", "empty", "not_a_notebook", "not_a_zip"}
    for name, (_, status) in ATTACKS.items():
        assert table[name]["status"] == status, (name, result(out, name)["reason"])
        assert result(out, name)["reason"] or status == "graded"
    for name in ("invalid_json", "empty", "not_a_notebook", "not_a_zip"):
        assert table[name]["status"] == "invalid" and result(out, name)["reason"]
    # what ran before the slip still counts; nothing after it is given away
    assert 0 < float(table["timeout"]["score"]) < total_points()
    assert float(table["sys_exit"]["score"]) == total_points()  # SystemExit only ends its own cell, as in Jupyter


def test_shell_lines_do_not_run_and_magics_do_not_break_grading(tmp_path):
    marker = tmp_path / "shell_ran"
    nb = mutants.with_cell(f"%matplotlib inline\n!pip install nothing-at-all\n!touch {marker}\n%time timed = 1",
                           after="import numpy as np")
    path = write(tmp_path / "in", "magics.ipynb", nb)
    grade([str(path)], tmp_path / "out", Options(jobs=1, sandbox=False), log=lambda m: None)
    assert float(rows(tmp_path / "out")["magics"]["score"]) == total_points()
    assert not marker.exists()


def test_bad_path_is_reported_before_any_work(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        grade([str(EXAMPLES), str(tmp_path / "nope")], tmp_path / "out", FAST, log=lambda m: None)
    assert not (tmp_path / "out").exists()
    proc = subprocess.run([sys.executable, "-m", "autograder", "grade", str(tmp_path / "nope"), "--out",
                           str(tmp_path / "out")], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2 and "no such file" in proc.stderr and "Traceback" not in proc.stderr


def test_zips_and_student_names(tmp_path):
    solution = (EXAMPLES / "solution.ipynb").read_bytes()
    blank = (EXAMPLES / "blank.ipynb").read_bytes()
    canvas = tmp_path / "canvas.zip"
    with zipfile.ZipFile(canvas, "w") as zf:
        zf.writestr("kimminsu_12345_67890_hw04.ipynb", solution)
        zf.writestr("leejiwoo_LATE_23456_78901_hw04-1.ipynb", blank)
    otter_export = tmp_path / "hw04_2026_11_27T10_00_00_000000.zip"
    with zipfile.ZipFile(otter_export, "w") as zf:
        zf.writestr("hw04.ipynb", solution)
        zf.writestr("hw04.pdf", b"%PDF")
    gradescope = tmp_path / "gradescope_export.zip"
    with zipfile.ZipFile(gradescope, "w") as zf:
        zf.writestr("assignment_1_export/submission_metadata.yml",
                    "submission_111:\n  :submitters:\n  - :name: Park Seoyeon\n    :sid: '2026001'\n"
                    "    :email: park@example.ac.kr\n")
        zf.writestr("assignment_1_export/submission_111/hw04.ipynb", solution)
    out = tmp_path / "out"
    grade([str(canvas), str(otter_export), str(gradescope)], out, FAST, log=lambda m: None)
    table = rows(out)
    by_student = {r["student"]: r for r in table.values()}
    assert set(by_student) == {"kimminsu", "leejiwoo", "hw04_2026_11_27T10_00_00_000000", "Park Seoyeon"}
    assert float(by_student["kimminsu"]["score"]) == total_points()
    assert float(by_student["Park Seoyeon"]["score"]) == total_points()
    assert result(out, "kimminsu_12345_67890_hw04")["student_id"] == "12345"
    assert result(out, "submission_111")["student_id"] == "2026001"


def test_otter_final_grades_layout(examples_batch):
    with open(examples_batch / "final_grades.csv") as f:  # the shared batch is graded with otter_csv=True
        table = list(csv.reader(f))
    assert table[0] == ["file", *sorted(QUESTIONS), "total_points_earned", "percent_correct", "grading_status"]
    assert table[1][0] == "points-per-question" and float(table[1][-3]) == total_points() + sum(MANUAL_QUESTIONS.values())
    assert sorted(row[0] for row in table[2:]) == sorted(p.name for p in EXAMPLES.glob("*.ipynb"))
    solution = next(row for row in table[2:] if row[0] == "solution.ipynb")
    whole = total_points() + sum(MANUAL_QUESTIONS.values())
    assert solution[-1] == "Completed" and float(solution[-2]) == round(total_points() / whole, 4)  # hand points not in yet


def test_a_kept_worker_serves_the_next_call_and_an_unfit_one_is_closed(tmp_path):
    from autograder.run import pool

    def kept() -> set[int]:
        return {w.proc.pid for w in pool._KEPT.get(pool._key(True, None, None, True), [])}

    grade([str(EXAMPLES / "solution.ipynb")], tmp_path / "a", FAST, log=lambda m: None)
    warm = kept()
    assert warm, "the worker is kept after the call"
    grade([str(EXAMPLES / "wrong_lr.ipynb")], tmp_path / "b", FAST, log=lambda m: None)
    assert kept() == warm  # no worker was started: a kept one graded it, and is kept again
    assert float(rows(tmp_path / "a")["solution"]["score"]) == total_points()
    assert float(rows(tmp_path / "b")["wrong_lr"]["score"]) < total_points()  # its own grade, not a stale one
    worker = pool.start(True, reuse=True)
    assert worker.proc.pid in warm
    worker.owed = 1  # as if a run were still going: never handed to another call
    pool.keep(worker)
    assert worker.proc.poll() is not None and worker.proc.pid not in kept()


def test_rerun_skips_what_is_graded_unless_forced(examples_batch, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(examples_batch, out)  # a first run of these examples, as the shared batch left it
    stamps = {p.name: p.stat().st_mtime_ns for p in (out / "results").glob("*.json")}
    messages = []
    grade([str(EXAMPLES)], out, FAST, log=messages.append)
    assert {p.name: p.stat().st_mtime_ns for p in (out / "results").glob("*.json")} == stamps
    assert any("already graded" in m for m in messages)
    grade([str(EXAMPLES / "solution.ipynb")], out, Options(jobs=1, force=True, keep_workers=True), log=lambda m: None)
    assert (out / "results" / "solution.json").stat().st_mtime_ns != stamps["solution.json"]
    assert len(rows(out)) == len(stamps)


def test_ctrl_c_keeps_everything_finished(tmp_path):
    import signal
    import time

    folder = tmp_path / "in"
    for i in range(3):
        write(folder, f"quick{i}.ipynb", mutants.mutant("solution"))
    for i in range(3):
        write(folder, f"slow{i}.ipynb", mutants.with_cell("import time\ntime.sleep(30)", after="import numpy as np"))
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "autograder", "grade", str(folder), "--out", str(out), "--jobs", "1", "--timeout", "60"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and len(list((out / "results").glob("quick*.json"))) < 3:
        time.sleep(0.2)
    time.sleep(1)  # now inside a slow one
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    table = rows(out)
    assert {f"quick{i}" for i in range(3)} <= set(table)
    assert all(table[f"quick{i}"]["status"] == "graded" for i in range(3))
    assert not any(name.startswith("slow") for name in table)


def test_a_stale_or_forged_results_file_is_refused_with_a_message_not_a_crash(tmp_path):
    out = tmp_path / "out"
    (out / "results").mkdir(parents=True)
    (out / "results" / "stale.json").write_text('{"submission": "stale", "score": 60}')
    (out / "results" / "forged.json").write_text('{"submission": "x", "status": "graded", "reason": "", "score": 1000,'
                                                 ' "max_score": 60, "questions": {"everything": 1000}, "records": []}')
    messages = []
    grade([str(EXAMPLES / "blank.ipynb")], out, FAST, log=messages.append)
    assert sorted(r["submission"] for r in csv.DictReader(open(out / "grades.csv", encoding="utf-8"))) == ["blank"]
    assert sum("ignored in" in m for m in messages) == 2


def test_on_a_terminal_a_spinner_runs_until_the_first_result():
    import io
    import time

    from autograder.batch.grade import Progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    progress = Progress(2, stream=stream)
    progress.spin()
    time.sleep(0.5)
    assert "warming up the workers" in stream.getvalue()
    progress.update(Result(submission="a", status="graded", reason="", score=60, max_score=60, questions={}))
    time.sleep(0.5)
    after = stream.getvalue()
    time.sleep(0.5)
    assert stream.getvalue() == after, "the spinner stopped at the first result"
    assert after.rstrip().endswith("a")


def test_timing_json_counts_both_runs_of_each_submission_and_the_kernels_count_bounds_what_a_run_says(examples_batch):
    """`grade --timing` (bench/batch_speed.py's breakdown): every part of every run is counted, and
    the CPU a run says it spent on its set-up, cells and capture is within what the kernel counted."""
    from autograder.run.timing import CHILD_PARTS, RUN_PARTS

    timing = json.loads((examples_batch / "timing.json").read_text())
    results = [json.loads(p.read_text()) for p in (examples_batch / "results").glob("*.json")]
    assert timing["runs_count"] == 2 * sum(r["status"] == "graded" for r in results) == 14
    assert all(timing["runs"][part] > 0 for part in RUN_PARTS), timing["runs"]
    said = sum(timing["runs"][f"child_{part}"] for part in CHILD_PARTS)
    assert said <= timing["runs"]["child"] * 1.05, timing["runs"]
    assert timing["runs"]["worker"] >= timing["runs"]["messages"] + timing["runs"]["cleanup"]
    assert all(timing["grader"][part] > 0 for part in ("validate", "fresh", "judge", "write")), timing["grader"]
    assert 0 < timing["grader_start_up"] < timing["grader_total"]  # (a kept worker's warm-up counted in an earlier batch)
