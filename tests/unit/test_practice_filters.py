"""The practice picker's filters: words of the question, item types, recent misses;
each combines with the bank/topic/tag/level/step filters, in the engine and the CLI."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from engine_banks import RIGHT, WRONG, every_type_bank, two_topics

from immunoquiz.cli import build_parser, main
from immunoquiz.commands.filters import filters_from_args
from immunoquiz.store import Flag, Profile, Store
from immunoquiz.study import Filters, open_session
from immunoquiz.study.marks import marked_cards

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def served(store: Store, profile: Profile, filters: Filters, now: datetime = T0) -> set[str]:
    """The cards a practice round over these filters would ask."""
    s = open_session(store, profile, [*two_topics(), every_type_bank()], mode="practice",
                     filters=filters, now=lambda: now, seed=1)  # fmt: skip
    return set(s.catalog)


def test_search_finds_words_anywhere_in_the_question_in_any_case(store, profile) -> None:
    # a case is found by the text of its parts
    found = {"types/single", "types/case"}
    assert served(store, profile, Filters(search="PD-1  expresses")) == found
    # an option's text counts too ("Activated T cells" is an option of the single item)
    assert "types/single" in served(store, profile, Filters(search="activated t"))
    assert served(store, profile, Filters(search="pd-1 nowhere")) == set()


def test_item_types_combine_with_banks_and_each_other(store, profile) -> None:
    only = Filters(types=frozenset({"bowtie", "match"}))
    assert served(store, profile, only) == {"types/bowtie", "types/match"}
    assert served(store, profile, Filters(types=frozenset({"single"}), banks=frozenset({"beta"})))
    assert (
        served(store, profile, Filters(types=frozenset({"case"}), banks=frozenset({"beta"})))
        == set()
    )


def test_recent_misses_are_the_last_weeks_wrong_answers(store, profile) -> None:
    study = open_session(store, profile, two_topics(), now=lambda: T0, new_limit=3, seed=1)
    answers = {"alpha/a1": WRONG, "alpha/a2": RIGHT, "alpha/a4": WRONG}
    for _ in range(3):
        card = study.next()
        assert card is not None
        study.answer(card, answers[card.card_id], 2.0)
    misses = Filters(marks=frozenset({"misses"}))
    assert served(store, profile, misses) == {"alpha/a1", "alpha/a4"}
    with_tag = Filters(marks=frozenset({"misses"}), tags=frozenset({"pd1"}), search="a4")
    assert served(store, profile, with_tag) == {"alpha/a4"}
    assert marked_cards(store, profile, T0)["misses"] == {"alpha/a1", "alpha/a4"}
    # Eight days later they are no longer recent.
    assert served(store, profile, misses, T0 + timedelta(days=8)) == set()


def test_the_command_line_reads_the_new_filters() -> None:
    args = build_parser().parse_args(
        ["practice", "--type", "bowtie,match", "--search", " grade  3 ", "--misses", "--bank", "x"]
    )
    assert filters_from_args(args) == Filters(
        banks=frozenset({"x"}), types=frozenset({"bowtie", "match"}), search="grade 3",
        marks=frozenset({"misses"}),
    )  # fmt: skip


def test_an_unknown_type_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args(["practice", "--type", "essay"])
    assert done.value.code == 2
    assert "invalid choice: 'essay'" in capsys.readouterr().err


def test_plain_practice_with_no_match_says_so(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("q\n"))
    code = main(["--data-dir", str(tmp_path), "practice", "--plain", "--search", "zzqx"])
    assert code == 0
    out = capsys.readouterr().out
    assert "No questions match your choice of banks and filters" in out
    assert "Practice session" not in out


def test_flagged_questions_and_either_mark(store, profile) -> None:
    store.flag(profile, Flag("beta/b2", "The answer looks wrong", T0))
    assert served(store, profile, Filters(marks=frozenset({"flagged"}))) == {"beta/b2"}
    study = open_session(store, profile, two_topics(), now=lambda: T0, new_limit=1, seed=1)
    card = study.next()
    assert card is not None and card.card_id == "alpha/a1"
    study.answer(card, WRONG, 2.0)
    either = Filters(marks=frozenset({"flagged", "misses"}))
    assert served(store, profile, either) == {"beta/b2", "alpha/a1"}
    args = build_parser().parse_args(["practice", "--flagged", "--misses"])
    assert filters_from_args(args) == either
