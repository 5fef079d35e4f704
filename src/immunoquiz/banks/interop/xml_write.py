"""A bank -> Moodle XML that qformat_xml (and our reader) read back to the same items.

Text is written as HTML (`text_to_html`), cloze items as the multianswer qtype, order
items as the ordering qtype, and a bow-tie as a multianswer with three multi-response
groups under fixed headings, which our reader recognises.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from immunoquiz.banks.interop.mapping import BOWTIE_HEADINGS
from immunoquiz.banks.interop.text import text_to_html
from immunoquiz.banks.interop.units import Unit, right_choices, units
from immunoquiz.banks.interop.weights import lossy_notes, multiple_weights, percent
from immunoquiz.banks.model import (
    Bank,
    BowtieItem,
    ClozeItem,
    MatchItem,
    MultipleItem,
    Option,
    OrderItem,
    SingleItem,
    TrueFalseItem,
)


class NotExported(Exception):
    pass


def write_moodle_xml(bank: Bank) -> tuple[str, list[str]]:
    """The XML text and one line per item not exported or exported with a loss."""
    quiz = ET.Element("quiz")
    quiz.append(ET.Comment(f" Exported by immunoquiz from bank '{bank.id}' "))
    notes: list[str] = []
    for unit in units(bank):
        try:
            question, lost = _question(unit)
        except NotExported as exc:
            notes.append(f"{unit.id}: not exported to Moodle XML: {exc}")
            continue
        notes += [f"{unit.id}: {note}" for note in lost]
        quiz.append(question)
    ET.indent(quiz)
    body = ET.tostring(quiz, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n', notes


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, tag, attrs)
    if text is not None:
        node.text = text
    return node


def _texted(parent: ET.Element, tag: str, text: str, html: bool = True, **attrs: str) -> ET.Element:
    node = _sub(parent, tag, **({"format": "html"} if html else {}), **attrs)
    _sub(node, "text", text_to_html(text) if html else text)
    return node


def _head(unit: Unit, qtype: str, stem_html: str) -> ET.Element:
    q = ET.Element("question", type=qtype)
    _texted(q, "name", unit.id, html=False)
    node = _sub(q, "questiontext", format="html")
    _sub(node, "text", stem_html)
    _texted(q, "generalfeedback", unit.feedback)
    if qtype != "cloze":
        _sub(q, "defaultgrade", "1")
    _sub(q, "penalty", "0.3333333")
    _sub(q, "hidden", "0")
    _sub(q, "idnumber", unit.id)
    return q


def _tags(q: ET.Element, unit: Unit) -> None:
    if unit.tags:
        tags = _sub(q, "tags")
        for tag in unit.tags:
            _texted(tags, "tag", tag, html=False)


def _answer(q: ET.Element, fraction: str, text: str, why: str | None, html: bool = True) -> None:
    node = _texted(q, "answer", text, html=html, fraction=fraction)
    if why:
        _texted(node, "feedback", why)


def _question(unit: Unit) -> tuple[ET.Element, list[str]]:
    item = unit.item
    lost: list[str] = []
    if isinstance(item, SingleItem | MultipleItem):
        q = _head(unit, "multichoice", text_to_html(item.prompt))
        single = isinstance(item, SingleItem)
        _sub(q, "single", "true" if single else "false")
        _sub(q, "shuffleanswers", "true" if item.shuffle else "false")
        _sub(q, "answernumbering", "abc")
        _sub(q, "showstandardinstruction", "0")
        for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
            _texted(q, tag, "")
        if isinstance(item, MultipleItem):
            weights = multiple_weights(item)
            lost = lossy_notes(item)
        else:
            weights = [100.0 if o.correct else 0.0 for o in item.options]
        for option, weight in zip(item.options, weights, strict=True):
            _answer(q, percent(weight), option.text, option.why)
    elif isinstance(item, TrueFalseItem):
        q = _head(unit, "truefalse", text_to_html(item.statement))
        _answer(q, "100" if item.answer else "0", "true", None, html=False)
        _answer(q, "0" if item.answer else "100", "false", None, html=False)
    elif isinstance(item, ClozeItem):
        q = _head(unit, "cloze", _cloze_html(item))
    elif isinstance(item, MatchItem):
        q = _head(unit, "matching", text_to_html(item.prompt))
        _sub(q, "shuffleanswers", "true" if item.shuffle else "false")
        for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
            _texted(q, tag, "")
        used = set(item.answer)
        pairs = [(row, item.columns[j]) for row, j in zip(item.rows, item.answer, strict=True)]
        pairs += [("", c) for j, c in enumerate(item.columns) if j not in used]
        for row, column in pairs:
            sub = _texted(q, "subquestion", row)
            _texted(sub, "answer", column, html=False)
    elif isinstance(item, OrderItem):
        q = _head(unit, "ordering", text_to_html(item.prompt))
        _sub(q, "layouttype", "VERTICAL")
        _sub(q, "selecttype", "ALL")
        _sub(q, "selectcount", str(len(item.items)))
        grading = (
            "ALL_OR_NOTHING"
            if item.scoring == "all_or_nothing"
            else "RELATIVE_ALL_PREVIOUS_AND_NEXT"
        )
        _sub(q, "gradingtype", grading)
        _sub(q, "showgrading", "SHOW")
        for number, step in enumerate(item.items, 1):
            _answer(q, str(number), step, None)
    elif isinstance(item, BowtieItem):
        q = _head(unit, "cloze", _bowtie_html(item))
    else:
        raise NotExported(f"Moodle XML has no {item.type} question")
    _tags(q, unit)
    return q, lost


def _embedded(text: str, what: str) -> str:
    """An answer or feedback inside {1:TYPE:...}: HTML-escaped, '}' and '#' escaped."""
    if "~" in text or "\\" in text or text.endswith("&") or text.startswith(("=", "%")):
        raise NotExported(
            f"{what} '{text[:30]}' cannot be written inside a Moodle embedded answer "
            "(a '~' or '\\', a leading '=' or '%', or a trailing '&')"
        )
    return text_to_html(text).replace("}", "\\}").replace("#", "\\#")


def _cloze_html(item: ClozeItem) -> str:
    parts = [text_to_html(item.segments[0])]
    for number, blank in enumerate(item.blanks, 1):
        if blank.choices is None:
            body = "~".join("=" + _embedded(a, "answer") for a in blank.answers)
            kind = "SHORTANSWER"
        else:
            body = "~".join(
                ("=" if is_right else "") + _embedded(c, "choice")
                for c, is_right in zip(blank.choices, right_choices(blank), strict=True)
            )
            kind = "MULTICHOICE_S" if item.shuffle else "MULTICHOICE"
        parts.append(f"{{1:{kind}:{body}}}{text_to_html(item.segments[number])}")
    return "".join(parts)


def _bowtie_html(item: BowtieItem) -> str:
    html = [f"<p>{text_to_html(item.prompt)}</p>"]
    groups: tuple[tuple[Option, ...], ...] = (item.conditions, item.actions, item.parameters)
    for heading, options in zip(BOWTIE_HEADINGS, groups, strict=True):
        body = "~".join(
            ("=" if o.correct else "")
            + _embedded(o.text, "option")
            + (f"#{_embedded(o.why, 'reason')}" if o.why else "")
            for o in options
        )
        html.append(f"<p>{text_to_html(heading)}</p><p>{{1:MULTIRESPONSE:{body}}}</p>")
    return "".join(html)
