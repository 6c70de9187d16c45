"""What a batch produced: a Result per submission (results/<submission>.json, written atomically as
soon as it is known, read back validated), grades.csv (one row per student of each submission) and,
on request, otter's final_grades.csv layout.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import secrets
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from autograder.batch.escape import MAX_CELL, cell
from autograder.engine.records import Record
from autograder.run.protocol import STATUSES  # one definition: a run's statuses are a result's
from autograder.spec.questions import MANUAL_QUESTIONS, QUESTIONS, total_points


def write_atomic(path: Path, text: str) -> None:
    """Readers see the old file or the new one, never half of one: even if we are killed mid-write.
    The file gets the mode any new file gets (0o666 less the umask, and a default ACL if any), not
    mkstemp's 0600, so the course staff can read what the grader wrote."""
    path.parent.mkdir(parents=True, exist_ok=True)
    short = path.name.encode()[:200].decode(errors="ignore")  # the temporary name must fit in 255 bytes too
    while True:
        tmp = path.parent / f".{short}.{secrets.token_hex(8)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


@dataclass(frozen=True)
class Result:
    """One submission's result: made by the grader from the judge's Verdict and the Submission
    (batch/grade.py), written to results/<submission>.json, read back by `from_json` (the one
    validated way in), and read by the CSVs and the reports."""

    submission: str  # this output folder's key for the submission (its file stem, made unique)
    status: str  # run/protocol.STATUSES
    reason: str
    score: float
    max_score: float
    questions: dict[str, float]  # every question of this homework
    records: tuple[Record, ...] = ()
    file: str = ""  # where it was found (a path, or zip:member)
    file_name: str = ""  # the submitted file's own name
    student: str = ""
    student_id: str = ""
    members: tuple[dict[str, str], ...] | None = ()  # who it counts for; None in a result written before members were kept
    group: str = ""
    canvas: dict[str, Any] = field(default_factory=dict)  # what Canvas's download name said (ids, late)
    sha256: str = ""
    identity_doubt: str = ""
    cell_errors: tuple[dict[str, Any], ...] = ()
    output: str = ""
    answers: dict[str, str] = field(default_factory=dict)  # the written answers, graded by hand
    seconds: float = 0.0
    fresh_seed: int | None = None
    dropped_answers: int = 0

    def to_json(self) -> dict[str, Any]:
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["records"] = [r.to_dict() for r in self.records]
        d["members"] = None if self.members is None else [dict(m) for m in self.members]
        d["cell_errors"] = [dict(e) for e in self.cell_errors]
        if self.members is None:
            del d["members"]
        return d

    @classmethod
    def from_json(cls, d: Any) -> "Result":
        """A result as the grader writes it, or ValueError saying what is wrong: a stale file from
        another version, or a forged one, is refused with a message, never a KeyError later."""
        if not isinstance(d, dict):
            raise ValueError("not an object")
        for key, kind in (("submission", str), ("status", str), ("reason", str), ("score", (int, float)),
                          ("max_score", (int, float)), ("questions", dict), ("records", list)):
            if not isinstance(d.get(key), kind) or isinstance(d.get(key), bool):
                raise ValueError(f"{key!r} is missing or of the wrong type")
        if d["status"] not in STATUSES:
            raise ValueError(f"unknown status {d['status'][:40]!r}")
        if set(d["questions"]) != set(QUESTIONS) or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) for v in d["questions"].values()):
            raise ValueError("its questions are not this homework's")
        members = d.get("members")
        if "members" in d:
            members = tuple({k: _text(m.get(k)) for k in ("name", "canvas_id", "sid", "email")}
                            for m in (members if isinstance(members, list) else [])[:20] if isinstance(m, dict))
        seed = d.get("fresh_seed")
        return cls(
            submission=d["submission"], status=d["status"], reason=d["reason"], score=float(d["score"]),
            max_score=float(d["max_score"]), questions={q: float(v) for q, v in d["questions"].items()},
            records=tuple(Record.from_dict(r) for r in d["records"]),
            file=_text(d.get("file"), 4000), file_name=_text(d.get("file_name")), student=_text(d.get("student")),
            student_id=_text(d.get("student_id")), members=members, group=_text(d.get("group")),
            canvas=d["canvas"] if isinstance(d.get("canvas"), dict) else {}, sha256=_text(d.get("sha256"), 64),
            identity_doubt=_text(d.get("identity_doubt"), 500),
            cell_errors=tuple(e for e in d.get("cell_errors", []) if isinstance(e, dict))
            if isinstance(d.get("cell_errors"), list) else (),
            output=_text(d.get("output"), 10**6),
            answers={k: v for k, v in d["answers"].items() if isinstance(k, str) and isinstance(v, str)}
            if isinstance(d.get("answers"), dict) else {},
            seconds=float(d["seconds"]) if isinstance(d.get("seconds"), (int, float)) else 0.0,
            fresh_seed=seed if isinstance(seed, int) and not isinstance(seed, bool) else None,
            dropped_answers=d["dropped_answers"] if isinstance(d.get("dropped_answers"), int) else 0)


def write_result(out: Path, result: Result) -> Path:
    path = out / "results" / f"{result.submission}.json"
    write_atomic(path, json.dumps(result.to_json(), ensure_ascii=False, indent=1))
    return path


def load_results(out: Path, refused: list[str] | None = None) -> list[Result]:
    """Every valid result in out/results; what is refused (and why) is appended to `refused`."""
    results = []
    for path in sorted((out / "results").glob("*.json")):
        try:
            results.append(Result.from_json(json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError) as e:  # ours are written atomically: anything else is not ours
            if refused is not None:
                refused.append(f"{path.name}: {e}")
    return results


def csv_text(rows: list[list[Any]], header: list[str] | None = None) -> str:
    """CSV text: `header` as given (our own column names), every row's cells through cell()."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if header is not None:
        w.writerow(header)
    w.writerows([cell(v) for v in row] for row in rows)
    return buf.getvalue()


def _text(value: Any, limit: int = 200) -> str:
    return value[:limit] if isinstance(value, str) else ""


def people(result: Result) -> list[dict[str, str]]:
    """Who a result counts for, one dict per person: name, canvas_id, sid, email. Several for a
    Gradescope group; one for a Canvas download; for a file nothing identifies, one person named as
    the result's student (no ids). A result written before members were recorded gets its Canvas id
    back from its file name, never from a bare student_id (that may be a Gradescope sid)."""
    from autograder.batch.submissions import canvas_name

    found = []
    for m in result.members or ():
        person = dict(m)
        person["canvas_id"] = person["canvas_id"] if person["canvas_id"].isdigit() else ""
        if any(person.values()):
            found.append(person)
    if found:
        return found
    name = result.student or result.submission
    if result.members is None:  # an older result: a Canvas download's id is in its file name
        canvas = canvas_name(file_name(result))
        if canvas and canvas["user_id"] and canvas["user_id"] == result.student_id:
            return [{"name": name, "canvas_id": canvas["user_id"], "sid": "", "email": ""}]
    return [{"name": name, "canvas_id": "", "sid": "", "email": ""}]


def file_name(result: Result) -> str:
    """The submitted file's own name, never the path it was found at."""
    return result.file_name or re.split(r"[:/\\]", result.file)[-1] or result.submission


GRADES_HEADER = ["submission", "student", "status", "score", "max_score", "canvas_user_id", "sid", "email",
                 "group", "file", *QUESTIONS, *MANUAL_QUESTIONS, "late", "late_deduction"]


def grade_rows(results: list[Result], manual=None, late=None) -> list[list[Any]]:
    """grades.csv's rows: one per person of each submission (a group's members each get the group's
    score); a file nothing identifies still gets its row, named by its file. Scores are whole
    (batch/manual.final): corrections and hand points from manual.csv, less the late deduction."""
    from autograder.batch.manual import LatePolicy, final

    rows = []
    for r in sorted(results, key=lambda r: r.submission):
        for person in people(r):
            f = final(r, person, manual, late or LatePolicy())
            rows.append([r.submission, person["name"], r.status, f.score, f.max_score,
                         person["canvas_id"], person["sid"], person["email"], r.group, r.file[:MAX_CELL],
                         *(f.questions[q] for q in QUESTIONS),
                         *("" if q in f.hand_missing else f.questions[q] for q in MANUAL_QUESTIONS),
                         "yes" if f.late else "", f.late_deduction])
    return rows


def write_grades_csv(out: Path, results: list[Result], manual=None, late=None) -> Path:
    path = out / "grades.csv"
    write_atomic(path, csv_text(grade_rows(results, manual, late), header=GRADES_HEADER))
    return path


def write_otter_csv(out: Path, results: list[Result], manual=None, late=None) -> Path:
    """otter grade's final_grades.csv: file, questions (sorted), total, percent, status; first row the maxima.
    `file` is the submitted file's name; where two submissions share one (hw04.ipynb in each
    Gradescope folder) it is <submission>/<name>, so every row still names one file."""
    from collections import Counter

    questions = sorted(QUESTIONS)
    ordered = sorted(results, key=lambda r: r.submission)
    names = Counter(file_name(r) for r in ordered)
    rows = [["points-per-question", *(QUESTIONS[q].points for q in questions),
             total_points() + sum(MANUAL_QUESTIONS.values()), 1, "--"]]
    from autograder.batch.manual import LatePolicy, final

    for r in ordered:
        f = final(r, people(r)[0], manual, late or LatePolicy())  # otter's CSV has a row per file, not per person
        percent = round(f.score / f.max_score, 4) if f.max_score else 0
        status = "Completed" if r.status == "graded" else f"{r.status}: {r.reason}"
        name = file_name(r) if names[file_name(r)] == 1 else f"{r.submission}/{file_name(r)}"
        rows.append([name, *(f.questions[q] for q in questions), f.score, percent, status])
    path = out / "final_grades.csv"
    write_atomic(path, csv_text(rows, header=["file", *questions, "total_points_earned", "percent_correct",
                                          "grading_status"]))
    return path
