"""canvas.csv: the scores in the file Canvas's gradebook imports (Grades > Import), as it is.

What Canvas's importer (app/models/gradebook_importer.rb in canvas-lms) needs, and what we write:

- the header `Student, ID, SIS User ID, SIS Login ID, Section, <assignment>`: the first cell must
  contain "Student", the second "ID", and the last identity column must be "Section";
- it finds each row's student by `ID` (the Canvas user id), else `SIS User ID`, else `SIS Login ID`,
  else by the student's name exactly as Canvas has it; a row it cannot place is a "missing student";
- the assignment column is matched by the id in `Title (12345)`, else by the exact title; any other
  header makes Canvas create a new assignment;
- a row whose first cell contains "Points Possible" gives the maxima (Canvas's own export writes one).

The Canvas user id comes only from a Canvas bulk download's file names or from the roster (Canvas's
gradebook export, `--roster`); SIS ids only from the roster. A Gradescope sid is never written as
a Canvas `ID`, an email never as a `SIS User ID`. A row we cannot place goes to unmatched.csv.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograder.batch.results import Result, csv_text, file_name, people, write_atomic
from autograder.batch.submissions import clean_name

HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
UNMATCHED_HEADER = ["submission", "student", "canvas_user_id", "sid", "email", "group", "file", "status", "score",
                    "max_score", "reason"]
DEFAULT_ASSIGNMENT = "hw04"
MAX_ROSTER_BYTES = 50 * 2**20
TITLE_AND_ID = re.compile(r"\A(.*)\s\((\d+)\)\Z", re.S)  # Assignment.title_and_id in canvas-lms


@dataclass
class Roster:
    """Canvas's gradebook export: one dict per student (Student, ID, SIS User ID, SIS Login ID,
    Section), its header, and its "Points Possible" row by column."""
    students: list[dict[str, str]]
    headers: list[str]
    points: dict[str, str] = field(default_factory=dict)
    by_id: dict[str, int] = field(default_factory=dict)
    by_sis: dict[str, int] = field(default_factory=dict)
    by_login: dict[str, int] = field(default_factory=dict)
    by_name: dict[str, set[int]] = field(default_factory=dict)

    def __post_init__(self):
        def index(table: dict[str, int], key: str, i: int) -> None:
            if key:
                table[key] = -1 if key in table else i  # -1: two rows claim it, so it places no one

        for i, s in enumerate(self.students):
            index(self.by_id, s["ID"], i)
            index(self.by_sis, s["SIS User ID"], i)
            index(self.by_login, s["SIS Login ID"].casefold(), i)
            for key in name_keys(s["Student"]):
                self.by_name.setdefault(key, set()).add(i)


def name_keys(name: str) -> set[str]:
    """Ways one name can be written: Canvas's bulk download squeezes the sortable name ("Kim, Minjun"
    -> "kimminjun"); Gradescope has "Minjun Kim". Both give the same word-sorted key."""
    words = [w for w in re.split(r"[\W_]+", unicodedata.normalize("NFKC", name).casefold()) if w]
    return {"".join(words), "".join(sorted(words))} - {""}


def _sniff(text: str) -> str:
    """"," or ";" (Canvas reads both; some locales export with ";")."""
    first = text.split("\n", 1)[0]
    counts = {d: len(next(csv.reader([first], delimiter=d), [])) for d in ",;"}
    return ";" if counts[";"] > counts[","] else ","


def read_roster(path: Path) -> Roster:
    """Canvas's gradebook export (Grades > Export), or any CSV with its Student and ID columns.
    Raises ValueError saying what is wrong with it."""
    path = Path(path)
    if path.stat().st_size > MAX_ROSTER_BYTES:
        raise ValueError(f"{path}: over 50 MB, not a gradebook export")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not UTF-8 text (export the gradebook from Canvas again)") from None
    rows = list(csv.reader(io.StringIO(text), delimiter=_sniff(text)))
    headers = [h.strip() for h in rows[0]] if rows else []
    if "Student" not in headers or "ID" not in headers:
        raise ValueError(f"{path}: no Student and ID columns; pass the CSV Canvas exports from Grades > Export")
    where = {h: headers.index(h) for h in HEADER if h in headers}
    students, points = [], {}
    for row in rows[1:]:
        cells = [c.strip() for c in row]
        first = cells[0] if cells else ""
        if "Points Possible" in first:
            points = {h: cells[i] for i, h in enumerate(headers) if i < len(cells)}
            continue
        if not any(cells) or all(re.fullmatch(r"(?i)(muted|manual posting.*)?", c) for c in cells):
            continue
        student = {h: clean_name(cells[where[h]], 200) if h in where and where[h] < len(cells) else "" for h in HEADER}
        student["ID"] = student["ID"] if student["ID"].isdigit() else ""
        students.append(student)
    return Roster(students, headers, points)


def assignment_column(assignment: str, roster: Roster | None) -> str:
    """The assignment's header: as given, or the roster's column of that title (with its id)."""
    assignment = " ".join(clean_name(assignment, 300).split()) or DEFAULT_ASSIGNMENT
    if roster is None or assignment in roster.headers:
        return assignment
    same = [h for h in roster.headers if (m := TITLE_AND_ID.match(h)) and m[1] == assignment]
    return same[0] if len(same) == 1 else assignment


def refusal(assignment: str, roster: Roster | None, results: list[Result], new: bool = False) -> str | None:
    """Why this assignment name must not go into canvas.csv, or None. A column Canvas does not have
    makes it create a new assignment on import: refused (unless `new`), before anything is written,
    with the roster's assignment columns listed. Without a roster, a name without its id is refused
    only when some submission came from a Canvas download (its row would go into canvas.csv)."""
    if new:
        return None
    column = assignment_column(assignment, roster)
    if roster is not None:
        if column in roster.headers:
            return None
        columns = [h for h in roster.headers if TITLE_AND_ID.match(h)]
        listed = ", ".join(repr(c) for c in columns[:30]) or "none"
        return (f"--assignment {assignment!r}: the roster has no such column, so Canvas would create a new assignment. "
                f"The roster's assignment columns: {listed}. Pass one of them (e.g. --assignment "
                f"{columns[0] if columns else 'hw04 (12345)'!r}), or --new-assignment to create one on purpose.")
    placed = any(p["canvas_id"] for r in results for p in people(r))
    if placed and not TITLE_AND_ID.match(column):
        return (f"--assignment {assignment!r} has no Canvas assignment id, so Canvas would match it only to an "
                "assignment titled exactly so, or create one. Pass it as Canvas shows it, e.g. --assignment "
                f"'{column} (12345)', or --roster with the gradebook export, or --new-assignment to create one.")
    return None


def _number(x: Any) -> Any:
    return int(x) if isinstance(x, float) and x.is_integer() else round(x, 4) if isinstance(x, float) else x


def _place(person: dict[str, str], roster: Roster | None) -> tuple[dict[str, str] | None, str, str]:
    """(the Canvas identity columns, how they were found, why not): Canvas id from the download,
    checked against the roster when there is one; else the roster by SIS id, login, or name."""
    canvas_id = person["canvas_id"]
    if roster is None:
        if canvas_id:
            return {"Student": person["name"], "ID": canvas_id, "SIS User ID": "", "SIS Login ID": "",
                    "Section": ""}, "id", ""
        return None, "", "no Canvas user id: pass --roster (Canvas's gradebook export) to match by SIS id, login or name"
    if canvas_id:
        i = roster.by_id.get(canvas_id)
        if i is None or i < 0:  # matched against the roster the TA gave, or not imported
            return None, "", (f"Canvas user id {canvas_id} is not in the roster: export the gradebook again "
                              "(a student who enrolled since?) and pass it with --roster")
        if not name_keys(person["name"]) & name_keys(roster.students[i]["Student"]):
            return None, "", (f"the Canvas download says user {canvas_id} is {person['name']!r}, "
                              f"the roster says {roster.students[i]['Student']!r}")
        return dict(roster.students[i]), "id", ""
    for table, key, how in ((roster.by_sis, person["sid"], "SIS User ID"),
                            (roster.by_login, person["email"].casefold(), "SIS Login ID")):
        i = table.get(key) if key else None
        if i is not None and i >= 0:
            return dict(roster.students[i]), how, ""
    found: set[int] = set()
    for key in name_keys(person["name"]):
        found |= roster.by_name.get(key, set())
    if len(found) == 1:
        return dict(roster.students[found.pop()]), "name", ""
    if found:
        return None, "", f"the name matches {len(found)} students in the roster"
    return None, "", "not in the roster (no Canvas id, SIS id, login or name that matches)"


def write_canvas(out: Path, results: list[Result], roster: Path | Roster | None = None,
                 assignment: str = DEFAULT_ASSIGNMENT, manual=None, late=None, partial: bool = False) -> dict[str, Any]:
    """out/canvas.csv (one row per student placed in Canvas, the best of their submissions, with the
    whole grade: batch/manual.final) and out/unmatched.csv (everyone we could not place, with the
    reason). A student whose hand-graded points are not in yet is left out (importing a part of the
    grade would replace a whole one in Canvas), unless `partial`. Returns their paths, the
    assignment header used, counts, and warnings for the TA."""
    from autograder.batch.manual import LatePolicy, final

    out = Path(out)
    late = late or LatePolicy()
    if roster is not None and not isinstance(roster, Roster):
        roster = read_roster(roster)
    column = assignment_column(assignment, roster)
    best: dict[str, tuple[dict[str, str], Result, Any]] = {}
    unmatched: list[list[Any]] = []
    how_found: dict[str, int] = {}
    superseded = 0
    for r in sorted(results, key=lambda r: r.submission):
        for person in people(r):
            ids, how, why = _place(person, roster)
            if r.identity_doubt:  # never placed by a name or an id we could not believe
                ids, why = None, r.identity_doubt[:300]
            whole = final(r, person, manual, late)
            if ids is not None and whole.hand_missing and not partial:
                ids, why = None, (f"hand-graded points not in yet ({', '.join(whole.hand_missing)} in manual.csv): "
                                  "importing now would replace the Canvas grade with a part of it")
            if ids is None and r.canvas.get("anonymous_id") and not person["canvas_id"]:
                why = "anonymous grading: Canvas's file name carries no user id; " + why
            if ids is None:
                unmatched.append([r.submission, person["name"], person["canvas_id"], person["sid"], person["email"],
                                  r.group[:200], file_name(r), r.status, _number(whole.score),
                                  _number(whole.max_score), why])
                continue
            how_found[how] = how_found.get(how, 0) + 1
            key = ids["ID"] or f"sis:{ids['SIS User ID']}:{ids['SIS Login ID']}"
            if key in best:
                superseded += 1
                if whole.score <= best[key][2].score:
                    continue
            best[key] = (ids, r, whole)
    maximum = max((final(r, people(r)[0], manual, late).max_score for r in results), default=0)
    possible = roster.points.get(column, "") if roster else ""
    points = possible if re.fullmatch(r"\d+(\.\d+)?", possible) else _number(maximum)
    rows: list[list[Any]] = [["Points Possible", "", "", "", "", points]]
    for ids, r, whole in sorted(best.values(), key=lambda v: (v[0]["Student"].casefold(), v[0]["ID"])):
        name = ids["Student"] if "points possible" not in ids["Student"].casefold() else ""  # Canvas reads that row as maxima
        rows.append([name, ids["ID"], ids["SIS User ID"], ids["SIS Login ID"], ids["Section"], _number(whole.score)])
    warnings = []
    if best and roster is None and not TITLE_AND_ID.match(column):  # asked for (--new-assignment): say what it does
        warnings.append(f"{column!r} has no Canvas assignment id: Canvas creates an assignment of that name on import")
    if possible == points and float(possible) != maximum:
        warnings.append(f"{column!r} is worth {possible} points in Canvas; the autograder's maximum is {maximum:g}")
    not_graded = sum(r.status != "graded" for _, r, _ in best.values())
    if not_graded:
        warnings.append(f"{not_graded} row(s) in canvas.csv are for submissions not graded normally "
                        "(timeout, memory, crashed or invalid): see grades.csv before importing")
    canvas_path, unmatched_path = out / "canvas.csv", out / "unmatched.csv"
    write_atomic(canvas_path, csv_text(rows, header=[*HEADER, column]))
    write_atomic(unmatched_path, csv_text(unmatched, header=UNMATCHED_HEADER))
    return {"canvas": canvas_path, "unmatched": unmatched_path, "assignment": column, "rows": len(best),
            "unmatched_list": [(row[1] or row[0], row[-1]) for row in unmatched],
            "unmatched_rows": len(unmatched), "superseded": superseded, "matched_by": how_found, "warnings": warnings}
