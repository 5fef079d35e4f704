"""Conformance with Moodle's importer: tests/data/interop/*_cases.yaml, case by case.

Each case states what Moodle stores for a snippet (read from Moodle's format.php and
its PHPUnit tests, cited per case) and the bank item the mapping of issue 18 makes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from immunoquiz.banks.interop.gift_read import read_gift
from immunoquiz.banks.interop.mapping import id_hint, map_question
from immunoquiz.banks.interop.moodle import MoodleQuestion, ReadResult
from immunoquiz.banks.interop.xml_read import read_moodle_xml

DATA = Path(__file__).parent.parent / "data" / "interop"
GIFT_CASES = yaml.safe_load((DATA / "gift_cases.yaml").read_text(encoding="utf-8"))
XML_CASES = yaml.safe_load((DATA / "xml_cases.yaml").read_text(encoding="utf-8"))


def moodle_fields(q: MoodleQuestion) -> dict[str, Any]:
    """The question as Moodle's own object would show it, field by field."""
    return {
        "qtype": q.qtype,
        "name": q.name,
        "questiontext": q.shown_text,
        "questiontextformat": q.questiontext.format,
        "generalfeedback": q.generalfeedback.text,
        "generalfeedbackformat": q.generalfeedback.format,
        "single": q.single,
        "answer": [a.text.text for a in q.answers],
        "answerformat": [a.text.format for a in q.answers],
        "fraction": [round(a.fraction, 7) for a in q.answers],
        "feedback": [a.feedback.text for a in q.answers],
        "feedbackformat": [a.feedback.format for a in q.answers],
        "correctanswer": q.correctanswer,
        "feedbacktrue": q.feedbacktrue.text,
        "feedbackfalse": q.feedbackfalse.text,
        "subquestions": [s.text.text for s in q.subquestions],
        "subquestionformat": [s.text.format for s in q.subquestions],
        "subanswers": [s.answer for s in q.subquestions],
        "blanks": [
            {
                "qtype": s.qtype,
                "answer": [a.text.text for a in s.answers],
                "fraction": [round(a.fraction, 7) for a in s.answers],
            }
            for s in q.subquestions
        ],
        "usecase": q.usecase,
        "selecttype": q.selecttype,
        "gradingtype": q.gradingtype,
        "category": q.category,
        "tags": q.tags,
        "idnumber": q.idnumber,
    }


def check(case: dict[str, Any], read: ReadResult) -> None:
    if "refused" in case:
        assert read.questions == []
        assert len(read.refused) == 1
        assert case["refused"] in read.refused[0].reason
        return
    assert read.refused == []
    assert len(read.questions) == 1
    q = read.questions[0]
    got = moodle_fields(q)
    for key, want in case.get("moodle", {}).items():
        if key == "fraction":
            want = [round(float(f), 7) for f in want]
        assert got[key] == want, f"Moodle's {key}"
    mapped = map_question(q)
    if "skipped" in case:
        assert mapped.item is None
        assert case["skipped"] in mapped.reason
        return
    assert mapped.item is not None, mapped.reason
    item = {"id": id_hint(q), **mapped.item}
    for key, want in case.get("item", {}).items():
        assert item.get(key) == want, f"item {key}"
    for part in case.get("warnings", []):
        assert any(part in w for w in mapped.warnings), (part, mapped.warnings)


@pytest.mark.parametrize("case", GIFT_CASES, ids=[c["name"] for c in GIFT_CASES])
def test_gift_case_reads_as_moodle_does(case: dict[str, Any]) -> None:
    check(case, read_gift(case["gift"]))


@pytest.mark.parametrize("case", XML_CASES, ids=[c["name"] for c in XML_CASES])
def test_xml_case_reads_as_moodle_does(case: dict[str, Any]) -> None:
    category = ""
    if "category" in case:
        category = (
            f'<question type="category"><category><text>{case["category"]}</text>'
            "</category></question>"
        )
    source = f'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>{category}{case["xml"]}</quiz>'
    check(case, read_moodle_xml(source.encode()))


def test_every_case_cites_the_moodle_behaviour_it_pins() -> None:
    for case in GIFT_CASES + XML_CASES:
        assert case.get("pins"), case["name"]
        assert case.get("qtype"), case["name"]
