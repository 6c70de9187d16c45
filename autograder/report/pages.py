"""Feedback for each student and a summary for the instructor, from a batch's results.

    python -m autograder report DIR [--lang ko|en] [--reveal none|hints|values]

Everything is rendered from the check records (results/*.json); no test source or reference
code is read, so none can leak. Pages are self-contained (inline CSS, images as data URIs).
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from autograder.batch.results import load_results, write_atomic
from autograder.report import plots
from autograder.spec.constants import W_INIT, pair
from autograder.spec.questions import MANUAL_QUESTIONS, QUESTIONS

T = {
    "ko": {
        "feedback": "피드백", "score": "점수", "question": "문제", "check": "항목", "points": "점수",
        "passed": "통과", "failed": "실패", "status": "채점 상태", "mistake": "실수", "yours": "제출한 값",
        "expected": "기대한 값", "carried": "앞 단계 값 기준으로 인정", "manual": "서술형은 따로 채점합니다",
        "summary": "채점 요약", "students": "제출 수", "mean": "평균", "median": "중앙값",
        "hist": "총점 분포", "qrate": "문제별 통과율", "rate": "통과율", "mistakes": "실수별 빈도",
        "who": "해당 제출", "loop": "학습 루프의 최종 가중치", "trouble": "확인이 필요한 제출",
        "reason": "사유", "none": "없음", "lang": "ko",
        "loop_note": "초록 별: 최소제곱해 {loop}, zero_grad 를 한 학습이 도착하는 곳. "
                     "빨간 X: zero_grad 없이 학습한 결과 {homework}.",
    },
    "en": {
        "feedback": "Feedback", "score": "Score", "question": "Question", "check": "Check", "points": "Points",
        "passed": "passed", "failed": "failed", "status": "Status", "mistake": "Mistake", "yours": "Your value",
        "expected": "Expected", "carried": "credit carried forward", "manual": "the written question is graded separately",
        "summary": "Grading summary", "students": "Submissions", "mean": "Mean", "median": "Median",
        "hist": "Total scores", "qrate": "Pass rate per question", "rate": "pass rate", "mistakes": "Mistakes",
        "who": "Submissions", "loop": "Final weights of the training loop", "trouble": "Submissions to look at",
        "reason": "Reason", "none": "none", "lang": "en",
        "loop_note": "Green star: the least-squares solution {loop}, where training with zero_grad ends. "
                     "Red X: where training without zero_grad ends {homework}.",
    },
}
PLOT_LABELS = {"score": "total score", "count": "submissions", "students": "students",
               "lstsq": "least squares {loop}", "nozero": "no zero_grad {homework}", "start": f"start {pair(W_INIT)}"}


def loop_ends(results: list[dict[str, Any]]) -> dict[str, tuple[float, float]]:
    """Where the two loops end on the official data: the reference's values, as the records carry them."""
    ends: dict[str, tuple[float, float]] = {}
    for r in results:
        for rec in r.get("records", []):
            if rec["hidden"] and rec["check"] == "net" and isinstance(rec.get("expected"), list):
                ends.setdefault(rec["question"], tuple(rec["expected"]))
    return ends

CSS = """
body{font-family:-apple-system,'Segoe UI','Noto Sans KR','Malgun Gothic',sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#222;line-height:1.5}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;margin:.5rem 0;table-layout:fixed}
th:nth-child(1){width:22%}th:nth-child(2){width:10%}th:nth-child(3){width:14%}th,td{border:1px solid #ddd;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#f4f6f8}.ok{color:#1e7b3c;font-weight:600}
.bad{color:#b3261e;font-weight:600}.code{font-family:monospace;background:#f4f4f4;padding:0 .25rem}
.score{font-size:1.3rem}.note{color:#555;font-size:.9rem}img{max-width:100%}
.status{padding:.5rem .8rem;border-radius:4px;background:#fff4e5;border:1px solid #f0b86e}
@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}tr{page-break-inside:avoid}}
"""


def _page(title: str, lang: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{CSS}</style></head><body>{body}</body></html>\n")


def _message(record: dict, lang: str) -> str:
    return record["message"].get(lang) or record["message"].get("en", "")


_TICKS = re.compile(r"`([^`\n]{1,200})`")


def _html_message(text: str) -> str:
    """A message for HTML: escaped, with `code` in backticks shown as <code>code</code>."""
    return _TICKS.sub(lambda m: f"<code>{m.group(1)}</code>", html.escape(text))


def _rows(result: dict) -> dict[str, list[dict]]:
    """One row per graded quantity: its hidden record (which carries the points)."""
    rows: dict[str, list[dict]] = defaultdict(list)
    for r in result["records"]:
        if r["hidden"]:
            rows[r["question"]].append(r)
    return rows


def feedback_html(result: dict, lang: str, reveal: str) -> str:
    t = T[lang]
    e = html.escape
    parts = [f"<h1>{t['feedback']}: {e(result['student'] or result['submission'])}</h1>",
             f"<p class='score'>{t['score']}: <b>{result['score']:g}</b> / {result['max_score']:g}</p>"]
    if result["status"] != "graded":
        parts.append(f"<p class='status'>{t['status']}: <b>{e(result['status'])}</b> — {e(result.get('reason', ''))}</p>")
    rows = _rows(result)
    for name, question in QUESTIONS.items():
        got = sum(r["points"] for r in rows.get(name, []))
        parts.append(f"<h2>{e(question.title or name)} <span class='note'>({e(name)})</span> — "
                     f"{got:g} / {question.points:g}</h2>")
        head = [t["check"], t["points"], t["status"]] + ([t["mistake"]] if reveal != "none" else [])
        head += [t["yours"], t["expected"]] if reveal == "values" else []
        table = ["<table><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>"]
        for r in rows.get(name, []):
            ok = r["passed"]
            cells = [f"<span class='code'>{e(r['check'])}</span>", f"{r['points']:g} / {r['max_points']:g}",
                     f"<span class='{'ok' if ok else 'bad'}'>{t['passed'] if ok else t['failed']}</span>"
                     + (f"<br><span class='note'>{t['carried']}</span>" if r.get("carried_forward") else "")]
            if reveal != "none":
                code = f"<span class='code'>{e(r['mistake'])}</span> " if r["mistake"] else ""
                cells.append(code + _html_message(_message(r, lang)) if not ok or r.get("carried_forward") else "")
            if reveal == "values":
                cells += [e(str(r["student"])), e(str(r["expected"]))]
            table.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        table.append("</table>")
        parts.append("".join(table) if rows.get(name) else f"<p class='note'>{t['none']}</p>")
    manual = ", ".join(f"{q} ({p:g})" for q, p in MANUAL_QUESTIONS.items())
    parts.append(f"<p class='note'>{t['manual']}: {e(manual)}</p>")
    return _page(f"{t['feedback']} — {result['submission']}", lang, "".join(parts))


def feedback_md(result: dict, lang: str, reveal: str) -> str:
    """The same feedback as plain Markdown, to paste into an LMS comment."""
    t = T[lang]
    lines = [f"## {t['feedback']}: {result['student'] or result['submission']}",
             f"{t['score']}: **{result['score']:g} / {result['max_score']:g}**"]
    if result["status"] != "graded":
        lines.append(f"{t['status']}: {result['status']} ({result.get('reason', '')})")
    rows = _rows(result)
    for name, question in QUESTIONS.items():
        got = sum(r["points"] for r in rows.get(name, []))
        lines.append(f"\n**{question.title or name}** ({got:g}/{question.points:g})")
        for r in rows.get(name, []):
            mark = "✅" if r["passed"] else "❌"
            line = f"- {mark} `{r['check']}` {r['points']:g}/{r['max_points']:g}"
            if reveal != "none" and (not r["passed"] or r.get("carried_forward")):
                line += f": {('[' + r['mistake'] + '] ') if r['mistake'] else ''}{_message(r, lang)}"
            if reveal == "values":
                line += f" ({t['yours']}: {r['student']}; {t['expected']}: {r['expected']})"
            lines.append(line)
    return "\n".join(lines) + "\n"


def _loop_point(result: dict) -> tuple[float, float] | None:
    for r in result["records"]:
        if r["hidden"] and r["question"] == "loop" and isinstance(r["student"], list) and len(r["student"]) == 2:
            return float(r["student"][0]), float(r["student"][1])
    return None


def summary_html(results: list[dict], lang: str) -> str:
    t = T[lang]
    e = html.escape
    scores = sorted(r["score"] for r in results)
    max_score = max((r["max_score"] for r in results), default=0) or 1
    n = len(results)
    mean = sum(scores) / n if n else 0
    median = scores[n // 2] if n else 0
    parts = [f"<h1>{t['summary']}</h1>",
             f"<p>{t['students']}: <b>{n}</b> · {t['mean']}: <b>{mean:.2f}</b> · {t['median']}: <b>{median:g}</b> "
             f"/ {max_score:g}</p>",
             f"<h2>{t['hist']}</h2><img alt='{t['hist']}' src='{plots.histogram(scores, max_score, PLOT_LABELS)}'>"]
    graded = [r for r in results if r["records"]]
    scored = [q for q in QUESTIONS if QUESTIONS[q].points > 0]
    q_rates = [sum(r["questions"].get(q, 0) >= QUESTIONS[q].points for r in graded) / len(graded) if graded else 0
               for q in scored]
    parts.append(f"<h2>{t['qrate']}</h2><img alt='{t['qrate']}' src='{plots.rates(scored, q_rates, 'pass rate (%)')}'>")
    per_check: dict[str, list[bool]] = defaultdict(list)
    mistakes: dict[str, list[str]] = defaultdict(list)
    for r in graded:
        for rec in r["records"]:
            if rec["hidden"]:
                per_check[f"{rec['question']}: {rec['check']}"].append(rec["passed"])
            if rec["mistake"] and rec["hidden"]:
                mistakes[rec["mistake"]].append(r["submission"])
    table = [f"<table><tr><th>{t['question']}: {t['check']}</th><th>{t['rate']}</th></tr>"]
    for check, passed in per_check.items():
        table.append(f"<tr><td class='code'>{e(check)}</td><td>{100 * sum(passed) / len(passed):.0f}%</td></tr>")
    parts.append("".join(table) + "</table>")
    counts = Counter({m: len(set(subs)) for m, subs in mistakes.items()})
    parts.append(f"<h2>{t['mistakes']}</h2>")
    if counts:
        table = [f"<table><tr><th>{t['mistake']}</th><th>#</th><th>{t['who']}</th></tr>"]
        for m, c in counts.most_common():
            who = ", ".join(sorted(set(mistakes[m])))
            table.append(f"<tr><td class='code'>{e(m)}</td><td>{c}</td><td>{e(who)}</td></tr>")
        parts.append("".join(table) + "</table>")
    else:
        parts.append(f"<p>{t['none']}</p>")
    points = [p for p in map(_loop_point, graded) if p]
    ends = loop_ends(results)
    shown = {k: "({:.4f}, {:.4f})".format(*v) for k, v in ends.items()}
    labels = {k: v.format(**{q: "({:.2f}, {:.2f})".format(*e) for q, e in ends.items()}) if "{" in v else v
              for k, v in PLOT_LABELS.items()}
    parts.append(f"<h2>{t['loop']}</h2><img alt='{t['loop']}' src='{plots.loop_weights(points, ends, labels)}'>")
    if len(ends) == 2:
        parts.append(f"<p class='note'>{t['loop_note'].format(**shown)}</p>")
    trouble = [r for r in results if r["status"] != "graded"
               or any(rec["mistake"] == "hard_coded" for rec in r["records"])]
    parts.append(f"<h2>{t['trouble']}</h2>")
    if trouble:
        table = [f"<table><tr><th>{t['who']}</th><th>{t['status']}</th><th>{t['reason']}</th></tr>"]
        for r in trouble:
            reason = r.get("reason") or ("hard_coded" if r["status"] == "graded" else "")
            table.append(f"<tr><td>{e(r['submission'])}</td><td>{e(r['status'])}</td><td>{e(reason)}</td></tr>")
        parts.append("".join(table) + "</table>")
    else:
        parts.append(f"<p>{t['none']}</p>")
    return _page(t["summary"], lang, "".join(parts))


def canvas_csv(results: list[dict], assignment: str = "hw04") -> str:
    """Canvas gradebook import: its identity columns and one assignment column, one row per student
    (a student with several submissions gets the best one)."""
    best: dict[str, dict] = {}
    for r in results:
        who = r.get("student_id") or r.get("student") or r["submission"]
        if who not in best or r["score"] > best[who]["score"]:
            best[who] = r
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", assignment])
    w.writerow(["Points Possible", "", "", "", "", max((r["max_score"] for r in results), default=0)])
    for who, r in sorted(best.items()):
        canvas_id = r.get("student_id", "") if r.get("student_id", "").isdigit() else ""
        sis = r.get("student_id", "") if not canvas_id else ""
        w.writerow([r.get("student") or r["submission"], canvas_id, sis, "", "", r["score"]])
    return buf.getvalue()


def write_reports(out: Path, lang: str = "ko", reveal: str = "hints") -> dict[str, Any]:
    results = load_results(out)
    if not results:
        raise FileNotFoundError(f"no results in {out / 'results'}: run `python -m autograder grade ... --out {out}` first")
    feedback = out / "feedback"
    for r in results:
        write_atomic(feedback / f"{r['submission']}.html", feedback_html(r, lang, reveal))
        write_atomic(feedback / f"{r['submission']}.md", feedback_md(r, lang, reveal))
    write_atomic(out / "summary.html", summary_html(results, lang))
    write_atomic(out / "canvas.csv", canvas_csv(results))
    return {"summary": out / "summary.html", "feedback": feedback, "canvas": out / "canvas.csv", "count": len(results)}
