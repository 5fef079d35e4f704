"""Small banks for the engine tests, built from the model classes (no loader needed)."""

from __future__ import annotations

from dataclasses import replace

from immunoquiz.banks.model import (
    Bank,
    Blank,
    BowtieItem,
    CaseItem,
    ClozeItem,
    MatchItem,
    MultipleItem,
    Option,
    OrderItem,
    SingleItem,
    Source,
    TrueFalseItem,
)
from immunoquiz.responses import SingleResponse


def single(item_id: str, *, step: str | None = None, tags: tuple[str, ...] = (),
           level: str = "recall") -> SingleItem:  # fmt: skip
    """A two-option item whose right answer is option 0 (bank order)."""
    return SingleItem(
        id=item_id,
        prompt=f"Question {item_id}?",
        options=(Option("Right", True, "Because."), Option("Wrong", False, "No.")),
        explanation=f"Explanation of {item_id}.",
        step=step,
        tags=tags,
        level=level,
    )


RIGHT = SingleResponse(0)
WRONG = SingleResponse(1)


def bank(bank_id: str, topic: str, items: list, sources: tuple[Source, ...] = ()) -> Bank:  # type: ignore[type-arg]
    return Bank(id=bank_id, title=bank_id.title(), topic=topic, questions=tuple(items),
                sources=sources)  # fmt: skip


def two_topics() -> list[Bank]:
    """alpha (checkpoints): a1..a4; beta (adverse-events): b1..b3."""
    return [
        bank("alpha", "checkpoints", [
            single("a1", step="recognize-cues", tags=("pd1",)),
            single("a2", step="analyze-cues"),
            single("a3", level="application"),
            single("a4", tags=("pd1",)),
        ]),
        bank("beta", "adverse-events", [
            single("b1", step="take-action"),
            single("b2", step="recognize-cues"),
            single("b3"),
        ]),
    ]  # fmt: skip


def without(b: Bank, item_id: str) -> Bank:
    return replace(b, questions=tuple(q for q in b.questions if q.id != item_id))


SOURCES = (Source("ref1", "Example citation", "https://example.org/1"),)

EVERY_TYPE: dict[str, object] = {
    "single": SingleItem(
        id="single",
        prompt="Which cell expresses PD-1?",
        options=(
            Option("Activated T cells", True, "Inhibitory receptor on T cells."),
            Option("Tumour cells", False, "They express PD-L1."),
            Option("Platelets", False),
        ),
        explanation="Anti-PD-1 blocks the receptor on T cells.",
        sources=("ref1",),
    ),
    "multiple": MultipleItem(
        id="multiple",
        prompt="Which block PD-1?",
        options=(
            Option("Pembrolizumab", True),
            Option("Nivolumab", True),
            Option("Atezolizumab", False, "Anti-PD-L1."),
            Option("Ipilimumab", False),
        ),
        explanation="Pembrolizumab and nivolumab.",
    ),
    "select_n": MultipleItem(
        id="select-n",
        prompt="Select 2.",
        options=(Option("A", True), Option("B", True), Option("C"), Option("D")),
        explanation="A and B.",
        scoring="zero_one",
        choose=2,
    ),
    "true_false": TrueFalseItem(
        id="tf", statement="Pembrolizumab is anti-PD-1.", answer=True, explanation="It is."
    ),
    "cloze": ClozeItem(
        id="cloze",
        text="{{pembrolizumab|keytruda}} blocks {{PD-1}}.",
        segments=("", " blocks ", "."),
        blanks=(
            Blank(("pembrolizumab", "keytruda")),
            Blank(("PD-1",), ("PD-1", "CTLA-4", "HER2")),
        ),
        explanation="Pembrolizumab blocks PD-1.",
    ),
    "order": OrderItem(
        id="order",
        prompt="Order the steps.",
        items=("Assess", "Grade", "Hold the drug", "Start steroids"),
        explanation="Assess, grade, hold, treat.",
    ),
    "match": MatchItem(
        id="match",
        prompt="Match each adverse event to its grade.",
        rows=("4-6 stools a day", "Life-threatening colitis", "Under 4 stools a day"),
        columns=("Grade 1", "Grade 2", "Grade 4"),
        answer=(1, 2, 0),
        explanation="CTCAE grading.",
    ),
    "bowtie": BowtieItem(
        id="bowtie",
        prompt="A client on pembrolizumab has diarrhoea.",
        conditions=(Option("Colitis", True), Option("Hepatitis"), Option("Pneumonitis")),
        actions=(
            Option("Hold ICI", True),
            Option("Give loperamide only"),
            Option("Start steroids", True),
            Option("Discharge"),
        ),  # fmt: skip
        parameters=(
            Option("Stool count", True),
            Option("Hair loss"),
            Option("Abdominal pain", True),
            Option("Eye colour"),
        ),  # fmt: skip
        explanation="Immune colitis.",
    ),
}

EVERY_TYPE["case"] = CaseItem(
    id="case",
    vignette="A 52-year-old on pembrolizumab reports 5 loose stools a day.",
    parts=(
        replace(EVERY_TYPE["single"], id="p1", step="recognize-cues"),  # type: ignore[type-var]
        replace(
            EVERY_TYPE["true_false"],
            id="p2",
            update="Her stools rise to 8 a day.",  # type: ignore[type-var]
            step="take-action",
        ),  # fmt: skip
    ),
    explanation="Grade 2 then grade 3 diarrhoea.",
)


def every_type_bank() -> Bank:
    return bank("types", "adverse-events", list(EVERY_TYPE.values()), SOURCES)
