"""What an item asked and its answer key, and a learner's response, in words.

The report shows these beside every statistic. A results file may record the question
and key itself; otherwise they come from the bank the item belongs to. Responses are
read from their JSON form (a results file's `response`), with the bank item when there
is one to name what an index means, and without it as plainly as the file allows.
"""

from __future__ import annotations

from typing import Any

from immunoquiz.banks.model import (
    Bank,
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
from immunoquiz.records import dataclass


@dataclass(frozen=True)
class ItemKey:
    question: str  # the whole question text (a case: its vignette and each part's stem)
    answer: str  # the answer key in words
    key: tuple[int, ...] = ()  # for choice items: indices of the right options (results order)
    item: Item | None = None  # the bank item, to read responses by


def describe(item: Item) -> ItemKey:
    """The question and answer key of a bank item; `key` indexes the options as results
    files list them (single/multiple in bank order; True, False; bow-tie groups in turn)."""
    if isinstance(item, SingleItem | MultipleItem):
        key = tuple(i for i, o in enumerate(item.options) if o.correct)
        answer = "; ".join(item.options[i].text for i in key)
        return ItemKey(item.prompt, answer, key, item)
    if isinstance(item, TrueFalseItem):
        verdict = "True" if item.answer else "False"
        return ItemKey(item.statement, verdict, (0 if item.answer else 1,), item)
    if isinstance(item, BowtieItem):
        key_: list[int] = []
        words: list[str] = []
        offset = 0
        for group, _ in BowtieItem.PICKS:
            options = getattr(item, group)
            right = [i for i, o in enumerate(options) if o.correct]
            key_ += [offset + i for i in right]
            words.append(f"{group}: " + ", ".join(options[i].text for i in right))
            offset += len(options)
        return ItemKey(item.prompt, "; ".join(words), tuple(key_), item)
    if isinstance(item, ClozeItem):
        answer = "; ".join(f"{n}. {b.answers[0]}" for n, b in enumerate(item.blanks, start=1))
        return ItemKey(item.stem, answer, (), item)
    if isinstance(item, OrderItem):
        return ItemKey(item.prompt, " → ".join(item.items), (), item)
    if isinstance(item, MatchItem):
        pairs = (f"{row} → {col}" for row, col in item.answer_map.items())
        return ItemKey(item.prompt, "; ".join(pairs), (), item)
    if isinstance(item, CaseItem):
        parts = [describe(p) for p in item.parts]
        question = "\n".join(
            [item.vignette] + [f"{n}. {p.question}" for n, p in enumerate(parts, start=1)]
        )
        answer = "; ".join(f"{n}. {p.answer}" for n, p in enumerate(parts, start=1))
        return ItemKey(question, answer, (), item)
    return ItemKey(item.stem, "", (), item)


def keys_from_banks(
    banks: list[Bank], item_ids: list[str], used: dict[str, str]
) -> tuple[dict[str, ItemKey], list[str]]:
    """Question and key of each `bank-id/item-id` found in `banks`, and notes.

    `used` maps bank ids to the content hash the class's files recorded: a bank that
    has changed since is not used, since its key may no longer be the one scored.
    """
    by_id = {b.id: b for b in banks}
    found: dict[str, ItemKey] = {}
    changed: set[str] = set()
    for item_id in item_ids:
        bank_id, _, local = item_id.partition("/")
        bank = by_id.get(bank_id)
        if bank is None:
            continue
        if used.get(bank_id) and bank.content_hash and used[bank_id] != bank.content_hash:
            changed.add(bank_id)
            continue
        item = bank.item(local)
        if item is not None:
            found[item_id] = describe(item)
    notes = [
        f"bank '{b}' here differs from the one the class answered; its questions and keys "
        "are not shown"
        for b in sorted(changed)
    ]
    return found, notes


def response_text(
    response: dict[str, Any] | None,
    options: tuple[str, ...] = (),
    picked: tuple[int, ...] = (),
    item: Item | None = None,
) -> str:
    """A learner's response in words ("" when unanswered)."""
    if response is None:
        return ""
    if options and picked:
        return "; ".join(options[i] for i in picked if 0 <= i < len(options))
    kind = response.get("kind")
    try:
        if kind == "cloze":
            return "; ".join(f"{n}. {b}" for n, b in enumerate(response.get("blanks", []), start=1))
        if kind == "order":
            order = [int(i) for i in response.get("order", [])]
            if isinstance(item, OrderItem):
                return " → ".join(item.items[i] for i in order if 0 <= i < len(item.items))
            return " → ".join(str(i + 1) for i in order)
        if kind == "match":
            picks = response.get("picks", [])
            if isinstance(item, MatchItem):
                cols = item.columns
                return "; ".join(
                    f"{row} → {cols[c] if isinstance(c, int) and 0 <= c < len(cols) else '-'}"
                    for row, c in zip(item.rows, picks, strict=False)
                )
            return "; ".join(f"{n} → {c}" for n, c in enumerate(picks, start=1))
        if kind == "case":
            parts = response.get("parts", [])
            inner = item.parts if isinstance(item, CaseItem) else ()
            return " | ".join(
                f"{n}. "
                + response_text(
                    p if isinstance(p, dict) else None,
                    item=inner[n - 1] if n - 1 < len(inner) else None,
                )
                for n, p in enumerate(parts, start=1)
            )
        if kind == "true_false":
            return "True" if response.get("value") else "False"
        if kind == "single" and isinstance(item, SingleItem):
            return item.options[int(response["choice"])].text
        if kind == "multiple" and isinstance(item, MultipleItem):
            return "; ".join(item.options[int(i)].text for i in response.get("choices", []))
    except (TypeError, ValueError, KeyError, IndexError):
        pass
    if options:  # a choice item answered with nothing ticked
        return "(nothing picked)"
    return ", ".join(f"{k}: {v}" for k, v in response.items() if k != "kind")
