"""One record per check: the single source of what students, Gradescope, CSVs and reports show."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

PASSED = {"ko": "통과했습니다.", "en": "Passed."}


@dataclass
class Record:
    question: str
    check: str
    points: float
    max_points: float
    passed: bool
    hidden: bool
    mistake: str | None = None
    message: dict[str, str] = field(default_factory=lambda: dict(PASSED))
    student: Any = None
    expected: Any = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def feedback(self) -> str:
        """What a student reads under grader.check: Korean first, then English; no expected value."""
        head = f"[{self.mistake}] " if self.mistake else ""
        return f"{head}{self.message['ko']}\n{head}{self.message['en']}"
