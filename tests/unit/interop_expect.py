"""What an exported item should come back as: the bank item in import's dict form."""

from __future__ import annotations

from typing import Any

from immunoquiz.banks.interop.units import Unit
from immunoquiz.banks.model import (
    BowtieItem,
    ClozeItem,
    MatchItem,
    MultipleItem,
    Option,
    OrderItem,
    SingleItem,
    TrueFalseItem,
)


def _options(options: tuple[Option, ...]) -> list[dict[str, Any]]:
    out = []
    for o in options:
        d: dict[str, Any] = {"text": o.text}
        if o.correct:
            d["correct"] = True
        if o.why:
            d["why"] = o.why
        out.append(d)
    return out


def expected(unit: Unit) -> dict[str, Any]:
    """Type, texts, keys and reasons of a unit (what a round trip must give back)."""
    item = unit.item
    d: dict[str, Any] = {"type": item.type}
    if isinstance(item, SingleItem | MultipleItem):
        d.update(prompt=item.prompt, options=_options(item.options))
    elif isinstance(item, TrueFalseItem):
        d.update(statement=item.statement, answer=item.answer)
    elif isinstance(item, ClozeItem):
        d["text"] = item.text
        if any(b.choices for b in item.blanks):
            d["choices"] = [list(b.choices or ()) for b in item.blanks]
    elif isinstance(item, MatchItem):
        d.update(
            prompt=item.prompt,
            rows=list(item.rows),
            columns=sorted(item.columns),
            answer=dict(item.answer_map),
        )
    elif isinstance(item, OrderItem):
        d.update(prompt=item.prompt, items=list(item.items))
    elif isinstance(item, BowtieItem):
        d.update(
            prompt=item.prompt,
            conditions=_options(item.conditions),
            actions=_options(item.actions),
            parameters=_options(item.parameters),
        )
    return d


def comparable(item: dict[str, Any]) -> dict[str, Any]:
    """An imported item without what the comparison leaves out (ids, tags, scoring).

    Moodle keeps no order of a matching question's answers, so columns compare sorted.
    """
    skip = ("id", "tags", "scoring", "explanation", "sources")
    out = {k: v for k, v in item.items() if k not in skip}
    if "columns" in out:
        out["columns"] = sorted(out["columns"])
    return out
