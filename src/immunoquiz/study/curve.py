"""The default scheduler's forgetting curve, remembered between runs.

Statistics need only two numbers from fsrs, the (decay, factor) of
`scheduling.recall_parameters` for a default scheduler; importing fsrs to work them
out was a tenth of what `immunoquiz stats` cost. They are kept in the cache folder
under a name made from the bytes of every source they derive from (fsrs's modules,
immunoquiz/scheduling.py) and the Python version: another fsrs release or another
formula names another entry, so an entry is never read for code it was not made by.
A missing, unreadable or damaged entry means the numbers are worked out again.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import sys
from pathlib import Path

from immunoquiz import paths

CURVE_FORMAT = 1


def default_curve() -> tuple[float, float]:
    """`scheduling.recall_parameters(scheduling.make_scheduler())`, from the cache if there."""
    entry = _entry()
    if entry is not None:
        with contextlib.suppress(OSError, ValueError):
            decay, factor = (float(word) for word in entry.read_text("ascii").split())
            if decay < 0 < factor:  # what every FSRS curve has; anything else is damage
                return decay, factor
    from immunoquiz import scheduling

    curve = scheduling.recall_parameters(scheduling.make_scheduler())
    if entry is not None:
        _write(entry, f"{curve[0]!r} {curve[1]!r}\n")
    return curve


def _entry() -> Path | None:
    spec = importlib.util.find_spec("fsrs")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)))
    h = hashlib.sha256(f"immunoquiz-fsrs-curve {CURVE_FORMAT} {sys.version}".encode())
    try:
        sources = sorted(folder / n for n in os.listdir(folder) if n.endswith(".py"))
        sources.append(Path(__file__).parents[1] / "scheduling.py")
        for source in sources:
            h.update(f"\0{source.name}\0".encode())
            h.update(source.read_bytes())
    except OSError:
        return None
    return paths.cache_dir() / "fsrs" / f"curve-{h.hexdigest()}.txt"


def _write(entry: Path, text: str) -> None:
    """Write atomically, or not at all: the cache is disposable."""
    tmp = entry.with_name(f".tmp-{os.getpid()}-{os.urandom(4).hex()}")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, "ascii")
        os.replace(tmp, entry)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
