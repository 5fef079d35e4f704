"""Bank text is data: printed literally, with any control character made visible.

The loader refuses control characters, but the plain mode must never let an escape
sequence reach a terminal (or a screen reader) whatever a file holds.
"""

from __future__ import annotations

import unicodedata

# Bidirectional embedding/override/isolate controls can make text read differently
# from what it is ("Trojan Source"); show them.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def safe(text: str) -> str:
    """`text` with control characters (but newline and tab) and bidi overrides made visible."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch in "\n\t" or not (unicodedata.category(ch) == "Cc" or ch in _BIDI):
            out.append(ch)
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(f"\\u{ord(ch):04x}")
    return "".join(out)


def indent(text: str, prefix: str = "    ") -> str:
    """Continuation lines of a multi-line text indented under its label."""
    return safe(text).replace("\n", "\n" + prefix)
