"""Telling a session file from a bank file without parsing either (for `validate`).

Apart from `session_file` so that checking banks imports no YAML when they are cached.
"""

from __future__ import annotations

from pathlib import Path

from immunoquiz.special_files import special_file_reason


def looks_like_session(path: Path) -> bool:
    """Cheap sniff for `validate`: a session file has a top-level `session:` key."""
    if special_file_reason(path):
        return False
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return any(line.startswith(b"session:") for line in head.splitlines())
