"""The one copy of each small helper: how numbers, plurals and verdicts read."""

from __future__ import annotations

from datetime import UTC

import pytest

from immunoquiz.basics import num, plural, utc_now, verdict_word
from immunoquiz.plain import render
from immunoquiz.present import score_words
from immunoquiz.responses import Score


@pytest.mark.parametrize(
    ("value", "shown"),
    [(3, "3"), (3.0, "3"), (2.5, "2.5"), (2.50001, "2.5"), (2 / 3, "0.67"), (2.999, "3"),
     (0.004, "0"), (-0.0001, "0"), (0, "0"), (12.25, "12.25"), (100.0, "100")],
)  # fmt: skip
def test_num_reads_like_a_person_wrote_it(value: float, shown: str) -> None:
    assert num(value) == shown


def test_a_score_just_under_a_whole_number_prints_cleanly() -> None:
    assert str(Score(2.999, 5)) == "3/5"
    assert str(Score(2.5, 3)) == "2.5/3"


def test_plurals() -> None:
    assert plural(1, "answer") == "1 answer"
    assert plural(0, "answer") == "0 answers"
    assert plural(2, "party", "parties") == "2 parties"


def test_verdict_words() -> None:
    assert verdict_word(1, 1) == Score(1, 1).verdict == "Correct"
    assert verdict_word(0.5, 1) == Score(0.5, 1).verdict == "Partly correct"
    assert verdict_word(0, 1) == Score(0, 1).verdict == "Incorrect"
    assert verdict_word(0, 0) == "Incorrect"  # nothing to earn is not full marks


def test_every_client_says_the_verdict_the_same_way() -> None:
    score = Score(2, 3, "+/- scoring")
    assert score_words(score) == render.verdict(score) == "Partly correct: 2/3, scored +/- scoring."


def test_utc_now_is_aware_utc() -> None:
    assert utc_now().tzinfo is UTC
