"""One process at a time on a learner's attempt at a session.

Two `immunoquiz exam` processes for the same learner and session would both
write the same results file (the last write wins, answers get lost), so the
exam command holds an advisory lock on a hidden file beside the results files
while it runs. The kernel drops the lock when the process ends, however it
ends (even SIGKILL), so a stale lock never blocks the next run. The file
holds the holder's process id, to name it in the refusal; it is left in place
(deleting it would let a third process lock a new file while the second still
holds the old one). Hidden names are skipped by `report`.

Where `fcntl` does not exist (Windows) nothing is locked.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from immunoquiz.educator.results import slug

if sys.platform != "win32":
    import fcntl


class AttemptInUse(Exception):
    """Another process has this learner's attempt open; the message says so in one line."""


def lock_path(results_dir: Path, session_title: str, learner_id: str) -> Path:
    return results_dir / f".{slug(session_title)}--{slug(learner_id)}.lock"


@contextlib.contextmanager
def attempt_lock(results_dir: Path, session_title: str, learner_id: str) -> Iterator[Path]:
    """Hold the lock for the block; AttemptInUse at once if another process holds it.

    OSError if the lock file cannot be made (a results folder that cannot be written).
    """
    path = lock_path(results_dir, session_title, learner_id)
    if sys.platform == "win32":  # pragma: no cover
        yield path
        return
    results_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            who = f" (process {holder})" if holder.isdigit() else ""
            raise AttemptInUse(
                f"this attempt is open in another immunoquiz window{who}: finish it there, "
                "or close that window and run this command again"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield path
    finally:
        os.close(fd)  # closing the only descriptor releases the lock


__all__ = ["AttemptInUse", "attempt_lock", "lock_path"]
