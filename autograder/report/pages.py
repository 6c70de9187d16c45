"""Feedback for each student and a summary for the instructor, from a batch's results.

    python -m autograder report DIR [--lang ko|en] [--reveal none|hints|values]

Everything is rendered from the check records (results/*.json); no test source or reference
code is read, so none can leak. Pages are self-contained (inline CSS, images as data URIs).
Everything a student controls (names, file names, values, messages) is escaped and bounded.

Files written: feedback/<stem>.html, .md and .txt (plain text, for an LMS comment box that shows
Markdown raw), summary.html and canvas.csv.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from autograder.batch import escape
from autograder.batch.results import Result, load_results, write_atomic
from autograder.engine.records import Record, reveals
from autograder.report import plots
from autograder.spec.constants import W_INIT, pair
from autograder.spec.korean import particles
from autograder.spec.mistakes import CATALOGUE
from autograder.spec.questions import MANUAL_QUESTIONS, QUESTIONS

T = {
    "ko": {
        "feedback": "피드백", "score": "점수", "question": "문제", "check": "항목", "points": "점수",
        "passed": "통과", "failed": "실패", "status": "채점 상태", "mistake": "실수", "yours": "제출한 값",
        "expected": "기대한 값", "carried": "앞 단계 값 기준으로 인정", "manual": "서술형은 따로 채점합니다",
        "summary": "채점 요약", "students": "학생 수", "files": "파일 수", "mean": "평균", "median": "중앙값",
        "hist": "총점 분포", "qrate": "문제별 통과율", "rate": "통과율", "mistakes": "실수별 빈도",
        "who": "해당 제출", "loop": "학습 루프의 최종 가중치", "trouble": "확인이 필요한 제출",
        "reason": "사유", "none": "없음", "lang": "ko",
        "staff": "조교 채점 (과목 담당자가 준 점수와 의견)", "correction": "자동 채점 정정", "hand": "손 채점",
        "pending": "아직 채점 전", "late": "지각 감점", "to_fix": "고칠 것", "todo": "할 일",
        "todo_canvas": "canvas.csv 에서 빠진 학생", "todo_hand": "손 채점 점수가 아직 없는 학생",
        "todo_changed": "채점한 뒤 답안이 바뀐 학생 (다시 채점하세요)", "todo_status": "정상 채점되지 않은 제출",
        "todo_late": "지각 제출", "todo_zip": "canvas_feedback.zip 에 없는 제출 (Canvas 다운로드에서 온 파일이 아님)",
        "loop_note": "초록 별: 최소제곱해 {loop}, zero_grad 를 한 학습이 도착하는 곳. "
                     "빨간 X: zero_grad 없이 학습한 결과 {homework}.",
        "loop_count": "점 하나가 학습 루프를 실행한 제출 하나입니다 ({n}개). 속이 빈 점은 그림 밖의 값을 가장자리에 그린 것입니다.",
        "applies": "해당 항목", "these": "각 값", "table": "학생별 결과", "student": "학생", "file": "파일",
        "lost": "점수를 잃은 문제", "practice": "연습 (점수 없음)", "open": "피드백", "all": "전체",
        "description": "설명", "count": "학생 수",
        "practice_title": "점수 없는 문제 (연습)",
        "practice_note": "아래 문제는 점수에 들어가지 않습니다: 만점인 학생도 여기에 나올 수 있으며, 위의 실수 표와 "
                         "'점수를 잃은 문제'에는 들어가지 않습니다.",
        "more": "외 {n}명",
    },
    "en": {
        "feedback": "Feedback", "score": "Score", "question": "Question", "check": "Check", "points": "Points",
        "passed": "passed", "failed": "failed", "status": "Status", "mistake": "Mistake", "yours": "Your value",
        "expected": "Expected", "carried": "credit carried forward", "manual": "the written question is graded separately",
        "staff": "Graded by the course staff (their points and comments)", "correction": "correction of the autograder",
        "hand": "graded by hand", "pending": "not graded yet", "late": "late deduction", "to_fix": "What to fix",
        "todo": "To do", "todo_canvas": "Students left out of canvas.csv", "todo_hand": "Hand-graded points not in yet",
        "todo_changed": "Answers changed since they were graded (grade again)", "todo_status": "Submissions not graded normally",
        "todo_late": "Late submissions", "todo_zip": "Not in canvas_feedback.zip (not from a Canvas download)",
        "summary": "Grading summary", "students": "Students", "files": "Files", "mean": "Mean", "median": "Median",
        "hist": "Total scores", "qrate": "Pass rate per question", "rate": "pass rate", "mistakes": "Mistakes",
        "who": "Submissions", "loop": "Final weights of the training loop", "trouble": "Submissions to look at",
        "reason": "Reason", "none": "none", "lang": "en",
        "loop_note": "Green star: the least-squares solution {loop}, where training with zero_grad ends. "
                     "Red X: where training without zero_grad ends {homework}.",
        "loop_count": "One point per submission whose training loop ran ({n}). A hollow point is a value outside "
                      "the view, drawn on its edge.",
        "applies": "applies to", "these": "each of these", "table": "Students", "student": "Student", "file": "File",
        "lost": "Points lost in", "practice": "Practice (not scored)", "open": "Feedback", "all": "all",
        "description": "Description", "count": "Students",
        "practice_title": "Questions without points (practice)",
        "practice_note": "These questions do not count toward the score: a student with full marks may appear here, "
                         "and they are left out of the mistakes table and of 'Points lost in' above.",
        "more": "and {n} more",
    },
}
PLOT_LABELS = {
    "en": {"score": "total score", "count": "submissions", "students": "students", "rate": "pass rate (%)",
           "lstsq": "least squares {loop}", "nozero": "no zero_grad {homework}", "start": f"start {pair(W_INIT)}"},
    "ko": {"score": "총점", "count": "제출 수", "students": "학생", "rate": "통과율 (%)",
           "lstsq": "최소제곱해 {loop}", "nozero": "zero_grad 없이 {homework}", "start": f"시작점 {pair(W_INIT)}"},
}
NAME_LEN, TEXT_LEN, VALUE_LEN, WHO_SHOWN = 60, 600, 200, 12


def plot_labels(lang: str) -> dict[str, str]:
    """The plots' labels: Korean only where a font that draws Hangul is installed (plots.hangul_font)."""
    return PLOT_LABELS["ko"] if lang == "ko" and plots.hangul_font() else PLOT_LABELS["en"]


def loop_ends(results: list[Result] | list[Shown]) -> dict[str, tuple[float, float]]:
    """Where the two loops end on the official data: the reference's values, as the records carry them."""
    ends: dict[str, tuple[float, float]] = {}
    for r in results:
        for rec in r.records:
            if rec.hidden and rec.check == "net" and isinstance(rec.expected, list):
                ends.setdefault(rec.question, tuple(rec.expected))
    return ends

CSS = """
body{font-family:-apple-system,'Segoe UI','Noto Sans KR','Malgun Gothic',sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#222;line-height:1.5}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;margin:.5rem 0;table-layout:fixed}
th:nth-child(1){width:22%}th:nth-child(2){width:10%}th:nth-child(3){width:14%}th,td{border:1px solid #ddd;padding:.3rem .5rem;
text-align:left;vertical-align:top;overflow-wrap:anywhere;word-break:break-word}th{background:#f4f6f8}
.ok{color:#1e7b3c;font-weight:600}
.bad{color:#b3261e;font-weight:600}.code{font-family:monospace;background:#f4f4f4;padding:0 .25rem}
.score{font-size:1.3rem}.note{color:#555;font-size:.9rem}img{max-width:100%}
.status{padding:.5rem .8rem;border-radius:4px;background:#fff4e5;border:1px solid #f0b86e}
ul.msgs{margin:.2rem 0 1rem;padding-left:1.2rem}ul.msgs li{margin:.2rem 0;overflow-wrap:anywhere}
table.students th:nth-child(1){width:20%}table.students th:nth-child(2){width:8%}
table.students th:nth-child(3){width:9%}table.students th:nth-child(4){width:28%}
table.students th:nth-child(5){width:17%}table.students th:nth-child(6){width:18%}
table.mistakes th:nth-child(1){width:16%}table.mistakes th:nth-child(2){width:44%}table.mistakes th:nth-child(3){width:8%}
h1{overflow-wrap:anywhere}
@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}tr{page-break-inside:avoid}}
"""


def _page(title: str, lang: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{CSS}</style></head><body>{body}</body></html>\n")


def bound(value: Any, limit: int = NAME_LEN) -> str:
    """A student-controlled value as one line of at most `limit` characters: control and
    direction-changing characters become spaces, a longer text ends with an ellipsis."""
    text = escape.line(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _who(result: Result | Shown) -> str:
    return bound(result.student or result.submission)


def _message(record: Record, lang: str) -> str:
    msg = record.message or {}
    return bound(msg.get(lang) or msg.get("en", ""), TEXT_LEN)


def _code(record: Record) -> str:
    return bound(record.mistake or "", 40)


_TICKS = re.compile(r"`([^`\n]{1,200})`")


def _html_message(text: str) -> str:
    """A message for HTML: escaped, with `code` in backticks shown as <code>code</code>."""
    return _TICKS.sub(lambda m: f"<code>{m.group(1)}</code>", html.escape(text))


def _staff_lines(result: Shown, t: dict) -> list[str]:
    """What the course staff gave (manual.csv, through write_reports): hand points and corrections
    with their comments, hand-graded questions not graded yet, and the late deduction."""
    lines = []
    for row in result.staff:
        kind = t["hand"] if row["question"] in MANUAL_QUESTIONS else t["correction"]
        points = t["pending"] if row["points"] is None else f"{row['points']:g} / {row['max_points']:g}"
        comment = f" — {bound(row['comment'], TEXT_LEN)}" if row["comment"] else ""
        lines.append(f"{row['question']} ({kind}): {points}{comment}")
    if result.late_deduction:
        lines.append(f"{t['late']}: -{result.late_deduction:g}")
    return lines


def _md_message(text: str) -> str:
    """A message for Markdown: `code` in backticks as a code span, everything else escaped."""
    parts, at = [], 0
    for m in _TICKS.finditer(text):
        parts += [escape.markdown(text[at:m.start()]), escape.code(m.group(1))]
        at = m.end()
    return "".join(parts + [escape.markdown(text[at:])])


def _plain(text: str) -> str:
    """A message as plain text: no backticks, no Markdown emphasis."""
    return re.sub(r"\*\*|__", "", text.replace("`", ""))


def _rows(result: Result | Shown) -> dict[str, list[Record]]:
    """One row per graded quantity: its hidden record (which carries the points)."""
    rows: dict[str, list[Record]] = defaultdict(list)
    for r in result.records:
        if r.hidden:
            rows[r.question].append(r)
    return rows


@dataclass
class Note:
    """One message of a question, shown once, with the quantities it applies to."""

    code: str
    text: str
    checks: list[str] = field(default_factory=list)


_NAME = "\x00"
# a particle after a quantity's name, made neutral again so that repeats on other names group together
_NEUTRAL = {"이": "이(가)", "가": "이(가)", "을": "을(를)", "를": "을(를)", "은": "은(는)", "는": "은(는)",
            "과": "과(와)", "와": "과(와)", "으로": "(으)로", "로": "(으)로"}


def notes(rows: list[Record], lang: str) -> list[Note]:
    """The messages of a question's failed (or carried) checks, each once: the same message on several
    quantities (a hard-coded notebook gets the same one on every check) becomes one Note listing them.
    Messages name their quantity in backticks; that name is what may differ between repeats."""
    found: dict[tuple[str, str], Note] = {}
    for r in rows:
        if r.passed and not r.carried_forward:
            continue
        check = bound(r.check)
        text = _message(r, lang)
        key = (_code(r), re.sub(rf"`{re.escape(check)}`(으로|이|가|을|를|은|는|과|와|로)?",
                                lambda m: _NAME + _NEUTRAL.get(m.group(1) or "", ""), text))
        found.setdefault(key, Note(key[0], text)).checks.append(check)
    out = []
    for (code, generic), note in found.items():
        if len(note.checks) > 1:
            text = particles(generic.replace(_NAME, T[lang]["these"]))
            note.text = text[:1].upper() + text[1:]
        out.append(note)
    return out


def feedback_html(result: Shown, lang: str, reveal: str) -> str:
    t = T[lang]
    e = html.escape
    parts = [f"<h1>{t['feedback']}: {e(_who(result))}</h1>",
             f"<p class='score'>{t['score']}: <b>{result.score:g}</b> / {result.max_score:g}</p>"]
    if result.status != "graded":
        parts.append(f"<p class='status'>{t['status']}: <b>{e(bound(result.status))}</b> — "
                     f"{e(bound(result.reason, TEXT_LEN))}</p>")
    staff = _staff_lines(result, t)
    if staff:
        parts.append(f"<section id='staff'><h2>{t['staff']}</h2><ul>"
                     + "".join(f"<li>{e(line)}</li>" for line in staff) + "</ul></section>")
    rows = _rows(result)

    def messages(name: str) -> str:
        items = [f"<li>{f'<span class=code>{e(n.code)}</span> ' if n.code else ''}{_html_message(n.text)}"
                 f"<br><span class='note'>{t['applies']}: {', '.join(f'<code>{e(c)}</code>' for c in n.checks)}"
                 "</span></li>" for n in notes(rows[name], lang)]
        return f"<ul class='msgs'>{''.join(items)}</ul>" if items else ""

    # what to fix first: each question that lost points, with its messages; the rest after, compact
    lost = [name for name in QUESTIONS if any(not r.passed and r.max_points for r in rows.get(name, []))]
    if lost and reveals(reveal, "hints"):
        parts.append(f"<section id='fix'><h2>{t['to_fix']}</h2>")
        for name in lost:
            got = sum(r.points for r in rows[name])
            parts.append(f"<h3>{e(QUESTIONS[name].title or name)} — {got:g} / {QUESTIONS[name].points:g}</h3>{messages(name)}")
        parts.append("</section>")
    for name, question in QUESTIONS.items():
        got = sum(r.points for r in rows.get(name, []))
        parts.append(f"<h2>{e(question.title or name)} <span class='note'>({e(name)})</span> — "
                     f"{got:g} / {question.points:g}</h2>")
        for row in result.staff:  # the course staff's correction, where it applies
            if row["question"] == name and row["points"] is not None:
                parts.append(f"<p class='staff'>{t['correction']}: <b>{row['points']:g} / {row['max_points']:g}</b>"
                             f"{' — ' + e(bound(row['comment'], TEXT_LEN)) if row['comment'] else ''}</p>")
        if not rows.get(name):
            parts.append(f"<p class='note'>{t['none']}</p>")
            continue
        head = [t["check"], t["points"], t["status"]] + ([t["mistake"]] if reveals(reveal, "hints") else [])
        head += [t["yours"], t["expected"]] if reveals(reveal, "values") else []
        table = ["<table><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>"]
        for r in rows[name]:
            ok = r.passed
            cells = [f"<span class='code'>{e(bound(r.check))}</span>", f"{r.points:g} / {r.max_points:g}",
                     f"<span class='{'ok' if ok else 'bad'}'>{t['passed'] if ok else t['failed']}</span>"
                     + (f"<br><span class='note'>{t['carried']}</span>" if r.carried_forward else "")]
            if reveals(reveal, "hints"):
                cells.append(f"<span class='code'>{e(_code(r))}</span>" if _code(r) else "")
            if reveals(reveal, "values"):
                cells += [e(bound(r.student, VALUE_LEN)), e(bound(r.expected, VALUE_LEN))]
            table.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        parts.append("".join(table) + "</table>")
        if reveals(reveal, "hints") and name not in lost:
            parts.append(messages(name))
    manual = ", ".join(f"{q} ({p:g})" for q, p in MANUAL_QUESTIONS.items())
    parts.append(f"<p class='note'>{t['manual']}: {e(manual)}</p>")
    return _page(f"{t['feedback']} — {bound(result.submission)}", lang, "".join(parts))


def feedback_md(result: Shown, lang: str, reveal: str) -> str:
    """The same feedback as Markdown (for places that render it)."""
    t = T[lang]
    md = escape.markdown  # everything from the result is escaped; only our own markup is Markdown
    lines = [f"## {md(t['feedback'])}: {md(_who(result))}",
             f"{md(t['score'])}: **{result.score:g} / {result.max_score:g}**"]
    if result.status != "graded":
        lines.append(f"{md(t['status'])}: {md(bound(result.status))} ({md(bound(result.reason, TEXT_LEN))})")
    staff = _staff_lines(result, t)
    if staff:
        lines += [f"\n**{md(t['staff'])}**", *(f"- {md(line)}" for line in staff)]
    rows = _rows(result)
    for name, question in QUESTIONS.items():
        got = sum(r.points for r in rows.get(name, []))
        lines.append(f"\n**{md(question.title or name)}** ({got:g}/{question.points:g})")
        for r in rows.get(name, []):
            mark = "✅" if r.passed else "❌"
            line = f"- {mark} {escape.code(bound(r.check))} {r.points:g}/{r.max_points:g}"
            if reveals(reveal, "hints") and _code(r) and not r.passed:
                line += f" \\[{md(_code(r))}\\]"
            if reveals(reveal, "values"):
                line += (f" ({md(t['yours'])}: {md(bound(r.student, VALUE_LEN))}; "
                         f"{md(t['expected'])}: {md(bound(r.expected, VALUE_LEN))})")
            lines.append(line)
        if reveals(reveal, "hints"):
            for n in notes(rows.get(name, []), lang):
                lines.append(f"  - {(chr(92) + '[' + md(n.code) + chr(92) + '] ') if n.code else ''}{_md_message(n.text)} "
                             f"({md(t['applies'])}: {md(', '.join(n.checks))})")
    return "\n".join(lines) + "\n"


def feedback_text(result: Shown, lang: str, reveal: str) -> str:
    """The same feedback as plain text (no Markdown), to paste into an LMS comment (Canvas shows
    Markdown as it is typed)."""
    t = T[lang]
    lines = [f"{t['feedback']}: {_plain(_who(result))}",
             f"{t['score']}: {result.score:g} / {result.max_score:g}"]
    if result.status != "graded":
        lines.append(f"{t['status']}: {_plain(bound(result.status))} "
                     f"({_plain(bound(result.reason, TEXT_LEN))})")
    staff = _staff_lines(result, t)
    if staff:
        lines += [f"\n{t['staff']}", *(f"  - {_plain(line)}" for line in staff)]
    rows = _rows(result)
    for name, question in QUESTIONS.items():
        got = sum(r.points for r in rows.get(name, []))
        lines.append(f"\n{question.title or name} ({got:g} / {question.points:g})")
        for r in rows.get(name, []):
            line = f"  {t['passed'] if r.passed else t['failed']}: {_plain(bound(r.check))} " \
                   f"{r.points:g}/{r.max_points:g}"
            if reveals(reveal, "hints") and _code(r) and not r.passed:
                line += f" [{_plain(_code(r))}]"
            if reveals(reveal, "values"):
                line += (f" ({t['yours']}: {_plain(bound(r.student, VALUE_LEN))}; "
                         f"{t['expected']}: {_plain(bound(r.expected, VALUE_LEN))})")
            lines.append(line)
        if reveals(reveal, "hints"):
            for n in notes(rows.get(name, []), lang):
                lines.append(f"  - {('[' + _plain(n.code) + '] ') if n.code else ''}{_plain(n.text)} "
                             f"({t['applies']}: {_plain(', '.join(n.checks))})")
    return "\n".join(lines) + "\n"


def loop_point(result: Result | Shown) -> tuple[float, float] | None:
    """A graded submission's final (w0, w1) of the training loop ("loop"), if its loop ran."""
    if result.status != "graded":
        return None
    for r in result.records:
        value = r.student
        if (r.hidden and r.question == "loop" and isinstance(value, list) and len(value) == 2
                and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)):
            return float(value[0]), float(value[1])
    return None


def counts(results: list[Result] | list[Shown]) -> tuple[int, int]:
    """(students, files): a student may have several files, and a group's file counts each member."""
    from autograder.batch.results import people

    def key(person: dict) -> str:
        return person["canvas_id"] or person["sid"] or person["email"] or person["name"]

    return len({key(person) for r in results for person in people(r)}), len(results)


def stems(results: list[Result]) -> dict[str, str]:
    """The feedback file name (without suffix) of each submission: its stem as the grader made it
    (letters, digits, '.', '-', '_'), made safe and unique again in case a result file was edited."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for r in results:
        stem = escape.unique(escape.file_stem(r.submission, 200), taken)
        taken.add(stem)
        out[r.submission] = stem
    return out


def _scored(question: str) -> bool:
    return question in QUESTIONS and QUESTIONS[question].points > 0


def describe(code: str, lang: str, checks: list[str] = ()) -> str:
    """A short description of a mistake code, from the catalogue's message: its first sentence, with
    the quantities it was found on in place of the student's variable and '…' for the details."""
    try:
        mistake = CATALOGUE[code]
    except (KeyError, ValueError):
        return ""
    shown = sorted(set(checks))
    name = ", ".join(shown[:3]) + (", …" if len(shown) > 3 else "") if shown else "…"
    text = mistake.message(name=name, detail="…")[lang]
    first = re.split(r"(?<=[.!?])\s+", text, maxsplit=1)[0]
    return bound(first, 200)


def _names(names: set[str], t: dict) -> str:
    shown = sorted(names, key=str.casefold)
    rest = len(shown) - WHO_SHOWN
    return ", ".join(shown[:WHO_SHOWN]) + (f" {t['more'].format(n=rest)}" if rest > 0 else "")


def _mistake_table(results: list[Shown], scored: bool, t: dict, lang: str) -> str:
    who: dict[str, set[str]] = defaultdict(set)
    checks: dict[str, list[str]] = defaultdict(list)
    for r in results:
        for rec in r.records:
            if rec.hidden and _code(rec) and rec.question in QUESTIONS and _scored(rec.question) == scored:
                who[_code(rec)].add(_who(r))
                checks[_code(rec)].append(bound(rec.check))
    if not who:
        return f"<p>{t['none']}</p>"
    e = html.escape
    table = [f"<table class='mistakes'><tr><th>{t['mistake']}</th><th>{t['description']}</th><th>{t['count']}</th>"
             f"<th>{t['student']}</th></tr>"]
    for code, names in sorted(who.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        table.append(f"<tr><td class='code'>{e(code)}</td><td>{_html_message(describe(code, lang, checks[code]))}</td>"
                     f"<td>{len(names)}</td><td>{e(_names(names, t))}</td></tr>")
    return "".join(table) + "</table>"


def _rate_table(per_check: dict[str, list[bool]], t: dict) -> str:
    table = [f"<table><tr><th>{t['question']}: {t['check']}</th><th>{t['rate']}</th></tr>"]
    for check, passed in per_check.items():
        table.append(f"<tr><td class='code'>{html.escape(check)}</td><td>{100 * sum(passed) / len(passed):.0f}%</td></tr>")
    return "".join(table) + "</table>"


def _student_table(results: list[Shown], links: dict[str, str], t: dict) -> str:
    e = html.escape
    unscored = [q for q in QUESTIONS if not _scored(q)]
    table = [f"<table class='students'><tr><th>{t['student']}</th><th>{t['score']}</th><th>{t['status']}</th>"
             f"<th>{t['lost']}</th><th>{t['practice']}</th><th>{t['open']}</th></tr>"]
    for r in sorted(results, key=lambda r: (_who(r).casefold(), r.submission)):
        if r.status != "graded":
            lost = t["all"]
        else:
            lost = ", ".join(f"{q} ({r.questions.get(q, 0):g}/{QUESTIONS[q].points:g})" for q in QUESTIONS
                             if _scored(q) and r.questions.get(q, 0) < QUESTIONS[q].points) or "—"
        rows = _rows(r)
        practice = ", ".join(f"{q} {sum(x.passed for x in rows[q])}/{len(rows[q])}" for q in unscored if rows.get(q))
        link = links[r.submission]
        href = e("feedback/" + quote(link) + ".html", quote=True)
        table.append(f"<tr data-submission='{e(link, quote=True)}'><td class='name'>{e(_who(r))}</td>"
                     f"<td>{r.score:g} / {r.max_score:g}</td>"
                     f"<td class='{'ok' if r.status == 'graded' else 'bad'}'>{e(bound(r.status))}</td>"
                     f"<td>{e(lost)}</td><td class='note'>{e(practice or '—')}</td>"
                     f"<td><a href=\"{href}\">{e(bound(link, 40))}</a></td></tr>")
    return "".join(table) + "</table>"


def summary_html(results: list[Shown], lang: str, links: dict[str, str] | None = None, todo: str = "") -> str:
    """The instructor's page. `links`: each submission's feedback file stem (default: stems(results));
    `todo`: what is left to do (todo_html), first."""
    t = T[lang]
    e = html.escape
    links = links or stems(results)
    labels = plot_labels(lang)
    scores = sorted(r.score for r in results)
    max_score = max((r.max_score for r in results), default=0) or 1
    n = len(results)
    mean = sum(scores) / n if n else 0
    median = scores[n // 2] if n else 0
    students, files = counts(results)
    parts = [f"<h1>{t['summary']}</h1>", todo,
             f"<p id='counts'>{t['students']}: <b>{students}</b> · {t['files']}: <b>{files}</b> · "
             f"{t['mean']}: <b>{mean:.2f}</b> · {t['median']}: <b>{median:g}</b> / {max_score:g}</p>",
             f"<section id='students'><h2>{t['table']}</h2>{_student_table(results, links, t)}</section>",
             f"<h2>{t['hist']}</h2><img alt='{t['hist']}' src='{plots.histogram(scores, max_score, labels)}'>"]
    graded = [r for r in results if r.records]
    scored = [q for q in QUESTIONS if _scored(q)]
    q_rates = [sum(r.questions.get(q, 0) >= QUESTIONS[q].points for r in graded) / len(graded) if graded else 0
               for q in scored]
    parts.append(f"<h2>{t['qrate']}</h2><img alt='{t['qrate']}' src='{plots.rates(scored, q_rates, labels)}'>")
    per_check: dict[bool, dict[str, list[bool]]] = {True: defaultdict(list), False: defaultdict(list)}
    for r in graded:
        for rec in r.records:
            if rec.hidden and rec.question in QUESTIONS:
                per_check[_scored(rec.question)][f"{rec.question}: {bound(rec.check)}"].append(rec.passed)
    parts.append(_rate_table(per_check[True], t))
    parts.append(f"<section id='mistakes'><h2>{t['mistakes']}</h2>{_mistake_table(graded, True, t, lang)}</section>")
    parts.append(f"<section id='practice'><h2>{t['practice_title']}</h2><p class='note'>{t['practice_note']}</p>"
                 f"{_rate_table(per_check[False], t)}{_mistake_table(graded, False, t, lang)}</section>")
    points = [p for p in map(loop_point, graded) if p]
    ends = loop_ends(results)
    shown = {k: "({:.4f}, {:.4f})".format(*v) for k, v in ends.items()}
    at = defaultdict(str, {q: "({:.2f}, {:.2f})".format(*end) for q, end in ends.items()})
    formatted = {k: v.format_map(at).strip() for k, v in labels.items()}
    parts.append(f"<section id='loop'><h2>{t['loop']}</h2><img alt='{t['loop']}' "
                 f"src='{plots.loop_weights(points, ends, formatted)}'>"
                 f"<p class='note'>{t['loop_count'].format(n=len(points))}</p>")
    if len(ends) == 2:
        parts.append(f"<p class='note'>{t['loop_note'].format(**shown)}</p>")
    parts.append("</section>")
    trouble = [r for r in results if r.status != "graded"
               or any(_code(rec) == "hard_coded" and _scored(rec.question) for rec in r.records)]
    parts.append(f"<section id='trouble'><h2>{t['trouble']}</h2>")
    if trouble:
        table = [f"<table><tr><th>{t['who']}</th><th>{t['status']}</th><th>{t['reason']}</th></tr>"]
        for r in trouble:
            reason = r.reason or ("hard_coded" if r.status == "graded" else "")
            href = e("feedback/" + quote(links[r.submission]) + ".html", quote=True)
            table.append(f"<tr><td><a href=\"{href}\">{e(bound(r.submission))}</a></td>"
                         f"<td>{e(bound(r.status))}</td><td>{e(bound(reason, TEXT_LEN))}</td></tr>")
        parts.append("".join(table) + "</table>")
    else:
        parts.append(f"<p>{t['none']}</p>")
    parts.append("</section>")
    return _page(t["summary"], lang, "".join(parts))


@dataclass(frozen=True)
class Shown:
    """A result as the course staff's grade shows it: the scores after their corrections, hand
    points and the late deduction (batch/manual.final, for its first person), and the staff's rows;
    everything else (who, status, the judge's records) is the Result's."""

    result: Result
    questions: dict[str, float]
    score: float
    max_score: float
    late: bool = False
    late_deduction: float = 0.0
    hand_missing: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    staff: tuple[dict[str, Any], ...] = ()  # question, points (None: not graded yet), max_points, comment

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "result":  # copy and pickle ask before `result` is set
            raise AttributeError(name)
        return getattr(self.result, name)

    @classmethod
    def of(cls, result: Result) -> "Shown":
        """A result shown as the grader wrote it (no manual.csv)."""
        return cls(result, dict(result.questions), result.score, result.max_score)


def whole(result: Result, manual, late) -> Shown:
    """The result as the course staff's grade shows it (batch/manual.final, for its first person)."""
    from autograder.batch.manual import final, max_points
    from autograder.batch.results import people

    f = final(result, people(result)[0], manual, late)
    staff = tuple({"question": r.question, "points": r.points, "max_points": max_points(r.question), "comment": r.comment}
                  for r in f.staff if r.points is not None or r.comment)
    return Shown(result, f.questions, f.score, f.max_score, f.late, f.late_deduction, tuple(f.hand_missing),
                 tuple(f.changed), staff)


def todo_html(shown: list[Shown], canvas: dict, left_out_of_zip: list[str], t: dict) -> str:
    """What is left before the grade is final: summary.html's first section."""
    e = html.escape
    items = [(t["todo_canvas"], [f"{bound(who)}: {bound(why, TEXT_LEN)}" for who, why in canvas.get("unmatched_list", [])]),
             (t["todo_hand"], [f"{_who(r)}: {', '.join(r.hand_missing)}" for r in shown if r.hand_missing]),
             (t["todo_changed"], [f"{_who(r)}: {', '.join(r.changed)}" for r in shown if r.changed]),
             (t["todo_status"], [f"{_who(r)}: {r.status} ({bound(r.reason, 80)})" for r in shown
                                 if r.status != "graded"]),
             (t["todo_late"], [f"{_who(r)} (-{r.late_deduction:g})" for r in shown if r.late]),
             (t["todo_zip"], [bound(who) for who in left_out_of_zip])]
    parts = [f"<section id='todo'><h2>{t['todo']}</h2>"]
    for title, lines in items:
        parts.append(f"<h3>{e(title)} ({len(lines)})</h3>")
        parts.append("<ul>" + "".join(f"<li>{e(line)}</li>" for line in lines[:500]) + "</ul>" if lines
                     else f"<p class='note'>{t['none']}</p>")
    return "".join(parts) + "</section>"


def canvas_feedback_zip(out: Path, shown: list[Shown], lang: str, reveal: str) -> tuple[Path, list[str]]:
    """DIR/canvas_feedback.zip for Canvas's "Re-Upload Submissions": each student's feedback page,
    named `<name>_<user id>_<attachment id>_feedback.html`. Canvas takes the first two all-digit
    parts of a name split at `_` as the user id and the id of an attachment of that student's
    submission (canvas-lms app/models/assignment.rb, infer_comment_context_from_filename), and
    attaches the file as a comment; anything else it ignores. Only files from a Canvas download
    have both ids: the others are returned, to be named in the summary."""
    import io
    import zipfile

    buffer, left_out, used = io.BytesIO(), [], set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for r in sorted(shown, key=lambda r: r.submission):
            canvas = r.canvas if isinstance(r.canvas, dict) else {}
            uid, fid = str(canvas.get("user_id", "")), str(canvas.get("file_id", ""))
            if r.identity_doubt or not (uid.isdigit() and fid.isdigit()):
                left_out.append(_who(r))
                continue
            name = re.sub(r"[\W_\d]+", "", str(canvas.get("name", ""))) or "student"  # no _ and no all-digit part
            entry = f"{name[:40]}_{uid}_{fid}_feedback.html"
            if entry in used:
                continue
            used.add(entry)
            zf.writestr(entry, feedback_html(r, lang, reveal))
    path = out / "canvas_feedback.zip"
    path.write_bytes(buffer.getvalue())
    return path, left_out


def write_reports(out: Path, lang: str = "ko", reveal: str = "hints", roster=None,
                  assignment: str = "hw04", late=None, partial: bool = False) -> dict[str, Any]:
    """Feedback pages (HTML, Markdown, plain text for LMS comments), summary.html, and the Canvas
    import with its unmatched rows (report/canvas.py; `roster`: Canvas's gradebook export), every
    score whole: manual.csv (hand points, corrections) and the late policy applied, grades.csv and
    otter's CSV rewritten so. A bad manual.csv raises ManualError before anything is written."""
    from autograder.batch.manual import LatePolicy
    from autograder.batch.manual import update as update_manual
    from autograder.batch.results import write_grades_csv, write_otter_csv
    from autograder.report.canvas import write_canvas

    results = load_results(out)
    if not results:
        raise FileNotFoundError(f"no results in {out / 'results'}: run `python -m autograder grade ... --out {out}` first")
    late = late or LatePolicy()
    manual = update_manual(out, results)
    write_grades_csv(out, results, manual, late)
    if (out / "final_grades.csv").exists():
        write_otter_csv(out, results, manual, late)
    shown = [whole(r, manual, late) for r in results]
    feedback = out / "feedback"
    links = stems(results)
    for r in shown:
        stem = links[r.submission]
        write_atomic(feedback / f"{stem}.html", feedback_html(r, lang, reveal))
        write_atomic(feedback / f"{stem}.md", feedback_md(r, lang, reveal))
        write_atomic(feedback / f"{stem}.txt", feedback_text(r, lang, reveal))
    canvas = write_canvas(out, results, roster, assignment, manual, late, partial)
    zipped, left_out = canvas_feedback_zip(out, shown, lang, reveal)
    todo = todo_html(shown, canvas, left_out, T[lang])
    write_atomic(out / "summary.html", summary_html(shown, lang, links, todo))
    return {"summary": out / "summary.html", "feedback": feedback, "canvas": canvas, "count": len(results),
            "canvas_feedback": zipped, "not_zipped": left_out, "manual": out / "manual.csv"}
