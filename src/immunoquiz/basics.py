"""The small helpers every layer shares, one of each: numbers and plurals for people,
the UTC clock, and the words for how an answer scored."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime


def utc_now() -> datetime:
    """Now, as an aware UTC datetime."""
    # imported here: `validate` needs plural() and no datetime (7 M instructions)
    from datetime import UTC, datetime

    return datetime.now(UTC)


def num(x: float) -> str:
    """A score or count as people write it: 2, 2.5, 2.67; never 2.0, 2.50 or "3."."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def plural(n: int, noun: str, many: str | None = None) -> str:
    """'1 answer', '2 answers'; `many` for an irregular plural ('2 parties')."""
    return f"{n} {noun}" if n == 1 else f"{n} {many or noun + 's'}"


CORRECT, PARTLY_CORRECT, INCORRECT = "Correct", "Partly correct", "Incorrect"

# What an option was, after an answer, keyed by scoring.OptionVerdict.verdict.
OPTION_VERDICT_WORDS = {
    "right": "Your answer, correct",
    "wrong": "Your answer, not correct",
    "missed": "Correct, not chosen",
    "": "Not correct",
}


def verdict_word(points: float, maximum: float) -> str:
    """'Correct' for full marks, 'Partly correct' for some, 'Incorrect' for none."""
    if maximum > 0 and points >= maximum:
        return CORRECT
    return PARTLY_CORRECT if points > 0 else INCORRECT
