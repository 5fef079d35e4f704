"""The question browser: every item of the loaded banks beside the learner's state of it.

Used by the TUI's Browse screen and `immunoquiz browse`/`flags`. A card's state is
one word: "suspended" (never served), "new" (never studied), "due" (due now),
"learning" (missed lately, in a short learning step, not due yet) or "scheduled"
(studied, due later). "flagged" is not a state but a filter of its own: a flagged
card keeps its state.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from fsrs import State

from immunoquiz import scheduling
from immunoquiz.banks.model import Bank
from immunoquiz.records import dataclass, field
from immunoquiz.store import CardRow, Flag, Profile, ReviewRow, Store
from immunoquiz.study.catalog import Card, build_catalog
from immunoquiz.study.filters import Filters, matches_search, search_words

STATES = ("new", "learning", "due", "suspended", "flagged")  # what a browse filter may ask


@dataclass(frozen=True, slots=True)
class Query:
    """Filters on the items (bank, tag, level, step, words) and on the learner's states."""

    filters: Filters = field(default_factory=Filters)
    states: frozenset[str] = field(default_factory=frozenset)
    search: str = ""  # words that must all appear in the question (any case)

    def __post_init__(self) -> None:
        if unknown := sorted(self.states - set(STATES)):
            raise ValueError(f"unknown state {unknown[0]!r}: choose from {', '.join(STATES)}")


@dataclass(frozen=True, slots=True)
class Entry:
    card: Card
    state: str  # "suspended" | "new" | "due" | "learning" | "scheduled"
    due: datetime | None  # None: never studied
    stability: float | None  # FSRS stability in days; None: never studied
    flag: Flag | None = None

    @property
    def suspended(self) -> bool:
        return self.state == "suspended"

    def matches(self, states: frozenset[str]) -> bool:
        if not states:
            return True
        return self.state in states or ("flagged" in states and self.flag is not None)


def _entry(
    card: Card, row: CardRow | None, now: datetime, suspended: bool, flag: Flag | None
) -> Entry:
    if row is None:
        return Entry(card, "suspended" if suspended else "new", None, None, flag)
    try:
        fsrs_card = scheduling.card_from_json(row.state)
    except ValueError:
        stability, learning = None, False
    else:
        stability = fsrs_card.stability
        learning = fsrs_card.state in (State.Learning, State.Relearning)
    if suspended:
        state = "suspended"
    elif row.due <= now:
        state = "due"
    else:
        state = "learning" if learning else "scheduled"
    return Entry(card, state, row.due, stability, flag)


def entries(
    store: Store, profile: Profile, banks: Iterable[Bank], now: datetime, query: Query | None = None
) -> list[Entry]:
    """The matching items in bank order, each with the learner's state of it."""
    query = query or Query()
    rows = store.cards(profile)
    suspended = store.suspended(profile)
    flags = {f.card_id: f for f in store.flags(profile)}
    out = []
    words = search_words(query.search)
    for card_id, card in build_catalog(banks, query.filters).items():
        if not matches_search(card.item, words, card_id):
            continue
        entry = _entry(card, rows.get(card_id), now, card_id in suspended, flags.get(card_id))
        if entry.matches(query.states):
            out.append(entry)
    return out


def find(banks: Iterable[Bank], card_id: str) -> Card | None:
    """The loaded item with this card id (`bank.id/item.id`), if any."""
    bank_id, _, item_id = card_id.partition("/")
    for bank in banks:
        if bank.id == bank_id:
            for item in bank.questions:
                if item.id == item_id:
                    return Card(bank, item, card_id)
    return None


def history(store: Store, profile: Profile, card_id: str) -> list[ReviewRow]:
    """Every answer this learner gave to the card (study, practice, exam), oldest first;
    undone answers left out."""
    return store.reviews(profile, card_id=card_id)


def flag_for(card: Card, note: str, now: datetime) -> Flag:
    """A flag on `card` naming where the item is: the bank file, its line, the bank's hash."""
    bank = card.bank
    return Flag(
        card.card_id, note.strip(), now, bank.path or None, card.item.line or None,
        bank.content_hash or None,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class FlaggedQuestion:
    """A flag with where its item is now (or was, if it has left the loaded banks)."""

    flag: Flag
    card: Card | None  # None: the item is no longer in the loaded banks
    bank_file: str | None
    line: int | None

    @property
    def question(self) -> str:
        return " ".join(self.card.item.stem.split()) if self.card else ""


def flagged(store: Store, profile: Profile, banks: Iterable[Bank]) -> list[FlaggedQuestion]:
    """The profile's flags, oldest first, each placed in today's bank file and line."""
    loaded = list(banks)
    out = []
    for flag in store.flags(profile):
        card = find(loaded, flag.card_id)
        if card is not None:
            out.append(FlaggedQuestion(flag, card, card.bank.path or None, card.item.line or None))
        else:
            out.append(FlaggedQuestion(flag, None, flag.bank_file, flag.line))
    return out
