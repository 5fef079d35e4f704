"""The progress store: a file that is ours is opened; anything else is refused untouched."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from immunoquiz.responses import Score, SingleResponse
from immunoquiz.store import DB_NAME, SCHEMA_VERSION, ReviewEntry, Store, StoreError

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
FULL = Score(1, 1, "correct/incorrect")


def _make_store_with_data(tmp_path: Path) -> Path:
    with Store.open(tmp_path) as store:
        store.create_profile("anna", NOW)
        store.create_profile("ben", NOW)
    return tmp_path / DB_NAME


def test_new_store_is_wal_at_current_schema(tmp_path: Path) -> None:
    with Store.open(tmp_path / "nested" / "dir") as store:
        assert store.path == tmp_path / "nested" / "dir" / DB_NAME
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        assert store.integrity_check() == ["ok"]


def test_profiles_are_shared_per_file_and_names_are_case_insensitive(tmp_path: Path) -> None:
    _make_store_with_data(tmp_path)
    with Store.open(tmp_path) as store:
        assert [p.name for p in store.profiles()] == ["anna", "ben"]
        assert store.get_profile("ANNA") == store.get_profile("anna")
        assert store.get_profile("carla") is None
        with pytest.raises(ValueError, match="already exists"):
            store.create_profile("Anna")
        with pytest.raises(ValueError, match="empty"):
            store.create_profile("   ")
        with pytest.raises(ValueError, match="control"):
            store.create_profile("a\x1b[31m")


def test_settings_per_profile(tmp_path: Path) -> None:
    _make_store_with_data(tmp_path)
    with Store.open(tmp_path) as store:
        anna, ben = store.get_profile("anna"), store.get_profile("ben")
        assert anna and ben
        store.set_setting(anna, "new_limit", "5")
        store.set_setting(anna, "new_limit", "7")
        assert store.get_setting(anna, "new_limit") == "7"
        assert store.get_setting(ben, "new_limit", "20") == "20"


def test_review_log_refuses_delete_and_rewrite(tmp_path: Path) -> None:
    _make_store_with_data(tmp_path)
    with Store.open(tmp_path) as store:
        anna = store.get_profile("anna")
        assert anna
        with store.write(anna) as tx:
            rid = tx.review(
                ReviewEntry("b/i", "s", NOW, "study", SingleResponse(0), FULL, 2000, 3),
                state="{}", due=NOW,
            )  # fmt: skip
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.conn.execute("DELETE FROM reviews")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.conn.execute("UPDATE reviews SET points = 0")
        assert store.undo(anna, rid) == "restored"
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.conn.execute("UPDATE reviews SET undone = 0")
        row = store.review(rid)
        assert row and row.undone and row.points == 1 and row.duration_ms == 2000


def test_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    _make_store_with_data(tmp_path)
    with Store.open(tmp_path) as store:
        with pytest.raises(RuntimeError), store.transaction() as conn:
            conn.execute("INSERT INTO profiles (name, created) VALUES ('carla', 'x')")
            raise RuntimeError("boom")
        assert store.get_profile("carla") is None


def _bytes(path: Path) -> bytes:
    return path.read_bytes()


@pytest.mark.parametrize(
    "damage",
    ["random", "truncated-half", "truncated-header", "text"],
)
def test_damaged_file_is_reported_and_left_untouched(tmp_path: Path, damage: str) -> None:
    path = _make_store_with_data(tmp_path)
    with sqlite3.connect(path) as conn:  # fold the WAL in, so the file holds everything
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    good = path.read_bytes()
    if damage == "random":
        path.write_bytes(os.urandom(len(good)))
    elif damage == "truncated-half":
        path.write_bytes(good[: len(good) // 2])
    elif damage == "truncated-header":
        path.write_bytes(good[:60])
    else:
        path.write_text("my notes, not a database\n")
    before = _bytes(path)
    with pytest.raises(StoreError) as info:
        Store.open(tmp_path)
    assert str(path) in str(info.value)
    assert "untouched" in str(info.value)
    assert _bytes(path) == before


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not an immunoquiz progress file"):
        Store.open(tmp_path)
    assert path.read_bytes() == before


def test_backup_is_a_consistent_standalone_copy(tmp_path: Path) -> None:
    _make_store_with_data(tmp_path / "data")
    with Store.open(tmp_path / "data") as store:
        info = store.backup(tmp_path / "copy.sqlite3")
    dest = info.path
    assert (info.profiles, info.reviews) == (2, 0)
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["copy.sqlite3"]
    with _open_copy(dest) as copy:
        assert [p.name for p in copy.profiles()] == ["anna", "ben"]
        assert copy.integrity_check() == ["ok"]


def _open_copy(dest: Path) -> Store:
    folder = dest.parent / "restored"
    folder.mkdir()
    (folder / DB_NAME).write_bytes(dest.read_bytes())
    return Store.open(folder)


def test_exam_answers_are_logged_but_are_not_reviews(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    ann = store.create_profile("Ann")
    when = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    for points in (0, 1, 0):  # an exam answer changed twice before submitting
        score = Score(points, 1, "correct/incorrect")
        store.log(ann, ReviewEntry("b/q", "s", when, "exam", SingleResponse(1), score, 3000))
    assert len(store.reviews(ann)) == 3
    assert store.activity_totals(ann) == (0, 0)
    store.close()
