"""The test-wise lint of `validate --strict`: a key that is clearly the longest option.

A note per single-answer item never fails; the bank fails --strict only when more than
35% of its single-answer items (with 3 or more options) carry the cue.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from immunoquiz.cli import main

HEAD = """\
format: 1
bank:
  id: cues
  title: Cues
  topic: checkpoints
  sources:
    ref: {cite: "Reference"}
questions:
"""


def single(item_id: str, key: str, others: tuple[str, ...] = ("Twelve chars", "Ten chars!")) -> str:
    lines = [
        f"  - id: {item_id}",
        "    type: single",
        f"    prompt: Question {item_id}?",
        "    options:",
        f"      - {{text: '{key}', correct: true}}",
        *(f"      - {{text: '{o}', why: Wrong.}}" for o in others),
        "    explanation: Because.",
        "    sources: [ref]",
    ]
    return "\n".join(lines) + "\n"


def bank(tmp_path: Path, *items: str) -> Path:
    path = tmp_path / "cues.yaml"
    path.write_text(HEAD + "".join(items))
    return path


def validate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Exit code and stderr (or stdout with --json)."""
    code = main(["validate", *args])
    out, err = capsys.readouterr()
    return code, out if "--json" in args else err


def test_a_key_over_1_2_times_the_next_option_gets_a_note_that_does_not_fail(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # 15 characters is over 1.2 x 12; 14 is not ("Twelve chars" is the longest distractor).
    path = bank(
        tmp_path,
        single("long", "x" * 15),
        single("at-ratio", "y" * 14),
        single("short", "Short"),
    )
    code, err = validate(capsys, "--strict", str(path))
    assert code == 0
    assert f"{path}:9:5: note: the key of 'long' is clearly the longest option" in err
    assert "'at-ratio'" not in err and "'short'" not in err
    assert (
        f"{path}:3:7: note: the key is clearly the longest option in 1 of 3 single-answer "
        "items (33%); at most 35% is allowed" in err
    )
    assert err.splitlines()[-1] == "1 file checked: 1 valid, 0 invalid, 0 errors"


def test_a_bank_over_35_percent_fails_strict_but_not_plain_validate(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = bank(tmp_path, single("a", "x" * 20), single("b", "x" * 20), single("c", "Short"))
    assert validate(capsys, str(path)) == (0, "1 file checked: 1 valid, 0 invalid, 0 errors\n")
    code, err = validate(capsys, "--strict", str(path))
    assert code == 1
    assert (
        f"{path}:3:7: warning: the key is clearly the longest option in 2 of 3 single-answer "
        "items (67%); over 35%, rewrite options until at most 35%" in err
    )
    assert err.splitlines()[-1].endswith("0 errors, 1 warning")


def test_two_option_items_do_not_count_and_case_parts_do(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    case = """\
  - id: case
    type: case
    vignette: A patient.
    explanation: Because.
    sources: [ref]
    parts:
      - id: part
        type: single
        prompt: Which?
        options:
          - {text: 'A much longer keyed option', correct: true}
          - {text: 'Short one', why: Wrong.}
          - {text: 'Short two', why: Wrong.}
        explanation: Because.
"""
    path = bank(tmp_path, single("two", "x" * 30, ("Short",)), case)
    code, out = validate(capsys, "--strict", "--json", str(path))
    notes = json.loads(out)["problems"]
    assert code == 1
    assert [(p["severity"], p["message"][:30]) for p in notes] == [
        ("warning", "the key is clearly the longest"),
        ("info", "the key of 'part' is clearly t"),
    ]
    assert "in 1 of 1 single-answer items (100%)" in notes[0]["message"]


def test_the_bundled_banks_pass_strict(capsys: pytest.CaptureFixture[str]) -> None:
    """What ships must pass the lint an educator runs: no warning, every share at most 35%."""
    banks = Path(__file__).parent.parent.parent / "question_banks"
    code, err = validate(capsys, "--strict", "--no-cache", str(banks))
    assert "warning:" not in err
    assert code == 0
