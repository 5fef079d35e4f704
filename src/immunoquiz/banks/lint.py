"""Content lint for `validate --strict`: valid banks that a careful author would still fix.

Warnings (which fail `--strict`) and notes (which never fail); the loader has already
refused everything the format forbids.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from immunoquiz.banks.model import (
    Bank,
    BowtieItem,
    CaseItem,
    Item,
    MultipleItem,
    Option,
    SingleItem,
)
from immunoquiz.banks.problems import Problem, Severity, show

# Test-wise cue: a key "clearly the longest" is more than this many times the next option.
LONGEST_RATIO = 1.2
# A bank fails --strict when more single-answer items than this carry the cue
# (a quarter is chance with four options; items need three options to count).
LONGEST_MAX_SHARE = 0.35

# What `immunoquiz import` writes where the source had no explanation: valid, so the
# bank loads, but flagged here until an author writes the real rationale.
MISSING_EXPLANATION = (
    "No explanation was imported for this question: write the rationale a learner "
    "should read after answering."
)


def lint(banks: Iterable[Bank]) -> list[Problem]:
    """Warnings and notes about sources, per-option feedback, test-wise cues and repeats."""
    banks = list(banks)
    out: list[Problem] = []
    for bank in banks:
        out += _sources(bank)
        out += _feedback(bank)
        out += _tick_all(bank)
        out += _unwritten(bank)
        out += _longest_key(bank)
    out += _repeats(banks)
    return sorted(out)


def _warn(bank: Bank, line: int, col: int, message: str, severity: Severity = "warning") -> Problem:
    return Problem(bank.path, line or 1, col or 1, message, severity)


def _with_parts(item: Item) -> Iterator[Item]:
    yield item
    if isinstance(item, CaseItem):
        yield from item.parts


def _sources(bank: Bank) -> Iterator[Problem]:
    cited: set[str] = set()
    for item in bank.questions:
        keys = {k for i in _with_parts(item) for k in i.sources}
        cited |= keys
        if not keys:
            what = "case" if isinstance(item, CaseItem) else "item"
            yield _warn(
                bank,
                item.line,
                item.col,
                f"{what} '{item.id}' cites no source: add 'sources:' with the "
                "keys of the bank's sources it rests on",
            )
    for source in bank.sources:
        if source.key not in cited:
            yield _warn(
                bank,
                source.line,
                source.col,
                f"source '{source.key}' is cited by no item: cite it or remove it",
            )


def _feedback(bank: Bank) -> Iterator[Problem]:
    for top in bank.questions:
        for item in _with_parts(top):
            lists: tuple[tuple[Option, ...], ...]
            if isinstance(item, SingleItem | MultipleItem):
                lists = (item.options,)
            elif isinstance(item, BowtieItem):
                lists = (item.conditions, item.actions, item.parameters)
            else:
                continue
            for options in lists:
                for o in options:
                    if not o.correct and o.why is None:
                        text = show(" ".join(o.text.split()), 40)
                        yield _warn(
                            bank,
                            o.line,
                            o.col,
                            f"wrong option {text} in '{item.id}' has no 'why': "
                            "tell the learner who picks it why it is wrong",
                        )


def _tick_all(bank: Bank) -> Iterator[Problem]:
    """zero_one without `choose` never deducts: ticking every option earns full marks."""
    for top in bank.questions:
        for item in _with_parts(top):
            if isinstance(item, MultipleItem) and item.scoring == "zero_one" and not item.choose:
                yield _warn(
                    bank,
                    item.line,
                    item.col,
                    f"'{item.id}' scores zero_one without 'choose', so ticking every option "
                    "earns full marks: use plus_minus (the default) or set 'choose'",
                )


def _unwritten(bank: Bank) -> Iterator[Problem]:
    for top in bank.questions:
        for item in _with_parts(top):
            if item.explanation == MISSING_EXPLANATION:
                yield _warn(
                    bank,
                    item.line,
                    item.col,
                    f"'{item.id}' has no explanation yet (none was imported): write one",
                )


def _repeats(banks: list[Bank]) -> Iterator[Problem]:
    """The same question text twice, across all the banks (case and spacing ignored).

    Only whole items are compared: parts of different cases often share a generic
    prompt ("What is the priority action?") on purpose.
    """
    first: dict[str, tuple[Bank, Item]] = {}
    for bank in banks:
        for item in bank.questions:
            key = " ".join(item.stem.split()).casefold()
            if key not in first:
                first[key] = (bank, item)
                continue
            other_bank, other = first[key]
            where = "" if other_bank is bank else f" of {other_bank.path}"
            yield _warn(
                bank,
                item.line,
                item.col,
                f"item '{item.id}' asks the same as '{other.id}' (line "
                f"{other.line}{where}): merge them or make them differ",
            )


def key_clearly_longest(item: SingleItem) -> bool:
    """True when the keyed option is more than LONGEST_RATIO times the longest other one.

    Length counts characters with runs of spaces folded, as a reader sees the text.
    """
    key = sum(len(" ".join(o.text.split())) for o in item.options if o.correct)
    rest = max(len(" ".join(o.text.split())) for o in item.options if not o.correct)
    return key > LONGEST_RATIO * rest


def _longest_key(bank: Bank) -> Iterator[Problem]:
    """A note per single-answer item whose key stands out by length; the bank's share.

    Test-wise learners pick the longest option; with 2 options the cue is meaningless
    next to chance, so only items with 3 or more options count.
    """
    counted = flagged = 0
    for top in bank.questions:
        for item in _with_parts(top):
            if not isinstance(item, SingleItem) or len(item.options) < 3:
                continue
            counted += 1
            if key_clearly_longest(item):
                flagged += 1
                yield _warn(
                    bank,
                    item.line,
                    item.col,
                    f"the key of '{item.id}' is clearly the longest option (over "
                    f"{LONGEST_RATIO:g}x the next): lengthen a distractor or trim the key",
                    "info",
                )
    if not counted:
        return
    share = flagged / counted
    over = share > LONGEST_MAX_SHARE
    yield _warn(
        bank,
        bank.id_line,
        bank.id_col,
        f"the key is clearly the longest option in {flagged} of {counted} single-answer "
        f"items ({share:.0%}); "
        + (
            f"over {LONGEST_MAX_SHARE:.0%}, rewrite options until at most {LONGEST_MAX_SHARE:.0%}"
            if over
            else f"at most {LONGEST_MAX_SHARE:.0%} is allowed"
        ),
        "warning" if over else "info",
    )
