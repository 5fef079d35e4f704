"""No answer without a choice: what is missing before an answer may be submitted.

Scoring accepts a partial answer (a select-N with fewer picks scores what it
has); a client must not send one the learner did not mean. Every client asks
`incomplete` before it submits, and the exam attempt refuses what it flags.
"""

from __future__ import annotations

from immunoquiz.banks.model import BowtieItem, CaseItem, ClozeItem, Item, MatchItem, MultipleItem
from immunoquiz.responses import (
    BowtieResponse,
    CaseResponse,
    ClozeResponse,
    MatchResponse,
    MultipleResponse,
    Response,
)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def incomplete(item: Item, response: Response | None) -> str | None:
    """A one-line hint ("Choose 2 options (1 chosen).") or None when the answer is whole."""
    if response is None:
        return "Choose an answer first."
    if isinstance(item, MultipleItem) and isinstance(response, MultipleResponse):
        got = len(response.choices)
        if item.choose is not None and got < item.choose:
            return f"Choose {_count(item.choose, 'option')} ({got} chosen)."
        if not got:
            return "Choose at least one option."
    if isinstance(item, MatchItem) and isinstance(response, MatchResponse):
        empty = sum(1 for p in response.picks if p is None)
        if empty:
            rows = "1 row has" if empty == 1 else f"{empty} rows have"
            return f"Choose a column for every row ({rows} none)."
    if isinstance(item, BowtieItem) and isinstance(response, BowtieResponse):
        for name, want in BowtieItem.PICKS:
            got = len(getattr(response, name))
            if got < want:
                return f"Pick {_count(want, name[:-1])} ({got} picked)."
    if isinstance(item, ClozeItem) and isinstance(response, ClozeResponse):
        for i, (blank, text) in enumerate(zip(item.blanks, response.blanks, strict=False)):
            if blank.choices and not text.strip():
                where = "the blank" if len(item.blanks) == 1 else f"blank {i + 1}"
                return f"Choose a word for {where}."
    if isinstance(item, CaseItem) and isinstance(response, CaseResponse):
        for i, (part, answer) in enumerate(zip(item.parts, response.parts, strict=False)):
            if hint := incomplete(part, answer):
                return f"Part {i + 1}: {hint}"
    return None
