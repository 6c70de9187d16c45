"""One record per check: the single source of what students, Gradescope, CSVs and reports show."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

REVEALS = ("none", "hints", "values")  # how much feedback shows, least first (--reveal, the plugin's "reveal")


def reveals(reveal: str, what: str) -> bool:
    """Whether a reveal setting shows `what`: "hints" (the named mistake and its message) from hints on,
    "values" (the student's value and the expected one) only with values. The one place this rule lives."""
    level = REVEALS.index(reveal) if reveal in REVEALS else REVEALS.index("hints")  # an unknown setting: the default
    return level >= REVEALS.index(what)


@dataclass
class Record:
    question: str
    check: str
    points: float
    max_points: float
    passed: bool
    hidden: bool
    mistake: str | None = None
    message: dict[str, str] = field(default_factory=dict)
    carried_forward: bool = False
    student: Any = None
    expected: Any = None
    # the constant of a scaled MSE this run found (compared with the second run's); not reported
    factor: float | None = field(default=None, repr=False, metadata={"internal": True})

    def to_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self) if not f.metadata.get("internal")}
        out["message"] = dict(self.message)
        return out

    @classmethod
    def from_dict(cls, d: Any) -> "Record":
        """A record as to_dict wrote it (results/*.json), checked; ValueError says what is wrong."""
        if not isinstance(d, dict):
            raise ValueError("a malformed check record")
        for key, kind in (("question", str), ("check", str), ("points", (int, float)), ("max_points", (int, float)),
                          ("passed", bool), ("hidden", bool), ("message", dict)):
            if not isinstance(d.get(key), kind) or (kind is not bool and isinstance(d.get(key), bool)):
                raise ValueError("a malformed check record")
        mistake = d.get("mistake")
        message = {k: v for k, v in d["message"].items() if isinstance(k, str) and isinstance(v, str)}
        return cls(question=d["question"], check=d["check"], points=float(d["points"]), max_points=float(d["max_points"]),
                   passed=d["passed"], hidden=d["hidden"], mistake=mistake if isinstance(mistake, str) else None,
                   message=message, carried_forward=d.get("carried_forward") is True,
                   student=d.get("student"), expected=d.get("expected"))

    def feedback(self, reveal: str = "hints") -> str:
        """What a student reads (grader.check, Gradescope): Korean first, then English.

        reveal: "none" says only passed or failed; "hints" (default) adds the named mistake and its
        message; "values" adds the student's value and the expected one.
        """
        if not reveals(reveal, "hints"):
            return "통과 / passed" if self.passed else "실패 / failed"
        head = f"[{self.mistake}] " if self.mistake else ("[carried forward] " if self.carried_forward else "")
        text = f"{head}{self.message['ko']}\n{head}{self.message['en']}"
        if reveals(reveal, "values") and self.hidden:
            text += f"\n제출한 값 / your value: {self.student}\n기대한 값 / expected: {self.expected}"
        return text
