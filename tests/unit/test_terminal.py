"""Text from files never drives the terminal: escape sequences and controls are removed."""

import pytest

from immunoquiz.terminal import printable

ATTACKS = [
    ("\x1b[31mred\x1b[0m", "red"),  # colour (CSI)
    ("\x1b]0;pwned\x07title", "title"),  # window title (OSC ended by BEL)
    ("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "link"),  # hyperlink (OSC ended by ST)
    ("bell\x07", "bell"),
    ("Ann FAIL\rPASS", "Ann FAILPASS"),  # carriage return cannot overwrite the row
    ("FAIL\b\b\b\bPASS", "FAILPASS"),  # backspaces cannot either
    ("\x9b2Jclear", "clear"),  # 8-bit CSI
    ("\x1bPqdcs\x1b\\after", "after"),  # DCS string
    ("\x1b7saved\x1b8", "saved"),  # two-byte escapes
    ("a\x00b\x7fc\x85d", "abcd"),  # NUL, DEL, C1 NEL
    ("abc\u202edcba", "abcdcba"),  # bidi override
    ("zero\u200bwidth\u2066x\u2069", "zerowidthx"),
    ("unterminated \x1b]0;title", "unterminated "),
    ("trailing ESC\x1b", "trailing ESC"),
]


@pytest.mark.parametrize(("raw", "shown"), ATTACKS)
def test_escape_and_control_characters_are_removed(raw: str, shown: str) -> None:
    assert printable(raw) == shown


def test_plain_text_and_other_scripts_are_untouched() -> None:
    for text in ["Pembrolizumab 200 mg q3w", "Zoë Ñúñez", "李雷", "TNBC ≥ 1 %", "😀"]:
        assert printable(text) == text


def test_line_breaks_become_spaces_in_one_line_values_and_stay_in_text() -> None:
    assert printable("two\nlines\ttab") == "two lines tab"
    assert printable("two\nlines\ttab\u2028x", newlines=True) == "two\nlines\ttab\nx"
    assert printable("crlf\r\n", newlines=True) == "crlf\n"


def test_an_undecodable_file_name_prints_as_a_replacement_character() -> None:
    name = b"caf\xe9.json".decode("utf-8", "surrogateescape")
    assert printable(name) == "caf\ufffd.json"
    printable(name).encode("utf-8")  # no UnicodeEncodeError on a UTF-8 terminal


def test_clip_and_pad_count_terminal_columns() -> None:
    from immunoquiz.terminal import clip, pad, width

    assert width("李雷") == 4 and width("e\u0301") == 1
    assert clip("Pembrolizumab", 6) == "Pembr…"
    assert width(clip("李雷李雷", 5)) <= 5
    assert pad("ab", 4) == "ab  " and pad("ab", 4, right=True) == "  ab"
    assert pad("x\x1b[2Jy", 3) == "xy "  # escapes never count, never print
