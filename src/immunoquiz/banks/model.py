"""The immutable bank model: what a valid bank file means, with nothing of YAML left.

Every class is a frozen dataclass so a loaded bank can be shared, cached and
hashed freely. Tuples stand in for lists and `(key, value)` tuples for mappings
(with a read-only dict view where code wants lookups).

`line`/`col` (1-based, 0 when unknown) record where a node started in its file;
they never take part in equality, so a cached bank equals a freshly parsed one.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import ClassVar, Literal

from immunoquiz.records import dataclass, field

ItemType = Literal["single", "multiple", "true_false", "cloze", "order", "match", "bowtie", "case"]
ITEM_TYPES: tuple[str, ...] = (
    "single",
    "multiple",
    "true_false",
    "cloze",
    "order",
    "match",
    "bowtie",
    "case",
)
LEVELS: tuple[str, ...] = ("recall", "understanding", "application", "analysis")
STEPS: tuple[str, ...] = (
    "recognize-cues",
    "analyze-cues",
    "prioritize-hypotheses",
    "generate-solutions",
    "take-action",
    "evaluate-outcomes",
)
KNOWN_TOPICS: tuple[str, ...] = ("checkpoints", "tnbc", "treatment-comparisons", "adverse-events")
MULTIPLE_SCORING: tuple[str, ...] = ("plus_minus", "zero_one", "all_or_nothing")
ORDER_SCORING: tuple[str, ...] = ("all_or_nothing", "pairs")


def _loc() -> int:
    return field(default=0, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Source:
    """A reference a bank cites: its key, citation and link."""

    key: str
    cite: str
    url: str | None = None
    line: int = _loc()
    col: int = _loc()


@dataclass(frozen=True, slots=True)
class Option:
    """One choice of a single, multiple or bow-tie list."""

    text: str
    correct: bool = False
    why: str | None = None
    line: int = _loc()
    col: int = _loc()


@dataclass(frozen=True, kw_only=True)
class Item:
    """Keys common to every item type; subclasses add their own."""

    type: ClassVar[str] = ""
    id: str
    explanation: str
    sources: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    level: str = "recall"
    step: str | None = None
    # Extension: authors may pin the option order (e.g. "Grade 1..Grade 4").
    shuffle: bool = True
    # Only in a case part: text appended to the vignette before this part.
    update: str | None = None
    line: int = _loc()
    col: int = _loc()

    @property
    def stem(self) -> str:
        """The text a learner reads first, whatever the type calls it."""
        raise NotImplementedError


@dataclass(frozen=True, kw_only=True)
class SingleItem(Item):
    """One right option among several."""

    type: ClassVar[str] = "single"
    prompt: str
    options: tuple[Option, ...]

    @property
    def stem(self) -> str:
        return self.prompt

    @property
    def correct_index(self) -> int:
        return next(i for i, o in enumerate(self.options) if o.correct)


@dataclass(frozen=True, kw_only=True)
class MultipleItem(Item):
    """Several right options; `choose` says how many when fixed."""

    type: ClassVar[str] = "multiple"
    prompt: str
    options: tuple[Option, ...]
    scoring: str = "plus_minus"  # forced to "zero_one" by the loader when choose is set
    choose: int | None = None

    @property
    def stem(self) -> str:
        return self.prompt

    @property
    def correct_indices(self) -> frozenset[int]:
        return frozenset(i for i, o in enumerate(self.options) if o.correct)


@dataclass(frozen=True, kw_only=True)
class TrueFalseItem(Item):
    """A statement that is true or false."""

    type: ClassVar[str] = "true_false"
    statement: str
    answer: bool

    @property
    def stem(self) -> str:
        return self.statement


@dataclass(frozen=True, slots=True)
class Blank:
    """One `{{answer|alternative}}` gap; `choices` makes it a drop-down."""

    answers: tuple[str, ...]
    choices: tuple[str, ...] | None = None


@dataclass(frozen=True, kw_only=True)
class ClozeItem(Item):
    """A text with blanks to fill in."""

    type: ClassVar[str] = "cloze"
    text: str
    # The text split around the blanks: len(segments) == len(blanks) + 1.
    segments: tuple[str, ...]
    blanks: tuple[Blank, ...]

    @property
    def stem(self) -> str:
        return "___".join(self.segments)


@dataclass(frozen=True, kw_only=True)
class OrderItem(Item):
    """Steps to put in order."""

    type: ClassVar[str] = "order"
    prompt: str
    items: tuple[str, ...]  # in the correct order
    scoring: str = "all_or_nothing"

    @property
    def stem(self) -> str:
        return self.prompt


@dataclass(frozen=True, kw_only=True)
class MatchItem(Item):
    """Rows, each matched to one of the columns."""

    type: ClassVar[str] = "match"
    prompt: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    # answer[i] is the index in `columns` of the right column for rows[i].
    answer: tuple[int, ...]

    @property
    def stem(self) -> str:
        return self.prompt

    @property
    def answer_map(self) -> MappingProxyType[str, str]:
        return MappingProxyType(
            {row: self.columns[c] for row, c in zip(self.rows, self.answer, strict=True)}
        )


@dataclass(frozen=True, kw_only=True)
class BowtieItem(Item):
    """A bow-tie: one condition, two actions, two parameters to monitor."""

    type: ClassVar[str] = "bowtie"
    prompt: str
    conditions: tuple[Option, ...]  # pick 1
    actions: tuple[Option, ...]  # pick 2
    parameters: tuple[Option, ...]  # pick 2

    PICKS: ClassVar[tuple[tuple[str, int], ...]] = (
        ("conditions", 1),
        ("actions", 2),
        ("parameters", 2),
    )

    @property
    def stem(self) -> str:
        return self.prompt


@dataclass(frozen=True, kw_only=True)
class CaseItem(Item):
    """A clinical vignette followed by parts that each ask one thing."""

    type: ClassVar[str] = "case"
    vignette: str
    parts: tuple[Item, ...]  # any type but case; each may carry `update`

    @property
    def stem(self) -> str:
        return self.vignette


ITEM_CLASSES: dict[str, type[Item]] = {
    cls.type: cls
    for cls in (
        SingleItem,
        MultipleItem,
        TrueFalseItem,
        ClozeItem,
        OrderItem,
        MatchItem,
        BowtieItem,
        CaseItem,
    )
}


@dataclass(frozen=True, kw_only=True)
class Bank:
    """One bank file: its questions and the sources they cite."""

    id: str
    title: str
    topic: str
    questions: tuple[Item, ...]
    description: str | None = None
    language: str = "en"
    sources: tuple[Source, ...] = ()
    format: int = 1
    # Where `bank.id` is written, so a clash between two banks can point at it.
    id_line: int = _loc()
    id_col: int = _loc()
    # Where it came from and what it was: set by the loader, not part of the meaning.
    path: str = field(default="", compare=False)
    content_hash: str = field(default="", compare=False)

    @property
    def source_map(self) -> MappingProxyType[str, Source]:
        return MappingProxyType({s.key: s for s in self.sources})

    def item(self, item_id: str) -> Item | None:
        return next((q for q in self.questions if q.id == item_id), None)

    def card_id(self, item: Item) -> str:
        """The stable progress key of an item: `bank.id/item.id`."""
        return f"{self.id}/{item.id}"
