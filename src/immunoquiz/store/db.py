"""Opening the progress file safely: refuse anything that is not ours, touch nothing broken.

The order matters. The path must be a regular file (a FIFO would hang the open).
A file that holds anything (non-empty, or with a `-wal` beside it) is sniffed
(SQLite magic header), then checked on a READ-ONLY connection (`mode=ro`: it
reads the WAL but never checkpoints it into the file); only a file that passed
is opened for writing, switched to WAL or migrated. A refused file is reported
with its path and left byte-for-byte as it was, `-wal` included: the learner's
history may still be recoverable from it.

`immutable=1` is not used for the checks: it ignores the WAL, so a file whose
data is still only in its WAL would look empty.
"""

from __future__ import annotations

import contextlib
import math
import os
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from immunoquiz.special_files import special_file_reason
from immunoquiz.store.errors import StoreError, from_os_error, from_sqlite_error, one_line
from immunoquiz.store.times import check_time

DB_NAME = "progress.sqlite3"
SQLITE_MAGIC = b"SQLite format 3\x00"
# "IMMQ": marks the file as an immunoquiz progress store, so another program's
# database is refused rather than migrated.
APPLICATION_ID = 0x494D4D51
# How long a writer waits for another process's transaction before giving up.
BUSY_TIMEOUT_MS = 15_000
# The connection's page cache, in KiB (SQLite's default is 2 MiB; Anki uses this size).
# It is filled only as pages are read and kept between transactions while no other
# connection writes, so a big profile's cards and indexes (3.4 MB of cards alone at
# 10,000 cards) are read from the file once, not again by every home-screen count
# (1,500 page reads each before) and every answer's card lookup.
CACHE_KIB = 40 * 1024
# SQLite's own companions of a database file; each must be a regular file too.
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


_DB_TIME = "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ"


def to_db(when: datetime, what: str = "time") -> str:
    """A fixed-width UTC text that sorts in time order (SQLite compares it as text).

    ValueError for a naive datetime or one outside the years the store accepts.
    """
    # The text strftime("%Y-%m-%dT%H:%M:%S.%fZ") writes for the 4-digit years check_time
    # allows, by %-formatting: 3x cheaper than isoformat of a naive copy, 5x than strftime.
    if check_time(when, what).tzinfo is not UTC:
        when = when.astimezone(UTC)
    return _DB_TIME % (
        when.year, when.month, when.day, when.hour, when.minute, when.second, when.microsecond
    )  # fmt: skip


def from_db(text: str) -> datetime:
    """Inverse of `to_db`; ValueError for text that is not a time the store accepts."""
    try:
        when = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValueError(f"unreadable time {text!r}") from None
    return check_time(when, f"time {text!r}").astimezone(UTC)


def side_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + s) for s in SIDE_SUFFIXES]


def refuse_special(path: Path) -> None:
    """StoreError unless `path` is missing or a regular file (a FIFO would hang an open)."""
    if path.is_dir():
        reason: str | None = "is a folder, not a progress file"
    else:
        reason = special_file_reason(path)
    if reason:
        raise StoreError(
            f"{path}: {reason}: move it away",
            path=path,
            cause="special-file",
        )


def sniff(path: Path) -> None:
    """Refuse a non-empty file that does not start with the SQLite header."""
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise from_os_error(exc, path, "cannot read the progress file") from exc
    if head and head != SQLITE_MAGIC:
        raise StoreError(
            f"{path}: not a progress database (not an SQLite file); "
            "it was left untouched: move it away or restore a backup",
            path=path,
            cause="damaged",
        )


def holds_data(path: Path) -> bool:
    """A file that is non-empty or has a `-wal` beside it is never treated as new."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        size = 0
    return size > 0 or path.with_name(path.name + "-wal").exists()


def connect(path: Path, *, read_only: bool = False, immutable: bool = False) -> sqlite3.Connection:
    """An autocommit connection (we issue BEGIN/COMMIT ourselves) with a busy timeout.

    Nothing here writes to the file. `read_only` opens with `mode=ro`.
    """
    try:
        if read_only:
            uri = f"file:{quote(str(path.absolute()))}?mode=ro"
            if immutable:
                uri += "&immutable=1"
            conn = sqlite3.connect(
                uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000
            )
        else:
            conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _math_functions(conn)
    except sqlite3.Error as exc:
        raise from_sqlite_error(exc, path, "cannot open the progress file") from exc
    return conn


def _pow(x: float | None, y: float | None) -> float | None:
    return None if x is None or y is None else float(x) ** float(y)


def _floor(x: float | None) -> float | None:
    return None if x is None else float(math.floor(x))


def _math_functions(conn: sqlite3.Connection) -> None:
    """Statistics use SQL's `pow` and `floor` (SQLite 3.35+ built with its math
    functions); where the library lacks them, the same C functions through Python."""
    try:
        conn.execute("SELECT pow(2.0, 0.5), floor(0.5)").fetchone()
    except sqlite3.OperationalError:
        conn.create_function("pow", 2, _pow, deterministic=True)
        conn.create_function("floor", 1, _floor, deterministic=True)


@contextlib.contextmanager
def read_only_check(path: Path, *, tidy: bool = False) -> Iterator[sqlite3.Connection]:
    """A `mode=ro` connection for checks; on refusal, leave no new side file behind.

    SQLite creates an empty `-wal` and the `-shm` index to read a WAL-mode file
    even read-only; a refused file (or, with `tidy`, any file) gets them removed
    again if we made them and nobody has written to the `-wal` since.
    """
    before = {p for p in side_files(path) if p.exists()}
    conn = connect(path, read_only=True)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:
        # A read-only folder without a -wal: SQLite cannot make the -shm it wants, and
        # no writer can exist (it would need a -wal or journal there), so the file as
        # it stands is all there is: `immutable` reads it safely.
        # Anything else (a damaged file) is for the checks to name.
        if not (path.with_name(path.name + "-wal").exists() or os.access(path.parent, os.W_OK)):
            conn.close()
            conn = connect(path, read_only=True, immutable=True)
    try:
        yield conn
    except BaseException:
        conn.close()
        _remove_made(path, before)
        raise
    conn.close()
    if tidy:
        _remove_made(path, before)


def _remove_made(path: Path, before: set[Path]) -> None:
    wal = path.with_name(path.name + "-wal")
    made = [p for p in side_files(path) if p.exists() and p not in before]
    if wal in made and wal.stat().st_size > 0:
        return  # someone wrote to it meanwhile: not ours to remove
    for p in made:
        with contextlib.suppress(OSError):
            p.unlink()


def quick_check(conn: sqlite3.Connection, path: Path) -> None:
    """Structural check (on a read-only connection); StoreError if it fails."""
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        err = from_sqlite_error(exc, path, "cannot check the progress file")
        if err.cause != "damaged":
            raise err from exc
        raise StoreError(
            f"{path}: the progress database is damaged ({one_line(exc)}); "
            "it was left untouched: restore a backup (immunoquiz backup) or move it away",
            path=path,
            cause="damaged",
        ) from exc
    if [r[0] for r in rows] != ["ok"]:
        first = one_line(rows[0][0]) if rows else "no result"
        raise StoreError(
            f"{path}: the progress database failed its integrity check ({first}); "
            "it was left untouched: restore a backup or move it away",
            path=path,
            cause="damaged",
        )


def check_ours(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse an SQLite database that belongs to another program."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app_id == APPLICATION_ID:
        return
    if app_id != 0:
        raise StoreError(
            f"{path}: an SQLite database of another program; left untouched",
            path=path,
            cause="not-ours",
        )
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if tables or version:
        raise StoreError(
            f"{path}: an SQLite database that is not an immunoquiz progress file; left untouched",
            path=path,
            cause="not-ours",
        )


def configure(conn: sqlite3.Connection, path: Path) -> None:
    """Settings applied once the file is known to be good (WAL writes the header)."""
    started = time.monotonic()
    try:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        # FULL: a commit is on disk before the learner sees feedback, even across a power cut.
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    except sqlite3.Error as exc:
        raise from_sqlite_error(
            exc, path, "cannot use the progress file", waited_s=time.monotonic() - started
        ) from exc
    if str(mode).lower() != "wal":
        raise StoreError(
            f"{path}: cannot switch the progress file to WAL mode (got {mode})", path=path
        )
