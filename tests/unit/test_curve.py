"""The default forgetting curve statistics use: fsrs's own, whether worked out or cached."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Card, State

from immunoquiz import scheduling
from immunoquiz.study import curve


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("IMMUNOQUIZ_CACHE", str(tmp_path))
    return tmp_path


def test_the_cached_curve_is_the_one_fsrs_gives(cache: Path) -> None:
    expected = scheduling.recall_parameters(scheduling.make_scheduler())
    assert curve.default_curve() == expected  # worked out, then written
    [entry] = (cache / "fsrs").iterdir()
    assert curve.default_curve() == expected  # read back, to the last bit
    entry.write_text("-0.5 0.25\n", "ascii")
    assert curve.default_curve() == (-0.5, 0.25)  # proof that the entry is what is read


@pytest.mark.parametrize("damage", ["", "x y", "-0.1", "0.2 0.3", "nan nan", "\xff\xfe"])
def test_a_damaged_entry_is_worked_out_again(cache: Path, damage: str) -> None:
    expected = curve.default_curve()
    [entry] = (cache / "fsrs").iterdir()
    entry.write_bytes(damage.encode("latin-1"))
    assert curve.default_curve() == expected
    assert entry.read_text("ascii") == f"{expected[0]!r} {expected[1]!r}\n"


def test_an_unwritable_cache_still_gives_the_curve(cache: Path) -> None:
    (cache / "fsrs").write_text("a file where the folder would be")
    assert curve.default_curve() == scheduling.recall_parameters(scheduling.make_scheduler())


def test_the_curve_is_fsrs_retrievability_for_many_days_and_stabilities() -> None:
    scheduler = scheduling.make_scheduler()
    decay, factor = curve.default_curve()
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    for stability in (0.1, 0.5, 1.0, 2.3, 7.0, 30.0, 365.0, 3650.0):
        for days in (0, 1, 2, 3, 5, 10, 30, 100, 1000):
            card = Card(
                card_id=1, state=State.Review, step=None, stability=stability, difficulty=5.0,
                due=now, last_review=now - timedelta(days=days, hours=3),
            )  # fmt: skip
            fsrs_value = scheduler.get_card_retrievability(card, current_datetime=now)
            assert (1 + factor * days / stability) ** decay == pytest.approx(fsrs_value, rel=1e-12)
