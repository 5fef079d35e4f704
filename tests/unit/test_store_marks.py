"""Suspended and flagged cards: per profile, saved, and an upgrade from schema 3 keeps progress."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from immunoquiz.store import DB_NAME, MIGRATIONS, Flag, Store
from immunoquiz.store.checkup import checkup

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def test_suspension_is_per_profile_and_survives_reopening(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        anna = store.create_profile("anna", NOW)
        ben = store.create_profile("ben", NOW)
        assert store.suspend(anna, "b/q1", NOW) is True
        assert store.suspend(anna, "b/q1", NOW) is False  # already suspended
    with Store.open(tmp_path) as store:
        anna, ben = store.get_profile("anna"), store.get_profile("ben")
        assert anna and ben
        assert store.suspended(anna) == {"b/q1"}
        assert store.suspended(ben) == set()
        assert store.unsuspend(anna, "b/q1") is True
        assert store.unsuspend(anna, "b/q1") is False
        assert store.suspended(anna) == set()


def test_a_second_flag_replaces_the_note_and_keeps_where_the_item_was(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        anna = store.create_profile("anna", NOW)
        store.flag(anna, Flag("b/q1", "typo", NOW, "banks/b.yaml", 12, "abc"))
        store.flag(anna, Flag("b/q1", "answer B is also right", NOW, "banks/b.yaml", 14, "def"))
        store.flag(anna, Flag("b/q2", "outdated", NOW))
    with Store.open(tmp_path) as store:
        anna = store.get_profile("anna")
        assert anna
        got = store.flags(anna)
        assert [(f.card_id, f.note, f.line) for f in got] == [
            ("b/q1", "answer B is also right", 14),
            ("b/q2", "outdated", None),
        ]
        assert got[0].bank_file == "banks/b.yaml" and got[0].ts == NOW
        assert store.unflag(anna, "b/q1") is True
        assert [f.card_id for f in store.flags(anna)] == ["b/q2"]


@pytest.mark.parametrize(
    ("note", "why"),
    [
        ("x" * 501, "at most 500 characters"),
        ("two\nlines", "control characters"),
        ("  ", "the note is empty"),
    ],
)
def test_an_unusable_note_is_refused_and_nothing_is_saved(
    tmp_path: Path, note: str, why: str
) -> None:
    with Store.open(tmp_path) as store:
        anna = store.create_profile("anna", NOW)
        with pytest.raises(ValueError, match=why):
            store.flag(anna, Flag("b/q1", note, NOW))
        assert store.flags(anna) == []


def test_a_schema_3_file_upgrades_with_its_cards_and_a_backup(tmp_path: Path) -> None:
    v3 = tuple(m for m in MIGRATIONS if m.version <= 3)
    with Store.open(tmp_path, migrations=v3) as store:
        anna = store.create_profile("anna", NOW)
        store.set_setting(anna, "new_per_day", "7")
    with Store.open(tmp_path) as store:
        assert store.migration_backup is not None
        anna = store.get_profile("anna")
        assert anna and store.get_setting(anna, "new_per_day") == "7"
        store.suspend(anna, "b/q1", NOW)
        assert store.suspended(anna) == {"b/q1"}


def test_doctor_names_a_flag_with_an_unreadable_time(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        anna = store.create_profile("anna", NOW)
        store.flag(anna, Flag("b/q1", "typo", NOW))
        store.conn.execute("UPDATE flags SET ts = 'yesterday'")
        assert store.flags(anna) == []
        assert any("flag on b/q1 skipped" in p for p in store.problems)
    with sqlite3.connect(tmp_path / DB_NAME) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    found = checkup(tmp_path / DB_NAME, lambda _state: None)
    assert any("card b/q1: flag time" in p for p in found.problems)
