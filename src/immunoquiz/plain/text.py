"""Bank text is data: printed literally, never as terminal escape sequences.

The loader refuses control characters, but the plain mode must never let an escape
sequence reach a terminal (or a screen reader) whatever a file holds.
"""

from __future__ import annotations

from immunoquiz.terminal import printable


def safe(text: str) -> str:
    """`text` without control characters (but newline and tab), escapes or bidi overrides."""
    return printable(text, newlines=True)


def indent(text: str, prefix: str = "    ") -> str:
    """Continuation lines of a multi-line text indented under its label."""
    return safe(text).replace("\n", "\n" + prefix)
