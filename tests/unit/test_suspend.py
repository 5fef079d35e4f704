"""A suspended card is never served nor counted; unsuspending resumes its schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from engine_banks import RIGHT, two_topics

from immunoquiz import scheduling
from immunoquiz.store import Profile, Store
from immunoquiz.study import Session, open_session, overview, stats

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def _session(store: Store, profile: Profile, now: datetime, mode: str = "study") -> Session:
    return open_session(
        store, profile, two_topics(), mode=mode, now=lambda: now, tz=UTC,  # type: ignore[arg-type]
        scheduler=scheduling.make_scheduler(fuzz=False), seed=7, new_limit=20,
    )  # fmt: skip


def _served(s: Session) -> list[str]:
    out: list[str] = []
    while (card := s.next()) is not None:
        out.append(card.card_id)
        s.answer(card, RIGHT, 2.0)
        assert len(out) < 50
    return out


def test_a_suspended_new_card_is_neither_served_nor_counted(store: Store, profile: Profile) -> None:
    store.suspend(profile, "alpha/a1", T0)
    s = _session(store, profile, T0)
    assert s.counts().new == 6
    assert "alpha/a1" not in _served(s)
    practice = _session(store, profile, T0, "practice")
    assert practice.counts().new == 6
    assert "alpha/a1" not in _served(practice)
    alpha = overview(store, profile, two_topics(), T0)[0]
    assert (alpha.new, alpha.total) == (0, 4)  # three studied, one suspended


def test_unsuspending_brings_a_card_back_on_its_own_schedule(
    store: Store, profile: Profile
) -> None:
    _served(_session(store, profile, T0))  # everything studied once: Good, due in 10 minutes
    due_before = store.cards(profile)["beta/b1"].due
    store.suspend(profile, "beta/b1", T0)
    later = T0 + timedelta(hours=1)
    s = _session(store, profile, later)
    assert s.counts().due == 6
    assert "beta/b1" not in _served(s)
    assert stats(store, profile, two_topics(), later, tz=UTC).due_now == 0
    # Nothing about the suspended card moved while it waited.
    assert store.cards(profile)["beta/b1"].due == due_before
    store.unsuspend(profile, "beta/b1")
    assert stats(store, profile, two_topics(), later, tz=UTC).due_now == 1
    s = _session(store, profile, later)
    assert s.counts().due == 1
    assert _served(s) == ["beta/b1"]
