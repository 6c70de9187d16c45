"""What the course staff add to the autograder's grade: DIR/manual.csv, and the late policy.

manual.csv has one row per student per hand-graded question (spec/questions.MANUAL_QUESTIONS), with
the columns `student, canvas_user_id, sid, question, max_points, points, comment, answer`: the
grader writes the student's written answer and leaves `points` and `comment` to the TA. A TA may
add a row for any autograded question of any student: its `points` replace that question's
autograded points (the one way to correct the grader), its `comment` says why.

`grade` creates the file and keeps it current: it adds rows for new students, rewrites `answer`
(ours), and never changes what a TA typed. A row whose answer changed after it was graded (a
resubmission) has its answer marked, until the TA changes its points or comment. The answers the
TA graded are remembered in DIR/manual-state.json.

The file is read strictly: a bad row stops everything with its file, line and problem, and nothing
is rewritten until it is fixed. Excel's own saves are read: UTF-8 with or without a BOM, CP949
(Korean Excel's "CSV"), and `,` `;` or tab as the delimiter.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograder.batch.escape import cell, uncell
from autograder.batch.results import Result, people, write_atomic
from autograder.spec.questions import MANUAL_QUESTIONS, QUESTIONS

MANUAL = "manual.csv"
STATE = "manual-state.json"
COLUMNS = ["student", "canvas_user_id", "sid", "question", "max_points", "points", "comment", "answer"]
ANSWER_LEN = 1500  # characters of a written answer shown in the file: enough to grade from, one cell
NO_ANSWER = "(답 없음 / no answer)"
CHANGED = "[답안이 바뀜: 다시 채점하세요 / CHANGED since graded: grade again] "
PLACEHOLDER = "_여기에 답을 쓰세요. / Type your answer here, replacing this text._"


class ManualError(ValueError):
    """manual.csv cannot be used as it is: the message names the file, the line and the problem."""


def person_key(person: dict[str, str]) -> str:
    """Who a row is about: the Canvas user id, else the student id, else the name."""
    if person.get("canvas_id"):
        return "canvas:" + person["canvas_id"]
    if person.get("sid"):
        return "sid:" + person["sid"]
    return "name:" + " ".join(str(person.get("name", "")).split()).casefold()


def max_points(question: str) -> float:
    return float(MANUAL_QUESTIONS[question]) if question in MANUAL_QUESTIONS else float(QUESTIONS[question].points)


@dataclass
class Row:
    student: str
    canvas_user_id: str
    sid: str
    question: str
    points: float | None
    comment: str
    answer: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return person_key({"canvas_id": self.canvas_user_id, "sid": self.sid, "name": self.student}), self.question


@dataclass
class Manual:
    rows: dict[tuple[str, str], Row] = field(default_factory=dict)

    def of(self, person: dict[str, str]) -> list[Row]:
        """The rows about one person (indexed once: a class's reports ask for every person)."""
        if getattr(self, "_index_size", -1) != len(self.rows):
            self._index: dict[str, list[Row]] = {}
            for (k, _), row in self.rows.items():
                self._index.setdefault(k, []).append(row)
            self._index_size = len(self.rows)
        return list(self._index.get(person_key(person), []))


# ---- written answers -------------------------------------------------------------------------

def written_answers(notebook: Any) -> dict[str, str]:
    """The text a student wrote for each hand-graded question: the cells between its prompt (the
    markdown cell that opens with otter's `<!-- BEGIN QUESTION -->`) and `<!-- END QUESTION -->`,
    the template's placeholder left out. `notebook`: the parsed JSON."""
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        return {}
    answers, inside, found = {}, False, []
    names = iter(MANUAL_QUESTIONS)
    for c in cells:
        src = c.get("source", "") if isinstance(c, dict) else ""
        src = "".join(src) if isinstance(src, list) and all(isinstance(s, str) for s in src) else src
        if not isinstance(src, str):
            continue
        if "<!-- BEGIN QUESTION -->" in src:
            inside, found = True, []
            continue
        if "<!-- END QUESTION -->" in src and inside:
            inside = False
            name = next(names, None)
            if name:
                text = "\n".join(found).replace(PLACEHOLDER, "").strip()
                answers[name] = text[:ANSWER_LEN * 4]
            continue
        if inside:
            found.append(src)
    return answers


def _shown(answer: str) -> str:
    text = " ".join(answer.split())
    if not text:
        return NO_ANSWER
    return text if len(text) <= ANSWER_LEN else text[:ANSWER_LEN - 1] + "…"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# ---- reading ---------------------------------------------------------------------------------

def _decode(path: Path, data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp949"):  # CP949: Korean Excel's "CSV (comma delimited)"
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ManualError(f"{path}: neither UTF-8 nor CP949 (Korean Excel) text: save it again as \"CSV UTF-8\"")


def read(path: Path, known: set[str] | None = None) -> Manual:
    """manual.csv as rows, checked: ManualError names the line and the problem. `known`: the
    person keys of this folder's results (a row for anyone else is an error)."""
    text = _decode(path, path.read_bytes())
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        raise ManualError(f"{path}, line 1: empty; expected the columns {', '.join(COLUMNS)}")
    header = [h.strip() for h in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ManualError(f"{path}, line 1: no column {', '.join(missing)} (the columns are {', '.join(COLUMNS)}; "
                          f"read with the delimiter {delimiter!r})")
    at = {c: header.index(c) for c in COLUMNS}
    manual = Manual()
    for number, values in enumerate(rows[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        get = lambda c: uncell(values[at[c]].strip()) if at[c] < len(values) else ""  # noqa: E731
        question = get("question")
        if question not in MANUAL_QUESTIONS and question not in QUESTIONS:
            raise ManualError(f"{path}, line {number}: unknown question {question[:40]!r} "
                              f"(hand-graded: {', '.join(MANUAL_QUESTIONS)}; autograded: {', '.join(QUESTIONS)})")
        raw = get("points").replace(",", ".") if delimiter != "," else get("points")
        points = None
        if raw:
            try:
                points = float(raw)
            except ValueError:
                raise ManualError(f"{path}, line {number}: points {raw[:20]!r} is not a number") from None
            if not points >= 0:
                raise ManualError(f"{path}, line {number}: points {raw[:20]} is negative")
            if points > max_points(question):
                raise ManualError(f"{path}, line {number}: points {raw[:20]} is above {max_points(question):g}, "
                                  f"the most {question} is worth")
        row = Row(get("student"), get("canvas_user_id"), get("sid"), question, points, get("comment")[:2000],
                  values[at["answer"]] if at["answer"] < len(values) else "")
        if known is not None and row.key[0] not in known:
            raise ManualError(f"{path}, line {number}: no student {row.student[:40]!r} "
                              f"(Canvas id {row.canvas_user_id or '-'}, sid {row.sid or '-'}) in this folder's results")
        if row.key in manual.rows:
            raise ManualError(f"{path}, line {number}: a second row for {row.student[:40]!r} and {question}")
        manual.rows[row.key] = row
    return manual


# ---- keeping it current ----------------------------------------------------------------------

def _everyone(results: list[Result]) -> dict[str, tuple[dict[str, str], Result]]:
    """Each person once, with the result that counts for them (the best score; then the latest name)."""
    best: dict[str, tuple[dict[str, str], Result]] = {}
    for r in sorted(results, key=lambda r: r.submission):
        for person in people(r):
            key = person_key(person)
            if key not in best or r.score > best[key][1].score:
                best[key] = (person, r)
    return best


def update(out: Path, results: list[Result]) -> Manual:
    """Create or bring DIR/manual.csv up to date with these results, keeping every typed value;
    ManualError (and nothing written) when the file as the TA left it is not valid."""
    path, state_path = out / MANUAL, out / STATE
    everyone = _everyone(results)
    manual = read(path, set(everyone)) if path.exists() else Manual()
    try:
        state = json.loads(state_path.read_text(encoding="utf-8")) if state_path.exists() else {}
    except (OSError, ValueError):
        state = {}
    state = state if isinstance(state, dict) else {}
    for key, (person, result) in everyone.items():
        answers = result.answers
        for question in MANUAL_QUESTIONS:
            row = manual.rows.get((key, question))
            if row is None:
                row = manual.rows[(key, question)] = Row(person["name"], person["canvas_id"], person["sid"], question,
                                                         None, "")
            answer = _shown(str(answers.get(question, "")))
            seen = state.get(f"{key}|{question}")
            typed = [row.points, row.comment]
            if row.points is None and not row.comment:
                state.pop(f"{key}|{question}", None)
            elif not isinstance(seen, dict) or seen.get("typed") != typed:
                state[f"{key}|{question}"] = {"answer": _digest(answer), "typed": typed}  # graded as it now reads
            seen = state.get(f"{key}|{question}")
            row.answer = (CHANGED if seen and seen["answer"] != _digest(answer) else "") + answer
    ordered = sorted(manual.rows.values(), key=lambda r: (r.student.casefold(), r.key[0], r.question))
    lines = [[cell(r.student), r.canvas_user_id, r.sid, r.question, f"{max_points(r.question):g}",
              "" if r.points is None else f"{r.points:g}", cell(r.comment), cell(r.answer)] for r in ordered]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([COLUMNS, *lines])
    write_atomic(path, "\ufeff" + buffer.getvalue())  # a BOM: Excel then reads the Hangul as UTF-8
    write_atomic(state_path, json.dumps(state, ensure_ascii=False, indent=1))
    return manual


def changed(row: Row) -> bool:
    return row.answer.startswith(CHANGED)


# ---- late work -------------------------------------------------------------------------------

@dataclass(frozen=True)
class LatePolicy:
    """A deduction for late work: `points`, or `percent` of the whole grade; none by default."""
    points: float = 0.0
    percent: float = 0.0

    @classmethod
    def parse(cls, text: str | None) -> "LatePolicy":
        """"10%" or "5" (points); "" or None: no deduction."""
        text = (text or "").strip()
        if not text:
            return cls()
        m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(%?)", text)
        if not m or (m[2] and float(m[1]) > 100):
            raise ValueError(f"a late deduction is points (5) or a percentage (10%), not {text[:20]!r}")
        return cls(percent=float(m[1])) if m[2] else cls(points=float(m[1]))

    def deduction(self, late: bool, max_score: float) -> float:
        return 0.0 if not late else (self.points or max_score * self.percent / 100)


def is_late(result: Result) -> bool:
    """What the LMS says: Canvas's late flag in the download's file name."""
    return result.canvas.get("late") is True


# ---- the whole grade -------------------------------------------------------------------------

@dataclass
class Final:
    """One person's whole grade: autograded points (corrections applied), hand points, late."""
    questions: dict[str, float]
    score: float
    max_score: float
    late: bool
    late_deduction: float
    staff: list[Row]  # the TA's rows for this person: hand points and corrections, with comments
    hand_missing: list[str]  # hand-graded questions with no points yet
    changed: list[str]  # hand-graded answers changed since they were graded


def final(result: Result, person: dict[str, str], manual: Manual | None, late: LatePolicy) -> Final:
    questions = {q: float(result.questions.get(q, 0)) for q in QUESTIONS}
    staff = manual.of(person) if manual else []
    for row in staff:
        if row.points is not None:
            questions[row.question] = row.points
    for q in MANUAL_QUESTIONS:
        questions.setdefault(q, 0.0)
    hand_missing = [q for q in MANUAL_QUESTIONS if not any(r.question == q and r.points is not None for r in staff)]
    max_score = result.max_score + sum(MANUAL_QUESTIONS.values())
    late_flag = is_late(result)
    deduction = late.deduction(late_flag, max_score)
    score = round(max(0.0, sum(questions.values()) - deduction), 6)
    return Final(questions, score, max_score, late_flag, round(deduction, 6), staff, hand_missing,
                 [r.question for r in staff if changed(r)])
