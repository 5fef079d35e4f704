"""Located problems: the one error currency of bank and session loading."""

from __future__ import annotations

import re
from typing import Literal

from immunoquiz.records import asdict, dataclass
from immunoquiz.terminal import printable

# "info" is a note for the author: never a failure, not even under --strict.
Severity = Literal["error", "warning", "info"]

# What `show` escapes so a message stays one honest line on a terminal. Compiled by
# `re` when a message first needs it, not by every command that imports this module.
_UNSHOWABLE = r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"


def show(text: str, limit: int = 60) -> str:
    """Author text quoted for a message: escaped, one line, not too long."""
    text = re.sub(_UNSHOWABLE, lambda m: ascii(m.group())[1:-1], text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


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
