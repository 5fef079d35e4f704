"""Plain-mode answers: one typed line (or a few) -> a Response in bank indices.

Every parser raises AnswerError with a message that says what was wrong and what
to type instead; the session prints it and asks again.
"""

from __future__ import annotations

import re

from immunoquiz.banks.model import Blank, BowtieItem, MatchItem
from immunoquiz.plain.display import BOWTIE_PREFIX, LETTERS, Display

_SEP = re.compile(r"[\s,;]+")


class AnswerError(ValueError):
    """A typed answer that cannot be read; the message is for the learner."""


def tokens(line: str) -> list[str]:
    return [t for t in _SEP.split(line.strip().casefold()) if t]


def _number(token: str, n: int, what: str = "option") -> int:
    """A 1-based number from 1 to n -> 0-based position."""
    token = token.rstrip(".)")
    if not token.isdigit():
        raise AnswerError(f"{token!r} is not a number: type {what} numbers from 1 to {n}.")
    k = int(token)
    if not 1 <= k <= n:
        raise AnswerError(f"there is no {what} {k}: type a number from 1 to {n}.")
    return k - 1


def parse_single(line: str, display: Display) -> int:
    shown = display.shown("options")
    toks = tokens(line)
    if len(toks) != 1:
        raise AnswerError(f"type exactly one option number, from 1 to {len(shown)}.")
    return shown[_number(toks[0], len(shown))]


def parse_multiple(line: str, display: Display) -> frozenset[int]:
    shown = display.shown("options")
    toks = tokens(line)
    if not toks:
        raise AnswerError(f"type the numbers of the options you choose (1 to {len(shown)}).")
    return frozenset(shown[_number(t, len(shown))] for t in toks)


_TRUE = {"t", "true"}
_FALSE = {"f", "false"}


def parse_true_false(line: str) -> bool:
    word = line.strip().casefold()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise AnswerError("type t (true) or f (false).")


def parse_blank(line: str, blank: Blank, shown_choices: tuple[int, ...] | None) -> str:
    """One blank's answer. A choice may be typed out or picked by its letter.

    Letters, not numbers, label choices: choices are often numbers themselves
    ("grade [1, 2, 3]"), and the typed text wins over a label.
    """
    text = line.strip()
    if text.startswith("\\"):
        text = text[1:]  # an escaped command letter: \q means the answer "q"
    elif text == "-":
        return ""
    if not text:
        raise AnswerError("type your answer for this blank, or a single - to leave it empty.")
    if blank.choices and shown_choices is not None:
        folded = " ".join(text.casefold().split())
        for choice in blank.choices:
            if " ".join(choice.casefold().split()) == folded:
                return choice
        labels = LETTERS[: len(shown_choices)]
        label = folded.rstrip(".)")
        if len(label) == 1 and label in labels:
            return blank.choices[shown_choices[labels.index(label)]]
        raise AnswerError(
            f"{text!r} is not one of the choices: type its letter (a to {labels[-1]}) or its text."
        )
    return text


def parse_order(line: str, display: Display) -> tuple[int, ...]:
    shown = display.shown("items")
    n = len(shown)
    toks = tokens(line)
    if len(toks) == 1 and toks[0].isdigit() and len(toks[0]) == n and n <= 9:
        toks = list(toks[0])  # "3124" for a short list
    positions = [_number(t, n, "entry") for t in toks]
    if sorted(positions) != list(range(n)):
        missing = sorted(set(range(n)) - set(positions))
        if missing:
            listed = ", ".join(str(m + 1) for m in missing)
            raise AnswerError(f"use every number from 1 to {n} once; missing: {listed}.")
        raise AnswerError(f"use every number from 1 to {n} exactly once.")
    return tuple(shown[p] for p in positions)


_PAIR = re.compile(r"^(\d+)[.):=-]?([a-z])$")


def parse_match(line: str, item: MatchItem, display: Display) -> tuple[int | None, ...]:
    rows = display.shown("rows")
    n_rows, n_cols = len(rows), len(item.columns)
    letters = LETTERS[:n_cols]
    toks = tokens(line)
    if len(toks) == 1 and toks[0].isalpha() and len(toks[0]) == n_rows:
        toks = list(toks[0])  # "acb"
    if not toks:
        raise AnswerError(f"give a column letter (a to {letters[-1]}) for each row, e.g. 1a 2b.")
    picks: dict[int, int] = {}
    if all(t.isalpha() for t in toks):
        if len(toks) != n_rows:
            raise AnswerError(
                f"{len(toks)} letters for {n_rows} rows: give one column letter per row, "
                "in row order, or pairs such as 1a 2b."
            )
        for row, tok in enumerate(toks):
            picks[row] = _column(tok, letters)
    else:
        for tok in toks:
            m = _PAIR.match(tok)
            if not m:
                raise AnswerError(f"{tok!r}: write a row number then a column letter, e.g. 2c.")
            row = _number(m.group(1), n_rows, "row")
            if row in picks:
                raise AnswerError(f"row {row + 1} is answered twice.")
            picks[row] = _column(m.group(2), letters)
        missing = [str(r + 1) for r in range(n_rows) if r not in picks]
        if missing:
            raise AnswerError(f"every row needs a column; missing row(s): {', '.join(missing)}.")
    out: list[int | None] = [None] * n_rows
    for shown_row, column in picks.items():
        out[rows[shown_row]] = column
    return tuple(out)


def _column(letter: str, letters: str) -> int:
    if len(letter) != 1 or letter not in letters:
        raise AnswerError(f"there is no column {letter!r}: use a letter from a to {letters[-1]}.")
    return letters.index(letter)


_LABEL = re.compile(r"^([cap])(\d+)$")


def parse_bowtie_line(
    line: str, item: BowtieItem, display: Display
) -> dict[str, frozenset[int]] | None:
    """A labelled one-line answer (c1 a2 a4 p1 p3) -> picks per list.

    Returns None for a line of bare numbers: the first of three lines (conditions).
    """
    toks = tokens(line)
    if not toks:
        raise AnswerError("type c1 a2 a4 p1 p3 style labels, or the condition number.")
    if all(t.rstrip(".)").isdigit() for t in toks):
        return None
    by_prefix = {prefix: name for name, prefix in BOWTIE_PREFIX.items()}
    picks: dict[str, set[int]] = {name: set() for name in BOWTIE_PREFIX}
    for tok in toks:
        m = _LABEL.match(tok)
        if not m:
            raise AnswerError(
                f"{tok!r}: label each pick with c (condition), a (action) or p (parameter) "
                "and its number, e.g. c1 a2 a4 p1 p3."
            )
        name = by_prefix[m.group(1)]
        shown = display.shown(name)
        picks[name].add(shown[_number(m.group(2), len(shown), name[:-1])])
    return {name: frozenset(v) for name, v in picks.items()}


def parse_bowtie_group(line: str, name: str, display: Display) -> frozenset[int]:
    """One of the three lines: bare numbers (or labels of that list) for `name`."""
    shown = display.shown(name)
    prefix = BOWTIE_PREFIX[name]
    toks = [t[1:] if t.startswith(prefix) else t for t in tokens(line)]
    if not toks:
        raise AnswerError(f"type the numbers of the {name} you pick.")
    return frozenset(shown[_number(t, len(shown), name[:-1])] for t in toks)
