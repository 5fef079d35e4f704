"""Schema versions move forward only, one transaction per step, with a copy kept first."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from immunoquiz.responses import Score, SingleResponse
from immunoquiz.store import (
    DB_NAME,
    MIGRATIONS,
    SCHEMA_VERSION,
    Migration,
    ReviewEntry,
    Store,
    StoreError,
)

NEXT = Migration(
    SCHEMA_VERSION + 1,
    "test: a notes column",
    ("ALTER TABLE profiles ADD COLUMN note TEXT NOT NULL DEFAULT ''",),
)
BROKEN = Migration(
    SCHEMA_VERSION + 1,
    "test: fails half way",
    ("CREATE TABLE extra (x INTEGER)", "ALTER TABLE no_such_table ADD COLUMN y"),
)


def _version(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])


def test_every_migration_has_the_next_version() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))


def test_a_new_file_needs_no_backup(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        assert store.migration_backup is None
    assert not (tmp_path / "backups").exists()


def test_upgrade_keeps_data_and_a_copy_of_the_old_file(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.create_profile("anna")
    with Store.open(tmp_path, migrations=(*MIGRATIONS, NEXT)) as store:
        backup = store.migration_backup
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
        assert store.conn.execute("SELECT name, note FROM profiles").fetchall() == [("anna", "")]
    assert backup is not None and backup.parent == tmp_path / "backups"
    assert f"v{SCHEMA_VERSION}-before-v{SCHEMA_VERSION + 1}" in backup.name
    assert _version(backup) == SCHEMA_VERSION
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT name FROM profiles").fetchall() == [("anna",)]
    # Reopening at the same version migrates nothing and copies nothing more.
    with Store.open(tmp_path, migrations=(*MIGRATIONS, NEXT)) as store:
        assert store.migration_backup is None
    assert len(list((tmp_path / "backups").iterdir())) == 1


def test_failed_migration_rolls_back_to_the_previous_version(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.create_profile("anna")
    with pytest.raises(StoreError, match=f"still at schema {SCHEMA_VERSION}"):
        Store.open(tmp_path, migrations=(*MIGRATIONS, BROKEN))
    path = tmp_path / DB_NAME
    assert _version(path) == SCHEMA_VERSION
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "extra" not in tables
    with Store.open(tmp_path) as store:
        assert [p.name for p in store.profiles()] == ["anna"]


def test_file_from_a_newer_version_is_left_alone(tmp_path: Path) -> None:
    with Store.open(tmp_path, migrations=(*MIGRATIONS, NEXT)):
        pass
    path = tmp_path / DB_NAME
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer immunoquiz"):
        Store.open(tmp_path)
    assert path.read_bytes() == before


def test_schema_5_counts_the_answers_already_logged_per_day(tmp_path: Path) -> None:
    start = datetime(2026, 11, 27, 23, 50, tzinfo=UTC)
    with Store.open(tmp_path, migrations=MIGRATIONS[:4]) as store:
        ann = store.create_profile("Ann", start)
        ids = []
        for n, mode in enumerate(["practice", "practice", "exam", "practice", "practice"]):
            score = Score(float(n % 2), 1, "correct/incorrect")
            entry = ReviewEntry(
                f"b/q{n}", "s", start + timedelta(minutes=7 * n), mode,  # type: ignore[arg-type]
                SingleResponse(0), score, 1000,
            )  # fmt: skip
            ids.append(store.log(ann, entry))
        store.undo(ann, ids[3])
    with Store.open(tmp_path) as store:
        # Two answers on the 27th (one right), one on the 28th; the exam and undone ones not.
        assert store.activity_totals(ann) == (3, 1)
        assert store.conn.execute(
            "SELECT day, answers, full FROM activity_days WHERE answers > 0 ORDER BY day"
        ).fetchall() == [("2026-11-27", 2, 1), ("2026-11-28", 1, 0)]
