"""One record per check: the single source of what students, Gradescope, CSVs and reports show."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

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

    def to_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["message"] = dict(self.message)
        return out

    def feedback(self) -> str:
        """What a student reads under grader.check: Korean first, then English; no expected value."""
        head = f"[{self.mistake}] " if self.mistake else ("[carried forward] " if self.carried_forward else "")
        return f"{head}{self.message['ko']}\n{head}{self.message['en']}"
