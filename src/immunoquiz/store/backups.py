"""Verified copies of the progress file: `immunoquiz backup` and the copy before an upgrade.

A copy is written under a temporary name that no other process can share
(`mkstemp` in the destination folder), checked (`PRAGMA integrity_check`, and
the same row counts as the snapshot it was copied from), synced, and only then
linked under its final name. Linking (not renaming) fails if that name exists,
so two copies made in the same second never overwrite each other: the later
one gets `-2`, `-3`, ... Nothing partial or empty ever carries a final name.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from immunoquiz.records import dataclass
from immunoquiz.store.db import BUSY_TIMEOUT_MS
from immunoquiz.store.errors import StoreError, from_os_error, from_sqlite_error, one_line

# The tables whose row counts must match between the snapshot and its copy.
COUNTED = ("profiles", "cards", "reviews")


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    profiles: int
    cards: int
    reviews: int


def _counts(conn: sqlite3.Connection) -> tuple[int, ...]:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return tuple(
        int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) if t in tables else 0
        for t in COUNTED
    )


def backup_to(source: Path, dest: Path, *, numbered: bool = True) -> BackupInfo:
    """Copy the progress file `source` to `dest`, verified.

    `numbered`: if `dest` exists, use `stem-2.suffix`, `stem-3.suffix`, ...;
    otherwise an existing `dest` is a StoreError. The copy and the counts come
    from one read snapshot, on a connection of its own: the caller may hold the
    write lock (an upgrade makes its copy under it) and a WAL reader is never
    blocked by a writer.
    """
    import tempfile  # here: opening the store for a lesson or `stats` makes no backup

    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".partial")
    except OSError as exc:
        raise from_os_error(exc, dest, "cannot write the backup") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        expected = _copy(source, tmp, dest)
        final = _link_unique(tmp, dest, numbered=numbered)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return BackupInfo(final, *expected)


def _copy(source: Path, tmp: Path, dest: Path) -> tuple[int, ...]:
    try:
        reader = sqlite3.connect(source, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            reader.execute("BEGIN")  # one read snapshot for the counts and the copy
            expected = _counts(reader)
            target = sqlite3.connect(tmp, isolation_level=None)
            try:
                reader.backup(target)
            finally:
                target.close()
            reader.execute("COMMIT")
        finally:
            reader.close()
    except sqlite3.Error as exc:
        raise from_sqlite_error(exc, source, f"cannot copy to {dest}") from exc
    try:
        target = sqlite3.connect(tmp, isolation_level=None)
        try:
            # The copy is a standalone file: no -wal beside it.
            target.execute("PRAGMA journal_mode = DELETE")
            check = [one_line(r[0]) for r in target.execute("PRAGMA integrity_check")]
            got = _counts(target)
        finally:
            target.close()
        with tmp.open("rb+") as f:
            os.fsync(f.fileno())
    except sqlite3.Error as exc:
        raise from_sqlite_error(exc, dest, "cannot write the backup") from exc
    except OSError as exc:
        raise from_os_error(exc, dest, "cannot write the backup") from exc
    if check != ["ok"]:
        raise StoreError(f"{dest}: the backup copy failed its check ({check[0]}); not kept")
    if got != expected:
        raise StoreError(
            f"{dest}: the backup copy holds {got} rows of {COUNTED}, the file {expected}; not kept"
        )
    return expected


def _link_unique(tmp: Path, dest: Path, *, numbered: bool) -> Path:
    for n in range(1, 1000):
        final = dest if n == 1 else dest.with_name(f"{dest.stem}-{n}{dest.suffix}")
        try:
            os.link(tmp, final)
        except FileExistsError:
            if not numbered:
                raise StoreError(f"{dest}: already exists; not overwritten", path=dest) from None
            continue
        except OSError as exc:
            raise from_os_error(exc, dest, "cannot write the backup") from exc
        _sync_folder(final.parent)
        return final
    raise StoreError(f"{dest}: too many backups with this name", path=dest)


def _sync_folder(folder: Path) -> None:
    """Make the new name durable (the file's bytes already are)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
