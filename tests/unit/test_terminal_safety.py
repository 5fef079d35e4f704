"""ESC, BEL, CR, BS and OSC sequences from files reach no terminal: plain mode, validate,
report and one-line error messages all print through `terminal.printable`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from engine_banks import EVERY_TYPE

from immunoquiz import cli
from immunoquiz.banks.model import Option
from immunoquiz.plain.render import body
from immunoquiz.present import layout

# an OSC window title ended by BEL, a CSI clear screen, a colour, a carriage return
# that would overwrite the line with PASS, backspaces, and a bidi override
NASTY = "\x1b]0;owned\x07\x1b[2J\x1b[31mRed\x1b[0m\rPASS\x08\x08X\u202e"
CONTROLS = "\x1b\x07\r\x08\u202e"


def clean(text: str) -> bool:
    return not any(ch in text for ch in CONTROLS)


def test_plain_mode_prints_bank_text_without_escapes() -> None:
    item = replace(
        EVERY_TYPE["single"],  # type: ignore[type-var]
        prompt="Which cell?" + NASTY,
        options=(Option("T cells" + NASTY, True, "why"), Option("Tumour", False, "no")),
    )
    text = "\n".join(body(item, layout(item, 1)))
    assert clean(text)
    assert "Which cell?RedPASSX" in text and "T cellsRedPASSX" in text


def test_an_unexpected_error_quoting_file_text_is_one_clean_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from immunoquiz.commands import validate

    def boom(args: object) -> int:
        raise ValueError("bad value in bank: " + NASTY + "\nsecond line")

    monkeypatch.setattr(validate, "run", boom)
    monkeypatch.delenv("IMMUNOQUIZ_DEBUG", raising=False)
    code = cli.main(["validate", str(Path(__file__))])
    err = capsys.readouterr().err
    assert code == 1 and clean(err)
    assert (
        err == "immunoquiz: unexpected error: ValueError: bad value in bank: RedPASSX second line\n"
    )


def test_exam_errors_quoting_a_file_name_are_clean(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / ("week" + NASTY + ".yaml")
    code = cli.main(["exam", str(missing), "--name", "Ana", "--plain"])
    err = capsys.readouterr().err
    assert code != 0 and clean(err) and "weekRedPASSX.yaml" in err
