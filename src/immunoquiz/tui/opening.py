"""What `immunoquiz study` starts before it imports Textual, which takes about a third
of a second: a forked child parses the banks the cache lacks, and the backend's worker
opens the progress file and loads the banks. By the time the first screen is up both
are done, or nearly. Imports no Textual (a test holds it to that)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from immunoquiz.study.clock import Clock
from immunoquiz.tui.backend import Backend


def begin(data_dir: Path, extra_banks: Sequence[str] | None, clock: Clock) -> Backend:
    """A backend already opening the store and the bundled and extra banks."""
    backend = Backend(data_dir, clock)
    backend.begin_open(extra_banks, None)
    return backend
