"""Profile settings: allowed values, refusals that name the range, and their effect on study."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from engine_banks import RIGHT, bank, single

from immunoquiz import scheduling
from immunoquiz.store import Profile, Store
from immunoquiz.study import open_session
from immunoquiz.study import settings as cfg

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.open(tmp_path) as s:
        yield s  # type: ignore[misc]


@pytest.fixture
def profile(store: Store) -> Profile:
    return store.create_profile("anna", T0)


def test_defaults_until_set(store, profile) -> None:
    assert cfg.read_all(store, profile) == {
        "new-per-day": "20",
        "reviews-per-day": "200",
        "retention": "0.90",
        "learn-ahead": "20",
        "theme": "dark",
    }


@pytest.mark.parametrize(
    ("name", "given", "stored"),
    [
        ("new-per-day", " 10 ", "10"),
        ("new_per_day", "0", "0"),
        ("retention", "0.85", "0.85"),
        ("retention", "93%", "0.93"),
        ("learn-ahead", "0", "0"),
        ("theme", "High-Contrast", "high-contrast"),
        ("theme", "immunoquiz-high-contrast", "high-contrast"),  # an earlier build's value
        ("reviews-per-day", "50", "50"),
    ],
)
def test_valid_values_are_stored_normalised(store, profile, name, given, stored) -> None:
    setting = cfg.find(name)
    assert cfg.write(store, profile, setting, given) == stored
    assert cfg.read(store, profile, setting) == stored
    assert store.get_setting(profile, setting.key) == stored


@pytest.mark.parametrize(
    ("name", "given", "message"),
    [
        ("retention", "0.99", "retention: '0.99' is not allowed: use a number from 0.80 to 0.97"),
        ("retention", "0.5", "from 0.80 to 0.97"),
        ("retention", "nan", "from 0.80 to 0.97"),
        ("new-per-day", "-1", "new-per-day: '-1' is not allowed: use a whole number from 0 to 500"),
        ("new-per-day", "2.5", "a whole number from 0 to 500"),
        ("reviews-per-day", "0", "a whole number from 1 to 9999"),
        ("learn-ahead", "ten", "a whole number from 0 to 120"),
        ("theme", "pink", "theme: 'pink' is not allowed: use one of dark, light, high-contrast"),
    ],
)
def test_invalid_values_are_refused_with_the_range(store, profile, name, given, message) -> None:
    setting = cfg.find(name)
    with pytest.raises(cfg.SettingError, match=message.replace(".", r"\.")):
        cfg.write(store, profile, setting, given)
    assert store.get_setting(profile, setting.key) is None, "nothing stored"


def test_unknown_setting_lists_the_known_ones() -> None:
    with pytest.raises(cfg.SettingError, match="unknown setting 'colour': use one of new-per-day"):
        cfg.find("colour")


def test_a_bad_stored_value_reads_as_the_default(store, profile) -> None:
    store.set_setting(profile, "desired_retention", "2")
    assert cfg.read(store, profile, cfg.RETENTION) == "0.90"


class Clock:
    def __init__(self) -> None:
        self.t = T0

    def __call__(self) -> datetime:
        return self.t


def test_review_limit_holds_back_earlier_cards_but_not_todays(store, profile) -> None:
    clock = Clock()
    banks = [bank("b", "checkpoints", [single(f"q{n}") for n in range(4)])]
    first = open_session(store, profile, banks, now=clock, tz=UTC, seed=1)
    while (card := first.next()) is not None:
        first.answer(card, RIGHT, 1.0)
    clock.t = T0 + timedelta(days=40)  # all four due again
    cfg.write(store, profile, cfg.REVIEWS_PER_DAY, "3")
    later = open_session(store, profile, banks, now=clock, tz=UTC, seed=1)
    assert later.counts().due == 3
    served = 0
    while (card := later.next()) is not None:
        later.answer(card, RIGHT, 1.0)
        served += 1
    assert served == 3, "the fourth waits for tomorrow"
    clock.t += timedelta(days=1)
    assert open_session(store, profile, banks, now=clock, tz=UTC).counts().due >= 1


def test_retention_setting_changes_the_interval(store, profile) -> None:
    banks = [bank("b", "checkpoints", [single("q0")])]
    intervals = {}
    for value in ("0.80", "0.97"):
        cfg.write(store, profile, cfg.RETENTION, value)
        s = open_session(store, profile, banks, now=Clock(), tz=UTC, seed=1)
        assert s.scheduler.desired_retention == float(value)
        before = scheduling.new_card(T0)
        after, _ = scheduling.review(s.scheduler, before, scheduling.Rating.Good, T0, 1.0)
        after, _ = scheduling.review(s.scheduler, after, scheduling.Rating.Good, after.due, 1.0)
        intervals[value] = after.due
    assert intervals["0.80"] > intervals["0.97"], "lower retention, longer intervals"


def cli(data: Path, *args: str, capsys) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    from immunoquiz.cli import main

    code = main(["settings", "--data-dir", str(data), "--profile", "anna", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_settings_command_shows_sets_and_refuses(tmp_path: Path, capsys) -> None:
    data = tmp_path / "cli"
    code, out, err = cli(data, "--set", "new-per-day=10", "--set", "retention=0.85", capsys=capsys)
    assert code == 0, err
    assert "new-per-day      10" in out and "retention        0.85" in out
    code, out, err = cli(data, "--set", "retention=0.99", "--set", "theme=light", capsys=capsys)
    assert code == 2 and out == ""
    assert err == ("immunoquiz: retention: '0.99' is not allowed: use a number from 0.80 to 0.97\n")
    code, out, err = cli(data, capsys=capsys)
    assert code == 0
    assert "retention        0.85" in out and "theme            dark" in out, "all or nothing"
    code, out, err = cli(data, "--set", "colour=red", capsys=capsys)
    assert code == 2 and "unknown setting 'colour'" in err
    code, out, err = cli(data, "--set", "retention", capsys=capsys)
    assert code == 2 and "write it as NAME=VALUE" in err
