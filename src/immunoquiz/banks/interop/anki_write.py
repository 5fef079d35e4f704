"""A bank -> an Anki deck (.apkg) built with genanki: one note per item.

Front: the question and its options; back: the key, the reason per option, the
explanation and the sources. Note GUIDs come from the stable card id `bank.id/item.id`,
so importing a re-export updates the notes instead of duplicating them.
"""

from __future__ import annotations

import hashlib
from html import escape

import genanki

from immunoquiz.banks.model import (
    Bank,
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

_CSS = """.card { font-family: sans-serif; font-size: 18px; text-align: left; }
.why { color: #555; } .right { color: #0a6b2c; font-weight: bold; }
.sources { font-size: 14px; color: #555; }"""


def _stable_id(text: str) -> int:
    """An Anki model/deck id that never changes for the same text."""
    return (1 << 30) + int(hashlib.sha256(text.encode()).hexdigest(), 16) % (1 << 30)


MODEL = genanki.Model(
    _stable_id("immunoquiz note v1"),
    "immunoquiz question",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "CardId"}],
    templates=[
        {
            "name": "Card 1",
            "qfmt": "{{Front}}",
            "afmt": '{{FrontSide}}<hr id="answer">{{Back}}',
        }
    ],
    css=_CSS,
    sort_field_index=2,
)


def write_apkg(bank: Bank, path: str, *, timestamp: float | None = None) -> int:
    """Write the deck to `path`; returns the number of notes.

    Anki updates a note on import only when its modification time differs, which genanki
    takes from `timestamp` (default: now).
    """
    deck = genanki.Deck(_stable_id(f"deck {bank.id}"), f"immunoquiz::{bank.title}")
    for item in bank.questions:
        card_id = bank.card_id(item)
        note = genanki.Note(
            model=MODEL,
            fields=[_front(item), _back(bank, item), escape(card_id)],
            tags=_tags(bank, item),
            guid=genanki.guid_for(card_id),
        )
        deck.add_note(note)
    genanki.Package(deck).write_to_file(path, timestamp=timestamp)
    return len(deck.notes)


def _tags(bank: Bank, item: Item) -> list[str]:
    tags = [bank.topic, f"level::{item.level}"]
    if item.step:
        tags.append(f"step::{item.step}")
    tags += item.tags
    return list(dict.fromkeys(tags))


def _p(text: str) -> str:
    return "<p>" + escape(text).replace("\n", "<br>") + "</p>"


def _list(texts: list[str], ordered: bool = True) -> str:
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{escape(t)}</li>" for t in texts) + f"</{tag}>"


def _front(item: Item) -> str:
    if isinstance(item, CaseItem):
        parts = [_p(item.vignette)]
        for number, part in enumerate(item.parts, 1):
            update = _p(part.update) if part.update else ""
            parts.append(f"{update}<p><b>Part {number}</b></p>{_front(part)}")
        return "".join(parts)
    if isinstance(item, SingleItem | MultipleItem):
        hint = "" if isinstance(item, SingleItem) else "<p><i>Select all that apply.</i></p>"
        return _p(item.prompt) + hint + _list([o.text for o in item.options])
    if isinstance(item, TrueFalseItem):
        return _p(item.statement) + "<p><i>True or false?</i></p>"
    if isinstance(item, ClozeItem):
        front = _p(item.stem)
        if any(b.choices for b in item.blanks):
            front += "".join(
                f"<p>Blank {n}: {escape(' / '.join(b.choices or ()))}</p>"
                for n, b in enumerate(item.blanks, 1)
            )
        return front
    if isinstance(item, OrderItem):
        return _p(item.prompt) + "<p><i>Put in order:</i></p>" + _list(sorted(item.items), False)
    if isinstance(item, MatchItem):
        return (
            _p(item.prompt)
            + _list(list(item.rows), False)
            + _p("Choose from: " + ", ".join(item.columns))
        )
    if isinstance(item, BowtieItem):
        groups = zip(
            ("Condition (1)", "Actions (2)", "Parameters (2)"), _bowtie_lists(item), strict=True
        )
        return _p(item.prompt) + "".join(
            f"<p><b>{escape(name)}</b></p>" + _list([o.text for o in options])
            for name, options in groups
        )
    return _p(item.stem)


def _bowtie_lists(item: BowtieItem) -> tuple[tuple[Option, ...], ...]:
    return (item.conditions, item.actions, item.parameters)


def _options_back(options: tuple[Option, ...]) -> str:
    rows = []
    for o in options:
        mark = '<span class="right">✓ </span>' if o.correct else "✗ "
        why = f' <span class="why">{escape(o.why)}</span>' if o.why else ""
        rows.append(f"<li>{mark}{escape(o.text)}{why}</li>")
    return "<ul>" + "".join(rows) + "</ul>"


def _key(item: Item) -> str:
    if isinstance(item, CaseItem):
        return "".join(
            f"<p><b>Part {n}</b></p>{_key(part)}{_p(part.explanation)}"
            for n, part in enumerate(item.parts, 1)
        )
    if isinstance(item, SingleItem | MultipleItem):
        return _options_back(item.options)
    if isinstance(item, TrueFalseItem):
        return f'<p class="right">{"True" if item.answer else "False"}</p>'
    if isinstance(item, ClozeItem):
        return _list([" or ".join(b.answers) for b in item.blanks])
    if isinstance(item, OrderItem):
        return _list(list(item.items))
    if isinstance(item, MatchItem):
        return _list([f"{row} → {column}" for row, column in item.answer_map.items()], False)
    if isinstance(item, BowtieItem):
        return "".join(_options_back(options) for options in _bowtie_lists(item))
    return ""


def _back(bank: Bank, item: Item) -> str:
    keys = list(item.sources)
    if isinstance(item, CaseItem):
        keys += [k for part in item.parts for k in part.sources]
    known = bank.source_map
    cited = [known[k] for k in dict.fromkeys(keys) if k in known]
    sources = ""
    if cited:
        sources = (
            '<div class="sources"><p>Sources:</p>'
            + _list([s.cite + (f" {s.url}" if s.url else "") for s in cited], False)
            + "</div>"
        )
    return _key(item) + _p(item.explanation) + sources
