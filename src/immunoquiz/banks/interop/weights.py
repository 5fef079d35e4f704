"""Moodle answer weights for a select-all-that-apply item, per immunoquiz scoring rule."""

from __future__ import annotations

from immunoquiz.banks.model import MultipleItem


def multiple_weights(item: MultipleItem) -> list[float]:
    """Percent per option: right ones share 100; a wrong tick costs what the rule says.

    plus_minus deducts one right answer's worth, zero_one nothing; all_or_nothing has
    no Moodle equivalent and is written as -100 (one wrong tick zeroes the question).
    """
    right = len(item.correct_indices)
    penalty = {"plus_minus": -100 / right, "zero_one": 0.0}.get(item.scoring, -100.0)
    return [100 / right if o.correct else penalty for o in item.options]


def percent(weight: float) -> str:
    """As Moodle writes fractions: up to 5 decimals, no exponent ("33.33333", "-50")."""
    text = f"{weight:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def lossy_notes(item: MultipleItem) -> list[str]:
    notes = []
    if item.choose:
        notes.append(
            f"the select-{item.choose} limit is not carried (Moodle lets any number be ticked)"
        )
    elif item.scoring == "all_or_nothing":
        notes.append(
            "all-or-nothing scoring is written as -100% per wrong answer "
            "(Moodle gives partial credit)"
        )
    return notes
