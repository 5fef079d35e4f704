"""Parse the banks the cache lacks in a forked child while the caller starts up.

A cold start (first run, or a bank edited) parses every changed bank's YAML; on a
thread that parse takes the interpreter lock from the screen being drawn. A child
made by fork() has every module already imported, so it starts parsing at once, on
another core, and writes the cache; `wait()` then lets the caller's own load read
the cache. The caller loads exactly as before afterwards: a bank the child could
not parse (a broken one) misses the cache and is parsed again by the caller, which
reports its problems as always. Anything odd (no fork on this platform, threads
already running, a failed fork) means no child: the caller parses, as before.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterable

from immunoquiz.banks.loader import PathLike, bundled_and_extra_files, lacking_cache, load


def start(extra_paths: Iterable[PathLike] | None = None) -> Callable[[], None]:
    """Begin filling the cache for the bundled and extra banks; returns `wait`, which
    returns once the child is done (at once if there was nothing to do)."""

    def nothing() -> None:
        return None

    # fork() copies only the calling thread: with others running, a lock one of them
    # holds would stay held in the child. Linux only: macOS frameworks refuse fork.
    if sys.platform != "linux" or threading.active_count() != 1:
        return nothing
    try:
        missing = lacking_cache(bundled_and_extra_files(extra_paths)[0])
        if not missing:
            return nothing
        pid = os.fork()
    except Exception:
        return nothing
    if pid == 0:  # the child: parse, write the cache, leave without running any exit code
        code = 1
        try:
            for name in missing:
                try:
                    load(name)  # a valid bank is written to the cache
                except Exception:  # a broken bank: its problems are the caller's to report
                    continue
            code = 0
        finally:
            os._exit(code)

    def wait() -> None:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass

    return wait
