"""The browser's states and filters, and where a flag points once its item has gone."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from engine_banks import RIGHT, WRONG, two_topics, without

from immunoquiz import scheduling
from immunoquiz.store import Profile, Store
from immunoquiz.study import Filters, open_session
from immunoquiz.study.browse import Query, entries, find, flag_for, flagged

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def _answer(store: Store, profile: Profile, answers: dict[str, object]) -> None:
    s = open_session(
        store, profile, two_topics(), now=lambda: T0, tz=UTC, new_limit=20,
        scheduler=scheduling.make_scheduler(fuzz=False),
    )  # fmt: skip
    for card_id, response in answers.items():
        card = find(two_topics(), card_id)
        assert card is not None
        s.answer(card, response, 2.0)  # type: ignore[arg-type]


def test_each_card_has_one_state_and_flags_filter_apart(store: Store, profile: Profile) -> None:
    _answer(store, profile, {"alpha/a1": RIGHT, "alpha/a2": WRONG, "beta/b1": RIGHT})
    store.suspend(profile, "beta/b1", T0)
    store.flag(profile, flag_for(find(two_topics(), "alpha/a3"), "typo", T0))  # type: ignore[arg-type]
    later = T0 + timedelta(minutes=5)  # a2 (missed: 1 minute) is due; a1 (good: 10) is not
    states = {e.card.card_id: e.state for e in entries(store, profile, two_topics(), later)}
    assert states == {
        "alpha/a1": "learning", "alpha/a2": "due", "alpha/a3": "new", "alpha/a4": "new",
        "beta/b1": "suspended", "beta/b2": "new", "beta/b3": "new",
    }  # fmt: skip
    much_later = T0 + timedelta(days=30)
    a1 = entries(store, profile, two_topics(), later)[0]
    assert a1.due == T0 + timedelta(minutes=10) and a1.stability and a1.stability > 0
    assert {e.state for e in entries(store, profile, two_topics(), much_later)} == {
        "due", "new", "suspended"
    }  # fmt: skip

    def ids(query: Query) -> list[str]:
        return [e.card.card_id for e in entries(store, profile, two_topics(), later, query)]

    assert ids(Query(states=frozenset({"flagged"}))) == ["alpha/a3"]
    assert ids(Query(states=frozenset({"new", "suspended"}), filters=Filters(
        banks=frozenset({"beta"})))) == ["beta/b1", "beta/b2", "beta/b3"]  # fmt: skip
    with pytest.raises(ValueError, match="unknown state 'asleep'"):
        Query(states=frozenset({"asleep"}))


def test_a_flag_keeps_naming_the_place_after_its_item_left_the_bank(
    store: Store, profile: Profile
) -> None:
    card = find(two_topics(), "beta/b2")
    assert card is not None
    flag = flag_for(card, "  wrong source  ", T0)
    assert flag.note == "wrong source"
    store.flag(profile, replace(flag, bank_file="beta.yaml", line=40))
    [now_there] = flagged(store, profile, two_topics())
    assert now_there.card is not None and now_there.question
    alpha, beta = two_topics()
    [gone] = flagged(store, profile, [alpha, without(beta, "b2")])
    assert (gone.card, gone.bank_file, gone.line) == (None, "beta.yaml", 40)


def test_the_search_reads_every_text_of_a_question_as_the_picker_does(
    store: Store, profile: Profile
) -> None:
    from immunoquiz.banks import bundled_and_extra

    banks, _problems = bundled_and_extra([])
    # "fibroblasts" is only one of a cloze blank's choices; "PD-L1-stained" folds its case
    found = entries(store, profile, banks, T0, Query(search="FIBROBLASTS pd-l1-stained"))
    assert [e.card.card_id for e in found] == ["tnbc/cps-formula-cloze"]
