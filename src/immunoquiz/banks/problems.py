"""Located problems: the one error currency of bank and session loading."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from immunoquiz.terminal import printable

# "info" is a note for the author: never a failure, not even under --strict.
Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with a file, where it is, in plain English.

    `line` and `col` are 1-based as editors show them.
    """

    path: str
    line: int
    col: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = {"error": "", "warning": "warning: ", "info": "note: "}[self.severity]
        # file names and messages quoting file text are data: printed, never run
        return printable(f"{self.path}:{self.line}:{self.col}: {prefix}{self.message}")

    def to_json(self) -> dict[str, object]:
        return asdict(self)


class BankError(Exception):
    """Raised by the loader with every problem found in a file (never just the first)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
