"""The progress schema and its forward migrations, versioned by `PRAGMA user_version`.

To change the schema, append a Migration; never edit one that has shipped. Each
migration runs in its own transaction (SQLite DDL is transactional), so a failed
one leaves the file at the previous version. Before migrating a file that
already holds data, a copy is written to `backups/` beside it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from immunoquiz.store.db import APPLICATION_ID, StoreError, backup_to


@dataclass(frozen=True, slots=True)
class Migration:
    version: int  # the user_version after it has run
    summary: str
    statements: tuple[str, ...]  # run one by one: executescript would commit early


# The review log's indexes and append-only triggers: migration 2 rebuilds the table
# and must put back exactly what migration 1 made.
_REVIEW_LOG_GUARDS = (
    "CREATE INDEX reviews_profile_ts ON reviews (profile_id, ts)",
    "CREATE INDEX reviews_card ON reviews (profile_id, card_id, id)",
    """CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
        BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END""",
    """CREATE TRIGGER reviews_no_rewrite BEFORE UPDATE ON reviews
        WHEN NEW.id IS NOT OLD.id OR NEW.profile_id IS NOT OLD.profile_id
          OR NEW.card_id IS NOT OLD.card_id OR NEW.session IS NOT OLD.session
          OR NEW.ts IS NOT OLD.ts OR NEW.mode IS NOT OLD.mode
          OR NEW.response IS NOT OLD.response OR NEW.points IS NOT OLD.points
          OR NEW.max IS NOT OLD.max OR NEW.rule IS NOT OLD.rule
          OR NEW.duration_s IS NOT OLD.duration_s OR NEW.rating IS NOT OLD.rating
          OR NEW.prev_state IS NOT OLD.prev_state OR NEW.prev_due IS NOT OLD.prev_due
          OR NEW.prev_introduced IS NOT OLD.prev_introduced
          OR NEW.prev_review_id IS NOT OLD.prev_review_id
          OR NEW.undone < OLD.undone
        BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END""",
)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "profiles, settings, card states and the append-only review log",
        (
            """CREATE TABLE profiles (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                created TEXT NOT NULL
            )""",
            """CREATE TABLE settings (
                profile_id INTEGER NOT NULL REFERENCES profiles(id),
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (profile_id, key)
            ) WITHOUT ROWID""",
            # One row per card a profile has studied (a card is `bank.id/item.id`).
            # `state` is the fsrs card as JSON; `due` repeats its due time for the index.
            # `review_id` is the review that produced this state, so an undo can check
            # that nobody reviewed the card since.
            """CREATE TABLE cards (
                profile_id INTEGER NOT NULL REFERENCES profiles(id),
                card_id TEXT NOT NULL,
                state TEXT NOT NULL,
                due TEXT NOT NULL,
                introduced TEXT NOT NULL,
                review_id INTEGER,
                PRIMARY KEY (profile_id, card_id)
            ) WITHOUT ROWID""",
            "CREATE INDEX cards_due ON cards (profile_id, due)",
            "CREATE INDEX cards_introduced ON cards (profile_id, introduced)",
            # The learner's history. Rows are only ever appended; undo sets `undone`.
            # `prev_state`/`prev_review_id`/`prev_due`/`prev_introduced` are the card row
            # before this review (NULL: the card was new), which is what undo restores.
            """CREATE TABLE reviews (
                id INTEGER PRIMARY KEY,
                profile_id INTEGER NOT NULL REFERENCES profiles(id),
                card_id TEXT NOT NULL,
                session TEXT NOT NULL,
                ts TEXT NOT NULL,
                mode TEXT NOT NULL CHECK (mode IN ('study', 'practice')),
                response TEXT NOT NULL,
                points REAL NOT NULL,
                max REAL NOT NULL,
                rule TEXT NOT NULL,
                duration_s REAL,
                rating INTEGER,
                undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1)),
                prev_state TEXT,
                prev_due TEXT,
                prev_introduced TEXT,
                prev_review_id INTEGER
            )""",
            *_REVIEW_LOG_GUARDS,
            f"PRAGMA application_id = {APPLICATION_ID}",
        ),
    ),
    # SQLite cannot alter a CHECK constraint: the log is copied into a new table
    # whose CHECK also allows 'exam' (answers given in `immunoquiz exam`, logged
    # without scheduling). Ids are kept, so undo and prev_review_id links hold.
    # DROP TABLE does not fire the no-delete trigger; triggers and indexes are
    # recreated on the new table exactly as before.
    Migration(
        2,
        "the review log also records exam answers (mode 'exam')",
        (
            "ALTER TABLE reviews RENAME TO reviews_v1",
            """CREATE TABLE reviews (
                id INTEGER PRIMARY KEY,
                profile_id INTEGER NOT NULL REFERENCES profiles(id),
                card_id TEXT NOT NULL,
                session TEXT NOT NULL,
                ts TEXT NOT NULL,
                mode TEXT NOT NULL CHECK (mode IN ('study', 'practice', 'exam')),
                response TEXT NOT NULL,
                points REAL NOT NULL,
                max REAL NOT NULL,
                rule TEXT NOT NULL,
                duration_s REAL,
                rating INTEGER,
                undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1)),
                prev_state TEXT,
                prev_due TEXT,
                prev_introduced TEXT,
                prev_review_id INTEGER
            )""",
            "INSERT INTO reviews SELECT * FROM reviews_v1 ORDER BY id",
            "DROP TABLE reviews_v1",
            *_REVIEW_LOG_GUARDS,
        ),
    ),
)

SCHEMA_VERSION = MIGRATIONS[-1].version


def migrate(
    conn: sqlite3.Connection,
    path: Path,
    migrations: Sequence[Migration] = MIGRATIONS,
    *,
    now: datetime | None = None,
) -> Path | None:
    """Bring the file up to the newest version; returns the pre-migration backup, if any.

    Safe against a second process migrating at the same time: each step re-reads
    the version inside its write transaction.
    """
    refuse_newer(conn, path, migrations)
    target = migrations[-1].version if migrations else 0
    current = _version(conn)
    if current == target:
        return None
    backup: Path | None = None
    if current > 0:
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
        folder = path.parent / "backups"
        backup = folder / f"{path.stem}-v{current}-before-v{target}-{stamp}.sqlite3"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{folder}: cannot create the backup folder: {exc}") from exc
        backup_to(conn, backup)
    for migration in migrations:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if _version(conn) >= migration.version:
                conn.execute("ROLLBACK")
                continue
            for statement in migration.statements:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {int(migration.version)}")
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise StoreError(
                f"{path}: upgrading the progress file to schema {migration.version} failed "
                f"({exc}); it is still at schema {_version(conn)}"
            ) from exc
    return backup


def refuse_newer(conn: sqlite3.Connection, path: Path, migrations: Sequence[Migration]) -> None:
    """StoreError if the file was written by a newer immunoquiz (checked before any write)."""
    target = migrations[-1].version if migrations else 0
    current = _version(conn)
    if current > target:
        raise StoreError(
            f"{path}: written by a newer immunoquiz (schema {current}, this version "
            f"knows up to {target}); it was left untouched: upgrade immunoquiz"
        )


def _version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])
