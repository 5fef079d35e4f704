"""`validate --strict` suggests `shuffle: false` when an item's options read as a scale
(grades 1-4, numbers that climb, mild / moderate / severe) and would be shuffled."""

from __future__ import annotations

from pathlib import Path

import pytest

from immunoquiz.banks.lint import looks_ordered
from immunoquiz.cli import main

HEAD = """\
format: 1
bank:
  id: scales
  title: Scales
  topic: adverse-events
  sources:
    ref: {cite: "Reference"}
questions:
  - id: grade
    type: single
SHUFFLE    prompt: What grade is 5 stools a day over baseline?
    options:
      - {text: Grade 1, why: Fewer than 4.}
      - {text: Grade 2, correct: true}
      - {text: Grade 3, why: 7 or more.}
      - {text: Grade 4, why: Life-threatening.}
    explanation: 4-6 over baseline is grade 2.
    sources: [ref]
"""


def validate(tmp_path: Path, capsys: pytest.CaptureFixture[str], shuffle: str) -> tuple[int, str]:
    path = tmp_path / "scales.yaml"
    path.write_text(HEAD.replace("SHUFFLE", shuffle))
    code = main(["validate", "--strict", str(path)])
    return code, capsys.readouterr().err


def test_graded_options_that_would_be_shuffled_get_a_located_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = validate(tmp_path, capsys, "")
    assert code == 1
    assert (
        f"{tmp_path / 'scales.yaml'}:9:5: warning: the options of 'grade' look ordered "
        "('Grade 1', 'Grade 2', 'Grade 3', ...): add 'shuffle: false'"
    ) in err


def test_shuffle_false_settles_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = validate(tmp_path, capsys, "    shuffle: false\n")
    assert code == 0 and "look ordered" not in err


@pytest.mark.parametrize(
    "texts",
    [
        ("Grade 1", "Grade 2", "Grade 3", "Grade 4"),
        ("Under 10%", "10-30%", "Over 30%"),
        ("Mild", "Moderate", "Severe"),
        ("Life-threatening", "Severe", "Mild"),
        ("About 14 days", "About 42 days", "About 120 days"),
    ],
)
def test_scales_are_recognised(texts: tuple[str, ...]) -> None:
    assert looks_ordered(texts)


@pytest.mark.parametrize(
    "texts",
    [
        ("Pembrolizumab", "Nivolumab", "Atezolizumab"),
        ("About 2.6 months", "About 2.6 days", "About 2.6 years"),
        ("Grade 2", "Grade 1", "Grade 3"),  # written out of order: no scale meant
        ("Mild", "Severe"),  # two options could be any pair
        ("Severe colitis", "Mild hepatitis", "Moderate rash", "Grade 2 pneumonitis"),
    ],
)
def test_other_options_are_left_alone(texts: tuple[str, ...]) -> None:
    assert not looks_ordered(texts)


def test_the_bundled_banks_keep_their_scales_in_order(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bundled = Path(__file__).parents[2] / "question_banks"
    assert main(["validate", "--strict", str(bundled)]) == 0
    assert "look ordered" not in capsys.readouterr().err
