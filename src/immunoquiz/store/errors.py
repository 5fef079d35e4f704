"""What went wrong with a progress file, in words a learner can act on.

Every failure of the store is a `StoreError` whose message starts with the path
and says the real cause (read-only folder or file, disk full, locked by another
process, damaged, ...). Callers that must carry on regardless (an exam keeps
going without the learner's log) catch `StoreError`; `cause` lets them tell the
kinds apart without parsing text.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path
from typing import Literal

Cause = Literal[
    "read-only", "disk-full", "locked", "damaged", "not-ours", "newer", "special-file",
    "bad-time", "io", "other",
]  # fmt: skip

# SQLite primary result codes (the low byte of an extended code).
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26
_PERM = 3


class StoreError(Exception):
    """A progress file that cannot be used or written; the message names the path and why."""

    def __init__(self, message: str, *, path: Path | None = None, cause: Cause = "other") -> None:
        super().__init__(message)
        self.path = path
        self.cause: Cause = cause


def one_line(text: object) -> str:
    """SQLite and OS texts may span lines (integrity-check reports do): keep one."""
    return " ".join(str(text).split())


def _read_only_reason(path: Path) -> str | None:
    """Why nothing can be written at `path`, if that is the case."""
    folder = path.parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return f"the folder {folder} is on a read-only file system"
    except OSError:
        return None
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"the folder {folder} is read-only"
    for side in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if side.exists() and not os.access(side, os.W_OK):
            return f"the file {side} is read-only"
    return None


def _disk_full(path: Path) -> bool:
    try:
        st = os.statvfs(path.parent)
    except OSError:
        return False
    return st.f_bavail == 0 or st.f_favail == 0


def from_os_error(exc: OSError, path: Path, doing: str) -> StoreError:
    if exc.errno == errno.ENOSPC or exc.errno == errno.EDQUOT:
        return StoreError(f"{path}: {doing}: the disk is full", path=path, cause="disk-full")
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        reason = _read_only_reason(path) or (exc.strerror or str(exc))
        return StoreError(f"{path}: {doing}: {reason}", path=path, cause="read-only")
    return StoreError(f"{path}: {doing}: {one_line(exc.strerror or exc)}", path=path, cause="io")


def from_sqlite_error(
    exc: sqlite3.Error, path: Path, doing: str, *, waited_s: float | None = None
) -> StoreError:
    """A StoreError naming `path` and the real cause of an SQLite failure while `doing`."""
    code = int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    text = one_line(exc)
    if code in (_BUSY, _LOCKED) or "locked" in text:
        waited = f" (waited {waited_s:.0f} s)" if waited_s is not None else ""
        return StoreError(
            f"{path}: {doing}: the progress file is locked by another process{waited}; "
            "close the other immunoquiz window or try again",
            path=path,
            cause="locked",
        )
    if code == _FULL or (code in (_IOERR, _CANTOPEN) and _disk_full(path)):
        return StoreError(
            f"{path}: {doing}: the disk is full; free some space and try again",
            path=path,
            cause="disk-full",
        )
    if code in (_READONLY, _CANTOPEN, _PERM, _IOERR) and (reason := _read_only_reason(path)):
        return StoreError(f"{path}: {doing}: {reason}", path=path, cause="read-only")
    if code == _READONLY:
        return StoreError(
            f"{path}: {doing}: the progress file cannot be written ({text})",
            path=path,
            cause="read-only",
        )
    if code in (_CORRUPT, _NOTADB):
        return StoreError(
            f"{path}: {doing}: the progress database is damaged ({text}); "
            "restore a backup (immunoquiz backup) or move it away",
            path=path,
            cause="damaged",
        )
    if code == _IOERR:
        return StoreError(f"{path}: {doing}: disk I/O error ({text})", path=path, cause="io")
    return StoreError(f"{path}: {doing}: {text}", path=path, cause="other")
