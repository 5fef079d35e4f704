"""Bank text on screen: always literal, never markup.

Textual parses `[...]` and `$var` in plain strings handed to most widgets;
`escape()` does not cover uppercase tags or variables in Textual 8. Everything
that came from a bank or a learner goes through `lit()` (a `Content` built from
the plain string), and our own styling is added as spans around it.
"""

from __future__ import annotations

from textual.content import Content

from immunoquiz.banks.model import (
    BowtieItem,
    CaseItem,
    ClozeItem,
    Item,
    MatchItem,
    MultipleItem,
    OrderItem,
    SingleItem,
    TrueFalseItem,
)

# the shared number and plural helpers, named here for the screens' use
from immunoquiz.basics import num as num
from immunoquiz.basics import plural as plural
from immunoquiz.study.filters import Filters

KEY_LABELS = "123456789abcdefghijklmnopqrstuvwxyz"


def lit(text: str, style: str = "") -> Content:
    """`text` exactly as typed, optionally styled as a whole."""
    content = Content(text)
    return content.stylize(style) if style else content


def join(*parts: str | Content | tuple[str, str]) -> Content:
    """Assemble literal pieces; a `(text, style)` tuple styles its (literal) text."""
    return Content.assemble(*parts)


def type_label(item: Item) -> str:
    """What the learner is asked to do, in the words of the NCLEX item types."""
    if isinstance(item, SingleItem):
        return "Choose one answer"
    if isinstance(item, MultipleItem):
        return f"Select {item.choose}" if item.choose else "Select all that apply"
    if isinstance(item, TrueFalseItem):
        return "True or false?"
    if isinstance(item, ClozeItem):
        if all(b.choices for b in item.blanks):
            return "Complete the sentence"
        return "Fill in the blanks"
    if isinstance(item, OrderItem):
        return "Put in order"
    if isinstance(item, MatchItem):
        return "Match each row to one column"
    if isinstance(item, BowtieItem):
        return "Bow-tie"
    if isinstance(item, CaseItem):
        return f"Case study · {len(item.parts)} parts"
    return item.type


# Item types as the practice picker names them (bank-format names in ITEM_TYPES order).
TYPE_NAMES = {
    "single": "Single answer",
    "multiple": "Select all / N",
    "true_false": "True or false",
    "cloze": "Fill in the blanks",
    "order": "Put in order",
    "match": "Match (matrix)",
    "bowtie": "Bow-tie",
    "case": "Case study",
}


MARK_LABELS = {"misses": "Recent misses", "flagged": "Flagged"}


def narrowing_label(filters: Filters) -> list[str]:
    """The search, marks and item types of `filters`, as a session title names them."""
    parts = [f"“{filters.search}”"] if filters.search else []
    parts += [MARK_LABELS.get(m, m) for m in sorted(filters.marks)]
    parts += [TYPE_NAMES.get(t, t) for t in sorted(filters.types)]
    return parts


def human(slug: str | None) -> str:
    """`analyze-cues` -> `Analyze cues` (topics, steps and levels are slugs)."""
    if not slug:
        return ""
    text = slug.replace("-", " ").replace("_", " ")
    special = {"tnbc": "TNBC", "ici": "ICI"}
    return special.get(text, text[:1].upper() + text[1:])


def bar(fraction: float, width: int) -> tuple[str, str]:
    """A horizontal bar as (filled, empty) strings, eighth-cell precise."""
    fraction = min(1.0, max(0.0, fraction))
    eighths = round(fraction * width * 8)
    full, rest = divmod(eighths, 8)
    partial = " ▏▎▍▌▋▊▉"[rest] if rest else ""
    filled = "█" * full + partial
    return filled, " " * (width - len(filled))


def key_label(position: int) -> str:
    return KEY_LABELS[position] if position < len(KEY_LABELS) else " "
