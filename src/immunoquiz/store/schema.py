"""The progress schema and its forward migrations, versioned by `PRAGMA user_version`.

To change the schema, append a Migration; never edit one that has shipped. An
upgrade runs in one transaction (SQLite DDL is transactional), so a failed one
leaves the file at its previous version. Before migrating a file that already
holds data, a verified copy is written to `backups/` beside it.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from immunoquiz.records import dataclass
from immunoquiz.store.backups import backup_to
from immunoquiz.store.db import APPLICATION_ID
from immunoquiz.store.errors import StoreError, from_sqlite_error, one_line


@dataclass(frozen=True, slots=True)
class Migration:
    version: int  # the user_version after it has run
    summary: str
    statements: tuple[str, ...]  # run one by one: executescript would commit early


# The review log's append-only guard against rewriting a row (undo may only set `undone`).
_NO_REWRITE = """CREATE TRIGGER reviews_no_rewrite BEFORE UPDATE ON reviews
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
        BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END"""

# The review log's indexes and append-only triggers: migration 2 rebuilds the table
# and must put back exactly what migration 1 made.
_REVIEW_LOG_GUARDS = (
    "CREATE INDEX reviews_profile_ts ON reviews (profile_id, ts)",
    "CREATE INDEX reviews_card ON reviews (profile_id, card_id, id)",
    """CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
        BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END""",
    _NO_REWRITE,
)

# SQL pieces shared by migration 3 and the store's writes (store/cards.py, store/reviews.py).
# The 15-minute slot of a stored time: every time zone's offset is a multiple of 15
# minutes, so each slot lies within one local day.
_SLOT = "substr({ts}, 1, 14) || printf('%02d', (CAST(substr({ts}, 15, 2) AS INTEGER) / 15) * 15)"
_FULL = "({r}.max > 0 AND {r}.points >= {r}.max)"
_COUNTED_MODES = "('study', 'practice')"  # an exam answer is not a review
STABILITY_SQL = "CASE WHEN json_valid({state}) THEN json_extract({state}, '$.stability') END"
LAST_REVIEW_DAY_SQL = (
    "CASE WHEN json_valid({state}) THEN julianday(json_extract({state}, '$.last_review')) END"
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
    # Durations in whole milliseconds (what fsrs's ReviewLog takes); the old seconds
    # column stays for rows written before. Cards carry their FSRS stability and
    # last review (a julian day) as columns, and answers per 15-minute slot are
    # kept up to date by triggers, so statistics need no JSON parsing and no scan
    # of the whole log (see study/statistics.py for the query plans).
    Migration(
        3,
        "durations in milliseconds; stability and activity kept for fast statistics",
        (
            "ALTER TABLE reviews ADD COLUMN duration_ms INTEGER",
            "UPDATE reviews SET duration_ms = max(0, CAST(round(duration_s * 1000) AS INTEGER))"
            " WHERE duration_s IS NOT NULL",
            "DROP TRIGGER reviews_no_rewrite",
            _NO_REWRITE.replace(
                "OR NEW.undone", "OR NEW.duration_ms IS NOT OLD.duration_ms OR NEW.undone"
            ),
            "ALTER TABLE cards ADD COLUMN stability REAL",
            "ALTER TABLE cards ADD COLUMN last_review_day REAL",
            f"UPDATE cards SET stability = {STABILITY_SQL.format(state='state')},"
            f" last_review_day = {LAST_REVIEW_DAY_SQL.format(state='state')}",
            """CREATE TABLE activity (
                profile_id INTEGER NOT NULL REFERENCES profiles(id),
                slot TEXT NOT NULL,
                answers INTEGER NOT NULL,
                full INTEGER NOT NULL,
                PRIMARY KEY (profile_id, slot)
            ) WITHOUT ROWID""",
            f"INSERT INTO activity SELECT profile_id, {_SLOT.format(ts='ts')} AS s, count(*),"
            f" sum({_FULL.format(r='reviews')}) FROM reviews"
            f" WHERE undone = 0 AND mode IN {_COUNTED_MODES} GROUP BY profile_id, s",
            f"""CREATE TRIGGER activity_add AFTER INSERT ON reviews
                WHEN NEW.undone = 0 AND NEW.mode IN {_COUNTED_MODES}
                BEGIN
                  INSERT INTO activity (profile_id, slot, answers, full)
                  VALUES (NEW.profile_id, {_SLOT.format(ts="NEW.ts")}, 1,
                          {_FULL.format(r="NEW")})
                  ON CONFLICT (profile_id, slot) DO UPDATE
                  SET answers = answers + 1, full = full + excluded.full;
                END""",
            f"""CREATE TRIGGER activity_undo AFTER UPDATE OF undone ON reviews
                WHEN NEW.undone = 1 AND OLD.undone = 0 AND NEW.mode IN {_COUNTED_MODES}
                BEGIN
                  UPDATE activity SET answers = answers - 1,
                    full = full - ({_FULL.format(r="NEW")})
                  WHERE profile_id = NEW.profile_id AND slot = {_SLOT.format(ts="NEW.ts")};
                END""",
        ),
    ),
    # Per-profile marks a learner puts on a card from the browser: suspended (never
    # served; its schedule in `cards` is left as it was, so unsuspending resumes it)
    # and flagged (a problem to report, with a short note). A flag keeps the bank file,
    # the item's line and the bank's content hash as they were when flagged, so the
    # report still names the place after the bank has moved on or dropped the item.
    Migration(
        4,
        "suspended cards and problem flags, per profile",
        (
            """CREATE TABLE suspended (
                profile_id INTEGER NOT NULL REFERENCES profiles(id),
                card_id TEXT NOT NULL,
                since TEXT NOT NULL,
                PRIMARY KEY (profile_id, card_id)
            ) WITHOUT ROWID""",
            """CREATE TABLE flags (
                profile_id INTEGER NOT NULL REFERENCES profiles(id),
                card_id TEXT NOT NULL,
                note TEXT NOT NULL,
                ts TEXT NOT NULL,
                bank_file TEXT,
                line INTEGER,
                bank_hash TEXT,
                PRIMARY KEY (profile_id, card_id)
            ) WITHOUT ROWID""",
        ),
    ),
    # Answers per UTC day, kept by triggers beside the 15-minute slots of migration 3: the
    # all-time totals of `stats` then add up one row per day studied, not one per slot.
    Migration(
        5,
        "answers per day kept for the all-time totals",
        (
            """CREATE TABLE activity_days (
                profile_id INTEGER NOT NULL REFERENCES profiles(id),
                day TEXT NOT NULL,
                answers INTEGER NOT NULL,
                full INTEGER NOT NULL,
                PRIMARY KEY (profile_id, day)
            ) WITHOUT ROWID""",
            "INSERT INTO activity_days SELECT profile_id, substr(slot, 1, 10) AS d, sum(answers),"
            " sum(full) FROM activity GROUP BY profile_id, d",
            f"""CREATE TRIGGER activity_days_add AFTER INSERT ON reviews
                WHEN NEW.undone = 0 AND NEW.mode IN {_COUNTED_MODES}
                BEGIN
                  INSERT INTO activity_days (profile_id, day, answers, full)
                  VALUES (NEW.profile_id, substr(NEW.ts, 1, 10), 1, {_FULL.format(r="NEW")})
                  ON CONFLICT (profile_id, day) DO UPDATE
                  SET answers = answers + 1, full = full + excluded.full;
                END""",
            f"""CREATE TRIGGER activity_days_undo AFTER UPDATE OF undone ON reviews
                WHEN NEW.undone = 1 AND OLD.undone = 0 AND NEW.mode IN {_COUNTED_MODES}
                BEGIN
                  UPDATE activity_days SET answers = answers - 1,
                    full = full - ({_FULL.format(r="NEW")})
                  WHERE profile_id = NEW.profile_id AND day = substr(NEW.ts, 1, 10);
                END""",
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

    Exactly one process upgrades: the check, the copy and every step run inside ONE
    `BEGIN IMMEDIATE` transaction (the write lock), so another process opening the
    same old file waits (busy timeout), then finds it upgraded and does nothing.
    A failure rolls everything back: the file stays at its old version.
    """
    refuse_newer(conn, path, migrations)
    target = migrations[-1].version if migrations else 0
    if _version(conn) == target:
        return None
    started = time.monotonic()
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise from_sqlite_error(
            exc, path, "cannot upgrade the progress file", waited_s=time.monotonic() - started
        ) from exc
    try:
        backup = _migrate_locked(conn, path, migrations, now)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return backup


def _migrate_locked(
    conn: sqlite3.Connection, path: Path, migrations: Sequence[Migration], now: datetime | None
) -> Path | None:
    refuse_newer(conn, path, migrations)  # another process may have upgraded meanwhile
    target = migrations[-1].version if migrations else 0
    current = _version(conn)
    if current == target:
        return None
    backup: Path | None = None
    if current > 0:
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
        name = f"{path.stem}-v{current}-before-v{target}-{stamp}.sqlite3"
        backup = backup_to(path, path.parent / "backups" / name).path
    for migration in migrations:
        if migration.version <= current:
            continue
        try:
            for statement in migration.statements:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {int(migration.version)}")
        except sqlite3.Error as exc:
            raise StoreError(
                f"{path}: upgrading the progress file to schema {migration.version} failed "
                f"({one_line(exc)}); it is still at schema {current}",
                path=path,
            ) from exc
    return backup


def refuse_newer(conn: sqlite3.Connection, path: Path, migrations: Sequence[Migration]) -> None:
    """StoreError if the file was written by a newer immunoquiz (checked before any write)."""
    target = migrations[-1].version if migrations else 0
    current = _version(conn)
    if current > target:
        raise StoreError(
            f"{path}: written by a newer immunoquiz (schema {current}, this version "
            f"knows up to {target}); it was left untouched: upgrade immunoquiz",
            path=path,
            cause="newer",
        )


def _version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])
