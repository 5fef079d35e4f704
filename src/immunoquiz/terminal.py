"""Text from files, made safe to print on a terminal.

Learner names, bank and session text, option labels and file names are data: an
escape sequence in one could recolour the screen, retitle the window (OSC), ring
the bell, or move the cursor so that a carriage return overwrites a row with
"PASS". `printable` removes every such sequence and control character, and the
invisible bidirectional/format characters that make text read differently from
what it is ("Trojan Source"). It is the one function every terminal writer uses.
"""

from __future__ import annotations

import re
import unicodedata

# Escape sequences, in their 7-bit (ESC ...) and 8-bit (C1) forms, removed whole so
# no parameter bytes ("[31m", "]0;title") are left behind:
# - OSC, DCS, SOS, PM, APC: a string up to BEL or ST (ESC \ or 0x9C), or to the end;
# - CSI: parameter bytes, intermediate bytes, one final byte;
# - any other ESC: optional intermediate bytes and one final byte.
# Compiled by `re` (and kept in its cache) when first needed: most text is printable,
# and compiling it costs every command ~1 ms at start.
_SEQUENCE = (
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c|$)"
    r"|(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]?"
)


def _drop(ch: str, newlines: bool) -> str:
    if ch == "\n":
        return "\n" if newlines else " "
    if ch == "\t":
        return "\t" if newlines else " "
    if ch in "\u2028\u2029":  # line and paragraph separators break a row too
        return "\n" if newlines else " "
    category = unicodedata.category(ch)
    if category == "Cs":  # a lone surrogate (an undecodable file name) cannot be printed
        return "\ufffd"
    if category in ("Cc", "Cf"):  # C0, DEL, C1; bidi controls, zero-width characters
        return ""
    return ch


def printable(text: str, *, newlines: bool = False) -> str:
    """`text` without escape sequences, control characters or invisible format characters.

    With `newlines`, line breaks and tabs are kept (multi-line bank text in plain mode);
    without, they become spaces so one value stays on its row of a table. A carriage
    return, backspace, bell or NUL is always removed.
    """
    if text.isprintable():
        return text
    text = re.sub(_SEQUENCE, "", text)
    return "".join(ch if ch.isprintable() else _drop(ch, newlines) for ch in text)


def width(text: str) -> int:
    """Columns `text` takes on a terminal: wide (CJK) characters 2, combining marks 0."""
    if text.isascii():
        return len(text)
    total = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def clip(text: str, columns: int) -> str:
    """`text` on one line, cut to `columns` with an ellipsis when it is longer."""
    text = printable(text)
    if width(text) <= columns:
        return text
    out, used = [], 0
    for ch in text:
        w = 0 if unicodedata.combining(ch) else width(ch)
        if used + w > columns - 1:
            break
        out.append(ch)
        used += w
    return "".join(out).rstrip() + "…"


def pad(text: str, columns: int, *, right: bool = False) -> str:
    """`text` clipped to `columns` and padded with spaces to exactly that width."""
    text = clip(text, columns)
    fill = " " * (columns - width(text))
    return fill + text if right else text + fill
