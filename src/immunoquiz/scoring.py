"""Response + item -> Score, by the rules of docs/bank-format.md (NCSBN rules for NGN items).

Pure functions, no I/O. `validate_response` says in plain English why a response
cannot be scored (an over-pick, a bow-tie with the wrong number of picks, a
response of the wrong shape); `score` refuses such a response with ValueError
rather than guessing what the learner meant.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from immunoquiz.banks.model import (
    Blank,
    BowtieItem,
    CaseItem,
    ClozeItem,
    Item,
    MatchItem,
    MultipleItem,
    Option,
    OrderItem,
    SingleItem,
    TrueFalseItem,
)
from immunoquiz.records import dataclass
from immunoquiz.responses import (
    BowtieResponse,
    CaseResponse,
    ClozeResponse,
    MatchResponse,
    MultipleResponse,
    OrderResponse,
    Response,
    Score,
    SingleResponse,
    TrueFalseResponse,
)

# Human labels of the rules, shown beside a score ("2/3, +/- scoring").
RULE_CORRECT = "correct/incorrect"
RULE_PLUS_MINUS = "+/- scoring"
RULE_ZERO_ONE = "1 point per correct pick"
RULE_ALL_OR_NOTHING = "all or nothing"
RULE_PAIRS = "pairs in order"
RULE_ROWS = "1 point per row"
RULE_BLANKS = "1 point per blank"
RULE_BOWTIE = "1 point per pick (max 5)"
RULE_CASE = "sum of parts"

_EXPECTED: dict[type[Item], type[Response]] = {
    SingleItem: SingleResponse,
    MultipleItem: MultipleResponse,
    TrueFalseItem: TrueFalseResponse,
    ClozeItem: ClozeResponse,
    OrderItem: OrderResponse,
    MatchItem: MatchResponse,
    BowtieItem: BowtieResponse,
    CaseItem: CaseResponse,
}


# --- cloze matching -------------------------------------------------------------


# Typed answers are compared as a trainee would expect a teacher to mark them: letter
# case, spaces, hyphens, Unicode dashes and curly quotes never make an answer wrong.
_DASHES = dict.fromkeys(map(ord, "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"))
_QUOTES = str.maketrans("\u2018\u2019\u201a\u201b\u2032\u201c\u201d\u201e\u2033", "'''''\"\"\"\"")
# A number optionally followed by a percent sign or unit word: "66", "66 %", "66 percent".
_NUMBER = re.compile(r"^([+-]?\d+(?:[.,]\d+)?)\s*(%|percent|per cent|pc)?$")


def normalise_blank(text: str) -> str:
    """Casefold, drop whitespace (any Unicode space), hyphens and dashes; straighten quotes.

    NFC first, so the same letter typed precomposed or with a combining accent matches.
    "HER 2", "her-2" and "HER2" all become "her2".
    """
    folded = unicodedata.normalize("NFC", text).casefold().translate(_QUOTES)
    return "".join(folded.translate(_DASHES).split()).strip(".")


def _number(text: str) -> float | None:
    match = _NUMBER.match(" ".join(unicodedata.normalize("NFC", text).casefold().split()))
    return float(match.group(1).replace(",", ".")) if match else None


def blank_correct(blank: Blank, text: str) -> bool:
    """True if `text` matches any accepted answer of the blank (drop-down or typed).

    A numeric answer also matches the same number with or without a unit word.
    """
    typed = normalise_blank(text)
    if not typed:
        return False
    if any(typed == normalise_blank(a) for a in blank.answers):
        return True
    if blank.choices:
        return False
    value = _number(text)
    return value is not None and any(value == _number(a) for a in blank.answers)


# --- validation -----------------------------------------------------------------


def validate_response(item: Item, response: Response) -> str | None:
    """A plain-English reason `response` cannot be scored for `item`, or None if it can."""
    expected = _EXPECTED.get(type(item))
    if expected is None:
        return f"cannot score an item of type {item.type or type(item).__name__!r}"
    if not isinstance(response, expected):
        kind = item.type.replace("_", "/")
        return f"this is a {kind} question: expected a {kind} answer"
    check: Callable[[Any, Any], str | None] = _VALIDATORS[type(item)]
    return check(item, response)


def _bad_indices(chosen: frozenset[int], n: int, what: str) -> str | None:
    bad = sorted(i for i in chosen if not 0 <= i < n)
    # Counted from 1 in the message, as a learner counts.
    return f"there is no {what} {bad[0] + 1} (there are {n})" if bad else None


def _check_single(item: SingleItem, r: SingleResponse) -> str | None:
    return _bad_indices(frozenset({r.choice}), len(item.options), "option")


def _check_multiple(item: MultipleItem, r: MultipleResponse) -> str | None:
    if bad := _bad_indices(r.choices, len(item.options), "option"):
        return bad
    if item.choose is not None and len(r.choices) > item.choose:
        return f"choose no more than {_count(item.choose, 'option')} ({len(r.choices)} chosen)"
    return None


def _check_true_false(item: TrueFalseItem, r: TrueFalseResponse) -> str | None:
    return None if isinstance(r.value, bool) else "answer true or false"


def _check_cloze(item: ClozeItem, r: ClozeResponse) -> str | None:
    if len(r.blanks) != len(item.blanks):
        return f"expected {_count(len(item.blanks), 'blank')}, got {len(r.blanks)}"
    return None


def _check_order(item: OrderItem, r: OrderResponse) -> str | None:
    n = len(item.items)
    if sorted(r.order) != list(range(n)):
        return f"put all {n} entries in order, each exactly once"
    return None


def _check_match(item: MatchItem, r: MatchResponse) -> str | None:
    if len(r.picks) != len(item.rows):
        return f"expected an answer slot for each of the {len(item.rows)} rows, got {len(r.picks)}"
    picked = frozenset(p for p in r.picks if p is not None)
    return _bad_indices(picked, len(item.columns), "column")


def _check_bowtie(item: BowtieItem, r: BowtieResponse) -> str | None:
    for name, want in item.PICKS:
        chosen: frozenset[int] = getattr(r, name)
        if bad := _bad_indices(chosen, len(getattr(item, name)), name[:-1]):
            return bad
        if len(chosen) != want:
            return f"pick exactly {_count(want, name[:-1])} ({len(chosen)} picked)"
    return None


def _check_case(item: CaseItem, r: CaseResponse) -> str | None:
    if len(r.parts) != len(item.parts):
        return f"expected answers to {_count(len(item.parts), 'part')}, got {len(r.parts)}"
    for n, (part, answer) in enumerate(zip(item.parts, r.parts, strict=True), start=1):
        if reason := validate_response(part, answer):
            return f"part {n} ({part.id}): {reason}"
    return None


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


_VALIDATORS: dict[type[Item], Callable[[Any, Any], str | None]] = {
    SingleItem: _check_single,
    MultipleItem: _check_multiple,
    TrueFalseItem: _check_true_false,
    ClozeItem: _check_cloze,
    OrderItem: _check_order,
    MatchItem: _check_match,
    BowtieItem: _check_bowtie,
    CaseItem: _check_case,
}


# --- scoring --------------------------------------------------------------------


def score(item: Item, response: Response) -> Score:
    """Score a response; raises ValueError (with the reason) if it is not valid."""
    if reason := validate_response(item, response):
        raise ValueError(reason)
    return _SCORERS[type(item)](item, response)


def max_points(item: Item) -> float:
    """What an item is worth at most: the Score.max any valid response would carry."""
    if isinstance(item, CaseItem):
        return sum(max_points(p) for p in item.parts)
    if isinstance(item, MultipleItem):
        if item.choose:
            return float(item.choose)
        return 1.0 if item.scoring == "all_or_nothing" else float(len(item.correct_indices))
    if isinstance(item, BowtieItem):
        return 5.0
    if isinstance(item, ClozeItem):
        return float(len(item.blanks))
    if isinstance(item, MatchItem):
        return float(len(item.rows))
    return 1.0


def part_scores(item: CaseItem, response: CaseResponse) -> tuple[Score, ...]:
    """The score of each part of a case, in part order (for the case feedback screen)."""
    if reason := validate_response(item, response):
        raise ValueError(reason)
    return tuple(score(p, r) for p, r in zip(item.parts, response.parts, strict=True))


def _score_single(item: SingleItem, r: SingleResponse) -> Score:
    return Score(float(r.choice == item.correct_index), 1.0, RULE_CORRECT)


def _score_true_false(item: TrueFalseItem, r: TrueFalseResponse) -> Score:
    return Score(float(r.value == item.answer), 1.0, RULE_CORRECT)


def _score_multiple(item: MultipleItem, r: MultipleResponse) -> Score:
    correct = item.correct_indices
    hits = len(r.choices & correct)
    # Select-N is always zero_one, whatever `scoring` says (the loader forces it too).
    if item.choose is not None:
        return Score(float(hits), float(item.choose), RULE_ZERO_ONE)
    if item.scoring == "zero_one":
        return Score(float(hits), float(len(correct)), RULE_ZERO_ONE)
    if item.scoring == "all_or_nothing":
        return Score(float(r.choices == correct), 1.0, RULE_ALL_OR_NOTHING)
    if item.scoring == "plus_minus":
        wrong = len(r.choices - correct)
        return Score(float(max(0, hits - wrong)), float(len(correct)), RULE_PLUS_MINUS)
    raise ValueError(f"unknown scoring rule {item.scoring!r}")


def _score_cloze(item: ClozeItem, r: ClozeResponse) -> Score:
    right = sum(blank_correct(b, t) for b, t in zip(item.blanks, r.blanks, strict=True))
    return Score(float(right), float(len(item.blanks)), RULE_BLANKS)


def _score_order(item: OrderItem, r: OrderResponse) -> Score:
    if item.scoring == "all_or_nothing":
        return Score(float(list(r.order) == list(range(len(item.items)))), 1.0, RULE_ALL_OR_NOTHING)
    if item.scoring == "pairs":
        # position[k] = where the learner put the entry that belongs at place k.
        position = {entry: place for place, entry in enumerate(r.order)}
        n = len(item.items)
        pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
        kept = sum(position[a] < position[b] for a, b in pairs)
        return Score(kept / len(pairs), 1.0, RULE_PAIRS)
    raise ValueError(f"unknown scoring rule {item.scoring!r}")


def _score_match(item: MatchItem, r: MatchResponse) -> Score:
    right = sum(p == a for p, a in zip(r.picks, item.answer, strict=True))
    return Score(float(right), float(len(item.rows)), RULE_ROWS)


def _score_bowtie(item: BowtieItem, r: BowtieResponse) -> Score:
    points = 0
    for name, _ in item.PICKS:
        options: tuple[Option, ...] = getattr(item, name)
        points += sum(options[i].correct for i in getattr(r, name))
    return Score(float(points), float(sum(n for _, n in item.PICKS)), RULE_BOWTIE)


def _score_case(item: CaseItem, r: CaseResponse) -> Score:
    parts = [score(p, a) for p, a in zip(item.parts, r.parts, strict=True)]
    return Score(sum(s.points for s in parts), sum(s.max for s in parts), RULE_CASE)


_SCORERS: dict[type[Item], Callable[[Any, Any], Score]] = {
    SingleItem: _score_single,
    MultipleItem: _score_multiple,
    TrueFalseItem: _score_true_false,
    ClozeItem: _score_cloze,
    OrderItem: _score_order,
    MatchItem: _score_match,
    BowtieItem: _score_bowtie,
    CaseItem: _score_case,
}


# --- per-option feedback ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OptionVerdict:
    """One option of a choice item after answering: was it chosen, is it correct?

    `group` is "options" for single/multiple items and "conditions", "actions" or
    "parameters" for a bow-tie; `index` is the option's place in the bank's order.
    """

    group: str
    index: int
    option: Option
    chosen: bool
    correct: bool

    @property
    def verdict(self) -> str:
        """One word for the screen: right, wrong, missed, or "" (not chosen, not correct)."""
        if self.chosen:
            return "right" if self.correct else "wrong"
        return "missed" if self.correct else ""


def option_feedback(item: Item, response: Response) -> tuple[OptionVerdict, ...]:
    """Per-option (chosen, correct) for single, multiple and bow-tie items, in bank order.

    Other item types have no options and give (). An invalid response raises ValueError.
    """
    if reason := validate_response(item, response):
        raise ValueError(reason)
    groups: list[tuple[str, tuple[Option, ...], frozenset[int]]] = []
    if isinstance(item, SingleItem) and isinstance(response, SingleResponse):
        groups.append(("options", item.options, frozenset({response.choice})))
    elif isinstance(item, MultipleItem) and isinstance(response, MultipleResponse):
        groups.append(("options", item.options, response.choices))
    elif isinstance(item, BowtieItem) and isinstance(response, BowtieResponse):
        groups.extend(
            (name, getattr(item, name), getattr(response, name)) for name, _ in item.PICKS
        )
    return tuple(
        OptionVerdict(group, i, option, i in chosen, option.correct)
        for group, options, chosen in groups
        for i, option in enumerate(options)
    )


# The name the engine contract uses for the same helper.
option_verdicts = option_feedback
