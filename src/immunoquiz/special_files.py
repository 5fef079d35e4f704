"""Refuse FIFOs, sockets and devices before reading them as data files.

Opening a named pipe blocks until something writes to it (the command hangs), and
reading /dev/zero never ends (it eats memory). Every command that reads a file a
user named (results, banks, sessions, the progress store) asks this module first.
"""

from __future__ import annotations

import os
import stat

PathLike = str | os.PathLike[str]

_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


class NotRegularFile(OSError):
    """The path is a FIFO, socket or device; str() is the one-line reason."""


class FileTooLarge(OSError):
    """The file is over the size cap; str() is the one-line reason."""


def _kind(mode: int) -> str | None:
    for test, name in _KINDS:
        if test(mode):
            return name
    return None


def special_file_reason(path: PathLike) -> str | None:
    """Why `path` must not be opened as a data file, or None when it may be.

    Decided by the file type (`stat`, following symlinks), which never opens the file.
    A missing path or a folder gives None: the caller reports those in its own words.
    """
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kind = _kind(mode) or "not a regular file"
    return f"is {kind}, not a regular file; refusing to read it"


def read_regular(path: PathLike, *, limit: int | None = None) -> bytes:
    """The bytes of a regular file, refusing special files and files over `limit` bytes.

    Raises NotRegularFile or FileTooLarge (both OSError) with a one-line reason, or the
    usual OSError. The file is opened non-blocking and its type checked again on the
    open descriptor, so a FIFO swapped in after the first check cannot hang the read.
    """
    reason = special_file_reason(path)
    if reason:
        raise NotRegularFile(reason)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "is a folder", os.fspath(path))
        if not stat.S_ISREG(info.st_mode):
            kind = _kind(info.st_mode) or "not a regular file"
            raise NotRegularFile(f"is {kind}, not a regular file; refusing to read it")
        if limit is not None and info.st_size > limit:
            raise FileTooLarge(_too_large(info.st_size, limit))
        with os.fdopen(fd, "rb", closefd=True) as fh:
            fd = -1  # the file object closes it now
            data = fh.read(limit + 1) if limit is not None else fh.read()
        if limit is not None and len(data) > limit:  # it grew while we read
            raise FileTooLarge(_too_large(len(data), limit))
        return data
    finally:
        if fd >= 0:
            os.close(fd)


def _too_large(size: int, limit: int) -> str:
    return f"is {_mb(size)}, over the {_mb(limit)} limit; refusing to read it"


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n:,} bytes"
