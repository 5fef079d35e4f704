"""What keys a bank file may hold, where, and of what kind: the one description.

The loader (`build.py`) reads it to refuse unknown, missing and mistyped keys, and
the JSON Schema for editors (`schema.py`) is generated from it, so the two cannot
drift. Rules that span several keys (exactly one correct option, a match answer
naming a real row...) live in the loader; the schema states the ones it can.
"""

from __future__ import annotations

from types import MappingProxyType

from immunoquiz.banks.model import (
    ITEM_TYPES,
    LEVELS,
    MULTIPLE_SCORING,
    ORDER_SCORING,
    STEPS,
)
from immunoquiz.records import dataclass, field

FORMAT_VERSION = 1
SLUG_PATTERN = r"[a-z0-9][a-z0-9-]*"
# BCP 47, loosely: a 2-3 letter language and optional subtags (en, en-GB, pt-BR, zh-Hant).
LANGUAGE_PATTERN = r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*"

# Kinds of value. Scalars first, then the containers the loader builds by hand.
TEXT = "text"  # any plain scalar but null, kept as written; never empty
SLUG = "slug"  # SLUG_PATTERN
BOOL = "bool"  # true or false, nothing else
INT = "int"  # a whole number >= 1
ENUM = "enum"  # one of Key.values
LANGUAGE = "language"  # LANGUAGE_PATTERN
TEXT_LIST = "text_list"
SLUG_LIST = "slug_list"
SOURCE_KEYS = "source_keys"  # list of keys of bank.sources
OPTIONS = "options"  # list of OPTION
SOURCES = "sources"  # map: key -> SOURCE
BANK = "bank"  # BANK
QUESTIONS = "questions"  # list of items
PARTS = "parts"  # list of case parts
CHOICES = "choices"  # list (one per blank) of lists of text
ANSWER_MAP = "answer_map"  # map: row text -> column text

SCALAR_KINDS = frozenset({TEXT, SLUG, BOOL, INT, ENUM, LANGUAGE})
LIST_KINDS = frozenset({TEXT_LIST, SLUG_LIST, SOURCE_KEYS})


@dataclass(frozen=True)
class Key:
    name: str
    kind: str
    required: bool = False
    doc: str = ""
    values: tuple[str, ...] = ()  # ENUM choices
    min_items: int = 0
    max_items: int | None = None
    # For OPTIONS lists: how many entries must be `correct: true` (min, max or None).
    correct: tuple[int, int | None] | None = None


@dataclass(frozen=True)
class Shape:
    """A mapping in the file: `name` is how messages call it ("option", "single item")."""

    name: str
    keys: tuple[Key, ...]
    doc: str = ""
    index: MappingProxyType[str, Key] = field(init=False, repr=False, compare=False)
    required: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Derived once: the loader asks for both on every mapping it reads.
        object.__setattr__(self, "index", MappingProxyType({k.name: k for k in self.keys}))
        object.__setattr__(self, "required", tuple(k.name for k in self.keys if k.required))


def _text(name: str, doc: str, required: bool = False) -> Key:
    return Key(name, TEXT, required, doc)


SOURCE = Shape(
    "source",
    (
        _text("cite", "The citation as a reader would look it up.", required=True),
        _text("url", "Where to read it (a DOI link is best)."),
    ),
    "A citation that items refer to by its key.",
)

OPTION = Shape(
    "option",
    (
        _text("text", "What the learner reads.", required=True),
        Key("correct", BOOL, doc="true for a right answer (default false)."),
        _text("why", "Feedback for a learner who picks this option."),
    ),
    "One choice.",
)

BANK_SHAPE = Shape(
    "bank",
    (
        Key("id", SLUG, True, "Unique across loaded banks; progress is keyed on it."),
        _text("title", "Shown in menus.", required=True),
        Key(
            "topic",
            SLUG,
            True,
            "checkpoints | tnbc | treatment-comparisons | adverse-events | another slug.",
        ),
        _text("description", "Plain text."),
        Key("language", LANGUAGE, doc="BCP 47 tag (default en)."),
        Key(SOURCES, SOURCES, doc="Citations items refer to: key -> {cite, url}."),
    ),
    "What the bank is.",
)

_COMMON_HEAD = (
    Key("id", SLUG, True, "Unique in the bank; never reuse it for a different question."),
    Key("type", ENUM, True, "The kind of item.", values=ITEM_TYPES),
)
_COMMON_TAIL = (
    _text("explanation", "The rationale shown after answering.", required=True),
    Key("sources", SOURCE_KEYS, doc="Keys of bank.sources this item rests on."),
    Key("tags", SLUG_LIST, doc="Free slugs for filtering."),
    Key("level", ENUM, doc="Cognitive level (default recall).", values=LEVELS),
    Key("step", ENUM, doc="The NCSBN clinical-judgment step measured.", values=STEPS),
)
_SHUFFLE = Key("shuffle", BOOL, doc="false keeps the options in the written order.")
_UPDATE = _text("update", "Text appended to the vignette before this part.")


def _options(
    name: str,
    doc: str,
    *,
    lo: int | None = 2,
    hi: int | None = 8,
    correct: tuple[int, int | None] | None = None,
) -> Key:
    return Key(name, OPTIONS, True, doc, min_items=lo or 1, max_items=hi, correct=correct)


_PROMPT = _text("prompt", "The question stem.", required=True)

TYPE_KEYS: dict[str, tuple[Key, ...]] = {
    "single": (
        _PROMPT,
        _options("options", "2-8 options; exactly one has correct: true.", correct=(1, 1)),
        _SHUFFLE,
    ),
    "multiple": (
        _PROMPT,
        _options("options", "2-8 options; at least one is correct.", correct=(1, None)),
        Key(
            "scoring",
            ENUM,
            doc="plus_minus (default), zero_one or all_or_nothing.",
            values=MULTIPLE_SCORING,
        ),
        Key("choose", INT, doc="Select-N: exactly N options are correct; scored zero_one."),
        _SHUFFLE,
    ),
    "true_false": (
        _text("statement", "The statement to judge.", required=True),
        Key("answer", BOOL, True, "true or false."),
    ),
    "cloze": (
        _text("text", "Text with blanks written {{answer|alternative}}.", required=True),
        Key(CHOICES, CHOICES, doc="One list of drop-down choices per blank.", min_items=1),
        _SHUFFLE,
    ),
    "order": (
        _PROMPT,
        Key("items", TEXT_LIST, True, "2-8 steps in the correct order.", min_items=2, max_items=8),
        Key("scoring", ENUM, doc="all_or_nothing (default) or pairs.", values=ORDER_SCORING),
    ),
    "match": (
        _PROMPT,
        Key("rows", TEXT_LIST, True, "The things to classify.", min_items=1),
        Key("columns", TEXT_LIST, True, "The categories.", min_items=1),
        Key("answer", ANSWER_MAP, True, "row text: column text, for every row."),
        _SHUFFLE,
    ),
    "bowtie": (
        _PROMPT,
        _options(
            "conditions", "The condition list; exactly 1 correct.", lo=None, hi=None, correct=(1, 1)
        ),
        _options(
            "actions", "Actions to take; exactly 2 correct.", lo=None, hi=None, correct=(2, 2)
        ),
        _options(
            "parameters",
            "Parameters to monitor; exactly 2 correct.",
            lo=None,
            hi=None,
            correct=(2, 2),
        ),
        _SHUFFLE,
    ),
    "case": (
        _text("vignette", "The patient scenario.", required=True),
        Key(PARTS, PARTS, True, "1-8 items of any type but case.", min_items=1, max_items=8),
    ),
}

PART_TYPES: tuple[str, ...] = tuple(t for t in ITEM_TYPES if t != "case")


def _item_shape(item_type: str, *, part: bool) -> Shape:
    head = _COMMON_HEAD
    if part:
        head = (head[0], Key("type", ENUM, True, "The kind of item.", values=PART_TYPES))
    extra = (_UPDATE,) if part else ()
    name = f"{item_type} case part" if part else f"{item_type} item"
    return Shape(name, head + TYPE_KEYS[item_type] + _COMMON_TAIL + extra)


ITEM_SHAPES: dict[str, Shape] = {t: _item_shape(t, part=False) for t in ITEM_TYPES}
PART_SHAPES: dict[str, Shape] = {t: _item_shape(t, part=True) for t in PART_TYPES}

TOP = Shape(
    "the top level",
    (
        Key("format", INT, True, f"The bank format version: {FORMAT_VERSION}."),
        Key(BANK, BANK, True, "What the bank is."),
        Key(QUESTIONS, QUESTIONS, True, "The items, at least one.", min_items=1),
    ),
    "An immunoquiz question bank.",
)

# Every key some item type knows: lets a message say "not used by a true_false item"
# rather than "unknown" when an author moves a key to the wrong type.
ANY_ITEM_KEYS: frozenset[str] = frozenset(
    k.name for s in (*ITEM_SHAPES.values(), *PART_SHAPES.values()) for k in s.keys
)
