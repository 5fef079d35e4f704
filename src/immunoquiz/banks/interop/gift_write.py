"""A bank -> GIFT that Moodle's qformat_gift (and our reader) read back to the same items.

Escaping is Moodle's own `repchar`; every text is marked `[plain]` (the question text
sets the default for its answers and feedback) because bank text is plain, not HTML.
"""

from __future__ import annotations

import re

from immunoquiz.banks.interop.units import Unit, right_choices, units
from immunoquiz.banks.interop.weights import lossy_notes, multiple_weights, percent
from immunoquiz.banks.model import (
    Bank,
    Blank,
    BowtieItem,
    ClozeItem,
    MatchItem,
    MultipleItem,
    OrderItem,
    SingleItem,
    TrueFalseItem,
)

_RESERVED: tuple[tuple[str, str], ...] = (
    ("\\", "\\\\"),
    ("#", "\\#"),
    ("=", "\\="),
    ("~", "\\~"),
    ("{", "\\{"),
    ("}", "\\}"),
    (":", "\\:"),
    ("\n", "\\n"),
    ("\r", ""),
)

# Moodle's reader stands each escaped character in for one of these while it splits a
# question, then turns every one of them back, so a text that already holds one would come
# back changed; GIFT has no way to write it.
_MOODLE_PLACEHOLDER = re.compile(r"&&(?:0(?:58;|35;|61;|92;|10)|12[356];)")


class NotExported(Exception):
    pass


def write_gift(bank: Bank) -> tuple[str, list[str]]:
    """The GIFT text and one line per item not exported or exported with a loss."""
    out = [f"// Exported by immunoquiz from bank '{bank.id}': {' '.join(bank.title.split())}\n"]
    notes: list[str] = []
    for unit in units(bank):
        try:
            body, lost = _question(unit)
        except NotExported as exc:
            notes.append(f"{unit.id}: not exported to GIFT: {exc}")
            continue
        notes += [f"{unit.id}: {note}" for note in lost]
        tags = "".join(f" [tag:{t}]" for t in unit.tags)
        out.append(f"// [id:{unit.id}]{tags}\n::{unit.id}::{body}\n")
    return "\n".join(out), notes


def escape(text: str) -> str:
    if found := _MOODLE_PLACEHOLDER.search(text):
        raise NotExported(f"'{found[0]}' in its text would be read back by Moodle as a character")
    for char, escaped in _RESERVED:
        text = text.replace(char, escaped)
    return text


def _field(text: str) -> str:
    # A text starting with "[" would be read as a format marker: give it an explicit one.
    return ("[plain]" if text.startswith("[") else "") + escape(text)


def _feedback(why: str | None) -> str:
    return f"#{_field(why)}" if why else ""


def _general(unit: Unit) -> str:
    return f"\t####{_field(unit.feedback)}\n"


def _question(unit: Unit) -> tuple[str, list[str]]:
    item = unit.item
    if isinstance(item, SingleItem):
        lines = [
            f"\t{'=' if o.correct else '~' + ('%0%' if o.text.startswith('%') else '')}"
            f"{_field(o.text)}{_feedback(o.why)}\n"
            for o in item.options
        ]
        return f"[plain]{escape(item.prompt)}{{\n{''.join(lines)}{_general(unit)}}}", []
    if isinstance(item, MultipleItem):
        weights = multiple_weights(item)
        lines = [
            f"\t~%{percent(w)}%{_field(o.text)}{_feedback(o.why)}\n"
            for o, w in zip(item.options, weights, strict=True)
        ]
        return f"[plain]{escape(item.prompt)}{{\n{''.join(lines)}{_general(unit)}}}", lossy_notes(
            item
        )
    if isinstance(item, TrueFalseItem):
        key = "TRUE" if item.answer else "FALSE"
        return f"[plain]{escape(item.statement)}{{{key}####{_field(unit.feedback)}}}", []
    if isinstance(item, ClozeItem):
        return _cloze(item, unit), []
    if isinstance(item, MatchItem):
        return _match(item, unit), []
    if isinstance(item, OrderItem):
        return _order(item)
    if isinstance(item, BowtieItem):
        raise NotExported("GIFT has no bow-tie (use --format moodle-xml)")
    raise NotExported(f"GIFT has no {item.type} question")


def _cloze(item: ClozeItem, unit: Unit) -> str:
    if len(item.blanks) != 1:
        raise NotExported(
            f"it has {len(item.blanks)} blanks and a GIFT question holds one "
            "(use --format moodle-xml)"
        )
    blank = item.blanks[0]
    right = right_choices(blank)
    if all(right):  # a drop-down without a wrong choice is just a typed answer
        blank = Blank(blank.answers)
    if blank.choices is None:
        if any("->" in a for a in blank.answers):
            raise NotExported("an answer holds '->', which Moodle would read as a matching pair")
        answers = " ".join(f"=%100%{_field(a)}" for a in blank.answers)
    else:
        # A drop-down blank is Moodle's missing-word multiple choice.
        answers = " ".join(
            ("=" if is_right else "~%0%") + _field(c)
            for c, is_right in zip(blank.choices, right, strict=True)
        )
    before, after = item.segments
    return f"[plain]{escape(before)}{{{answers}####{_field(unit.feedback)}}}{escape(after)}"


def _match(item: MatchItem, unit: Unit) -> str:
    if any("->" in row for row in item.rows):
        raise NotExported("a row holds '->', which GIFT matching cannot escape")
    used = set(item.answer)
    extra = [c for j, c in enumerate(item.columns) if j not in used]
    if len(item.rows) + len(extra) < 2:
        raise NotExported("Moodle needs at least two pairs in a matching question")
    pairs = [
        f"\t={_field(row)} -> {escape(item.columns[j])}\n"
        for row, j in zip(item.rows, item.answer, strict=True)
    ]
    pairs += [f"\t= -> {escape(column)}\n" for column in extra]
    return f"[plain]{escape(item.prompt)}{{\n{''.join(pairs)}{_general(unit)}}}"


def _order(item: OrderItem) -> tuple[str, list[str]]:
    """The ordering qtype's GIFT syntax; it reads its lines raw and has no general feedback."""
    if "{" in item.prompt or "}" in item.prompt:
        raise NotExported("its prompt holds a brace, which the ordering GIFT syntax cannot take")
    for step in item.items:
        if any(c in step for c in "{}\n") or step.startswith("//") or step.strip() in ("", "0"):
            raise NotExported(
                f"step '{step[:30]}' cannot be written raw in the ordering GIFT syntax "
                "(use --format moodle-xml)"
            )
    grading = (
        "ALL_OR_NOTHING" if item.scoring == "all_or_nothing" else "RELATIVE_ALL_PREVIOUS_AND_NEXT"
    )
    steps = "".join(f"{step.strip()}\n" for step in item.items)
    body = (
        f"[plain]{escape(item.prompt)}{{>{len(item.items)} ALL VERTICAL {grading} SHOW\n{steps}}}"
    )
    return body, [
        "the ordering GIFT syntax has no general feedback: explanation and sources are not exported"
    ]
