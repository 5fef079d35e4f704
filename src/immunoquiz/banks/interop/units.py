"""What the exporters write, item by item: a case becomes one question per part.

Each part's stem carries the vignette and the updates up to and including its own,
so a part read alone in Moodle still has the whole scenario before it.
"""

from __future__ import annotations

from immunoquiz.banks.interop.sources_block import Cited, with_sources
from immunoquiz.banks.model import Bank, Blank, CaseItem, ClozeItem, Item, TrueFalseItem
from immunoquiz.records import dataclass, replace


@dataclass(frozen=True)
class Unit:
    """One exported question: its id, the item (a case part has its context in its stem)."""

    id: str
    item: Item
    tags: tuple[str, ...]
    feedback: str  # explanation, then the sources block


def units(bank: Bank) -> list[Unit]:
    out: list[Unit] = []
    for item in bank.questions:
        if not isinstance(item, CaseItem):
            out.append(
                Unit(item.id, item, item.tags, _feedback(bank, item.explanation, item.sources))
            )
            continue
        context = item.vignette
        for part in item.parts:
            if part.update:
                context = f"{context}\n\n{part.update}"
            sources = tuple(dict.fromkeys((*part.sources, *item.sources)))
            explanation = part.explanation
            if part is item.parts[-1]:
                explanation = f"{explanation}\n\n{item.explanation}"
            out.append(
                Unit(
                    f"{item.id}-{part.id}",
                    _with_context(part, context),
                    tuple(dict.fromkeys((*item.tags, *part.tags))),
                    _feedback(bank, explanation, sources),
                )
            )
    return out


def _feedback(bank: Bank, explanation: str, keys: tuple[str, ...]) -> str:
    known = bank.source_map
    cited = [Cited(k, known[k].cite, known[k].url) for k in keys if k in known]
    return with_sources(explanation, cited)


def _with_context(part: Item, context: str) -> Item:
    if isinstance(part, ClozeItem):
        segments = (f"{context}\n\n{part.segments[0]}", *part.segments[1:])
        return replace(part, text=f"{context}\n\n{part.text}", segments=segments)
    if isinstance(part, TrueFalseItem):
        return replace(part, statement=f"{context}\n\n{part.statement}")
    return replace(part, prompt=f"{context}\n\n{part.stem}")  # type: ignore[call-arg]


def right_choices(blank: Blank) -> list[bool]:
    """Per drop-down choice, whether it is an answer (matched as the loader matches)."""
    right = {" ".join(a.split()).casefold() for a in blank.answers}
    return [" ".join(c.split()).casefold() in right for c in blank.choices or ()]
