"""Write what a batch produced: one JSON per submission (atomically, as soon as it is known),
grades.csv (one row per submission) and, on request, otter's final_grades.csv layout.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from autograder.spec.questions import QUESTIONS, total_points

STATUSES = ("graded", "timeout", "memory", "crashed", "invalid")


def write_atomic(path: Path, text: str) -> None:
    """Readers see the old file or the new one, never half of one: even if we are killed mid-write."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
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


def write_result(out: Path, result: dict[str, Any]) -> Path:
    path = out / "results" / f"{result['submission']}.json"
    write_atomic(path, json.dumps(result, ensure_ascii=False, indent=1))
    return path


RECORD_KEYS = {"question": str, "check": str, "points": (int, float), "max_points": (int, float), "passed": bool,
               "hidden": bool, "message": dict}


def validate(result: Any) -> dict[str, Any]:
    """A per-submission result as the grader writes it, or ValueError saying what is wrong: a stale
    file from another version, or a forged one, is refused with a message, never a KeyError later."""
    if not isinstance(result, dict):
        raise ValueError("not an object")
    for key, kind in (("submission", str), ("status", str), ("reason", str), ("score", (int, float)),
                      ("max_score", (int, float)), ("questions", dict), ("records", list)):
        if not isinstance(result.get(key), kind) or isinstance(result.get(key), bool):
            raise ValueError(f"{key!r} is missing or of the wrong type")
    if result["status"] not in STATUSES:
        raise ValueError(f"unknown status {result['status'][:40]!r}")
    if set(result["questions"]) != set(QUESTIONS) or not all(
            isinstance(v, (int, float)) for v in result["questions"].values()):
        raise ValueError("its questions are not this homework's")
    for rec in result["records"]:
        if not isinstance(rec, dict) or any(not isinstance(rec.get(k), t) for k, t in RECORD_KEYS.items()):
            raise ValueError("a malformed check record")
    return result


def load_results(out: Path, refused: list[str] | None = None) -> list[dict[str, Any]]:
    """Every valid result in out/results; what is refused (and why) is appended to `refused`."""
    results = []
    for path in sorted((out / "results").glob("*.json")):
        try:
            results.append(validate(json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError) as e:  # ours are written atomically: anything else is not ours
            if refused is not None:
                refused.append(f"{path.name}: {e}")
    return results


def _csv(rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def write_grades_csv(out: Path, results: list[dict[str, Any]]) -> Path:
    header = ["submission", "student", "status", "score", "max_score", *QUESTIONS]
    rows = [header] + [
        [r["submission"], r.get("student", ""), r["status"], r["score"], r["max_score"],
         *(r.get("questions", {}).get(q, 0) for q in QUESTIONS)]
        for r in sorted(results, key=lambda r: r["submission"])
    ]
    path = out / "grades.csv"
    write_atomic(path, _csv(rows))
    return path


def write_otter_csv(out: Path, results: list[dict[str, Any]]) -> Path:
    """otter grade's final_grades.csv: file, questions (sorted), total, percent, status; first row the maxima."""
    questions = sorted(QUESTIONS)
    rows = [["file", *questions, "total_points_earned", "percent_correct", "grading_status"],
            ["points-per-question", *(QUESTIONS[q].points for q in questions), total_points(), 1, "--"]]
    for r in sorted(results, key=lambda r: r["submission"]):
        percent = round(r["score"] / r["max_score"], 4) if r["max_score"] else 0
        status = "Completed" if r["status"] == "graded" else f"{r['status']}: {r.get('reason', '')}"
        rows.append([r.get("file", r["submission"]), *(r.get("questions", {}).get(q, 0) for q in questions),
                     r["score"], percent, status])
    path = out / "final_grades.csv"
    write_atomic(path, _csv(rows))
    return path
