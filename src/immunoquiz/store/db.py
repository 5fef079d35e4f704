"""Opening the progress file safely: refuse anything that is not ours, touch nothing broken.

The order matters. A file that exists is first sniffed (SQLite magic header),
then read-only checked with `PRAGMA quick_check`; only a file that passes is
switched to WAL or migrated. A broken file is reported with its path and left
byte-for-byte as it was: the learner's history may still be recoverable from it.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

DB_NAME = "progress.sqlite3"
SQLITE_MAGIC = b"SQLite format 3\x00"
# "IMMQ": marks the file as an immunoquiz progress store, so another program's
# database is refused rather than migrated.
APPLICATION_ID = 0x494D4D51
# How long a writer waits for another process's transaction before giving up.
BUSY_TIMEOUT_MS = 15_000


class StoreError(Exception):
    """A progress file that cannot be used; the message names the path and says why."""


def to_db(when: datetime) -> str:
    """A fixed-width UTC text that sorts in time order (SQLite compares it as text)."""
    if when.tzinfo is None:
        raise ValueError(f"naive datetime {when.isoformat()} cannot be stored")
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_db(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def sniff(path: Path) -> None:
    """Refuse a non-empty file that does not start with the SQLite header."""
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the progress file: {exc.strerror or exc}") from exc
    if head and head != SQLITE_MAGIC:
        raise StoreError(
            f"{path}: not a progress database (not an SQLite file); "
            "it was left untouched: move it away or restore a backup"
        )


def connect(path: Path) -> sqlite3.Connection:
    """An autocommit connection (we issue BEGIN/COMMIT ourselves) with a busy timeout.

    Nothing here writes to the file.
    """
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open the progress file: {exc}") from exc
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def quick_check(conn: sqlite3.Connection, path: Path) -> None:
    """Read-only structural check; StoreError (file untouched) if it fails."""
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"{path}: the progress database is damaged ({exc}); "
            "it was left untouched: restore a backup (immunoquiz backup) or move it away"
        ) from exc
    if [r[0] for r in rows] != ["ok"]:
        first = rows[0][0] if rows else "no result"
        raise StoreError(
            f"{path}: the progress database failed its integrity check ({first}); "
            "it was left untouched: restore a backup or move it away"
        )


def check_ours(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse an SQLite database that belongs to another program."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app_id == APPLICATION_ID:
        return
    if app_id != 0:
        raise StoreError(f"{path}: an SQLite database of another program; left untouched")
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if tables or version:
        raise StoreError(
            f"{path}: an SQLite database that is not an immunoquiz progress file; left untouched"
        )


def configure(conn: sqlite3.Connection, path: Path) -> None:
    """Settings applied once the file is known to be good (WAL writes the header)."""
    try:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    except sqlite3.OperationalError as exc:
        raise StoreError(f"{path}: cannot use the progress file: {exc}") from exc
    if str(mode).lower() != "wal":
        raise StoreError(f"{path}: cannot switch the progress file to WAL mode (got {mode})")
    # FULL: a commit is on disk before the learner sees feedback, even across a power cut.
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")


def backup_to(conn: sqlite3.Connection, dest: Path) -> None:
    """A consistent copy with SQLite's backup API, written beside `dest` then renamed.

    The rename means a reader never sees a half-written backup.
    """
    tmp = dest.with_name(dest.name + ".partial")
    tmp.unlink(missing_ok=True)
    try:
        target = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.backup(target)
            ok = target.execute("PRAGMA quick_check").fetchone()[0]
            # The copy is a standalone file: no -wal beside it.
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
        if ok != "ok":
            raise StoreError(f"{dest}: the backup copy failed its check ({ok})")
        tmp.replace(dest)
    except (sqlite3.Error, OSError) as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"{dest}: cannot write the backup: {exc}") from exc
