"""The plain-mode answer syntax, written once: `?` in a session, `--help` and the README use it."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from immunoquiz.banks.model import ClozeItem, Item, MultipleItem

WIDTH = 78

# (item type, what the learner sees it called, how to answer, example)
SYNTAX: tuple[tuple[str, str, str, str], ...] = (
    ("single", "single choice", "one option number", "2"),
    (
        "multiple",
        "select all that apply / select N",
        "the numbers of every option you choose, separated by commas or spaces",
        "1,3  or  1 3",
    ),
    ("true_false", "true or false", "t, f, true or false", "t"),
    (
        "cloze",
        "fill in the blanks",
        "one line per blank, in order; for a blank with choices, the choice's letter "
        "or its text; a single - leaves a blank empty",
        "pembrolizumab",
    ),
    (
        "order",
        "put in order",
        "every number once, in your order, first to last",
        "3 1 2 4",
    ),
    (
        "match",
        "match rows to columns",
        "a row number and a column letter for every row, or one column letter per row in row order",
        "1a 2c 3b  or  a c b",
    ),
    (
        "bowtie",
        "bow-tie",
        "1 condition, 2 actions and 2 parameters, by their labels, on one line; or three "
        "lines of numbers: the condition, then the actions, then the parameters",
        "c1 a2 a4 p1 p3",
    ),
    (
        "case",
        "case study",
        "one answer per part, each in the syntax of that part's type",
        "(see the part)",
    ),
)

COMMANDS: tuple[tuple[str, str], ...] = (
    ("?", "show this help"),
    ("q", "quit; every answer so far is saved (end of input does the same)"),
    ("u", "undo your last answer and answer that question again"),
    ("e", "mark your last answer as easy (study mode, full credit only): it comes back later"),
    ("h", "mark your last answer as hard, you were unsure (study mode, full credit only)"),
    ("o", "override: count your last typed answer as right (study mode, after a typed miss)"),
)

_BY_TYPE = {t: (label, how, example) for t, label, how, example in SYNTAX}


NOTES: tuple[str, ...] = (
    "In a fill-in blank, single letters are answers: type undo, easy, hard and override in",
    "full there, and a backslash first to answer with q itself (\\q).",
    "Typed blanks ignore letter case, spaces, hyphens, dashes and curly quotes, and a",
    "number may carry a percent sign or word: 66, 66 %, 66 percent.",
    "Every answer is saved before its feedback is shown.",
)


def help_text(commands: Sequence[tuple[str, str]] = COMMANDS, notes: Sequence[str] = NOTES) -> str:
    """The full syntax, as plain text (no markup, no ANSI).

    `commands` and `notes` are the prompt's own (the exam has other commands than study).
    """
    lines = [
        "Answer syntax (plain mode). Each question is printed as numbered text; type your",
        "answer and press Enter. A malformed answer is explained and asked again.",
        "",
    ]
    for _type, label, how, example in SYNTAX:
        lines += textwrap.wrap(
            f"{label}: {how}.", WIDTH, initial_indent="  ", subsequent_indent="      "
        )
        lines.append(f"      example: {example}")
    lines += ["", "Commands, typed alone at any answer prompt:"]
    for key, what in commands:
        lines += textwrap.wrap(
            f"{key}  {what}", WIDTH, initial_indent="  ", subsequent_indent="     "
        )
    lines += ["", *notes]
    return "\n".join(lines)


def type_label(item: Item) -> str:
    if isinstance(item, MultipleItem):
        return f"select {item.choose}" if item.choose else "select all that apply"
    return _BY_TYPE.get(item.type, (item.type, "", ""))[0]


def hint(item: Item) -> str:
    """The one-line reminder printed under a question."""
    if isinstance(item, MultipleItem) and item.choose:
        return f"Answer: up to {item.choose} option numbers, e.g. 1 3."
    if isinstance(item, ClozeItem):
        n = len(item.blanks)
        lines = "1 line" if n == 1 else f"{n} lines, one per blank, in order"
        return f"Answer: {lines}; a blank with choices takes the choice's letter or its text."
    _label, how, example = _BY_TYPE.get(item.type, ("", "", ""))
    return f"Answer: {how}, e.g. {example}." if how else ""
