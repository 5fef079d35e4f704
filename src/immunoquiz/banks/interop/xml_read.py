"""Moodle XML -> `MoodleQuestion`s, as Moodle's qformat_xml reads an export.

Reference: moodle/moodle question/format/xml/format.php (`import_question` and the
`import_<qtype>` methods), question/type/multianswer/questiontype.php
(`qtype_multianswer_extract_question`, the embedded-answers syntax) and
question/type/ordering/questiontype.php (`import_from_xml`).

The file is parsed with defusedxml: entity declarations (billion laughs) and external
references are refused before anything is expanded.
"""

from __future__ import annotations

import html as _html
import re
import xml.etree.ElementTree as ET
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from immunoquiz.banks.interop.moodle import (
    HTML,
    MARKDOWN,
    MOODLE,
    PLAIN,
    Answer,
    MoodleQuestion,
    ReadResult,
    Refused,
    SubQuestion,
    Text,
    grading_type,
    select_type,
)

_FORMATS = {
    "moodle_auto_format": MOODLE,
    "html": HTML,
    "plain_text": PLAIN,
    "markdown": MARKDOWN,
    "wiki_like": PLAIN,
}

# Embedded answers, as question/type/multianswer/questiontype.php defines them.
_FRACTION = r"=|%(-?[0-9]+(?:[.,][0-9]*)?)%"
_ALT_ANSWER = r".+?(?<!\\)(?<!&)(?<!&amp;)(?=[~#}]|$)"
_ALT_FEEDBACK = r".*?(?<!\\)(?=[~}]|$)"
_ALTERNATIVE = rf"({_FRACTION})?({_ALT_ANSWER})(#({_ALT_FEEDBACK}))?"
_KINDS = (
    ("numerical", True, "NUMERICAL|NM"),
    ("multichoice", True, "MULTICHOICE_VS|MCVS|MULTICHOICE_HS|MCHS|MULTICHOICE_S|MCS"),
    ("multichoice", True, "MULTICHOICE_V|MCV|MULTICHOICE_H|MCH|MULTICHOICE|MC"),
    ("shortanswer", True, "SHORTANSWER_C|SAC|MWC|SHORTANSWER|SA|MW"),
    ("multiresponse", False, "MULTIRESPONSE_HS|MRHS|MULTIRESPONSE_S|MRS"),
    ("multiresponse", False, "MULTIRESPONSE_H|MRH|MULTIRESPONSE|MR"),
)
_KIND_OF = {name: (kind, single) for kind, single, names in _KINDS for name in names.split("|")}
_TYPE_NAMES = "|".join(sorted(_KIND_OF, key=len, reverse=True))
_EMBEDDED = re.compile(rf"\{{([0-9]*):({_TYPE_NAMES}):({_ALTERNATIVE}(~{_ALTERNATIVE})*)\}}", re.S)
_ONE_ALTERNATIVE = re.compile(rf"~?{_ALTERNATIVE}", re.S)


class XmlRefused(Exception):
    """The whole file is refused: not XML, unsafe XML, or not a Moodle question file."""

    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line, self.col = line, col


class _LineBuilder(ET.TreeBuilder):
    """Remembers the line and column where each element starts."""

    def __init__(self) -> None:
        super().__init__()
        self.expat: Any = None
        self.where: dict[int, tuple[int, int]] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        element = super().start(tag, attrs)
        self.where[id(element)] = (
            self.expat.CurrentLineNumber,
            self.expat.CurrentColumnNumber + 1,
        )
        return element


def read_moodle_xml(data: bytes) -> ReadResult:
    """Every <question> of a Moodle XML file; raises XmlRefused for a file refused whole."""
    builder = _LineBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=False)
    builder.expat = parser.parser
    try:
        parser.feed(data)
        root = parser.close()
    except ET.ParseError as exc:
        line, col = exc.position
        raise XmlRefused(line, col + 1, f"not well-formed XML: {_reason(exc)}") from None
    except DefusedXmlException as exc:
        raise XmlRefused(1, 1, f"unsafe XML refused ({_unsafe(exc)})") from None
    if root.tag != "quiz":
        raise XmlRefused(
            1, 1, f"not a Moodle XML question file: the root is <{root.tag}>, not <quiz>"
        )
    result = ReadResult()
    category = ""
    for element in root.findall("question"):
        line, col = builder.where.get(id(element), (1, 1))
        qtype = element.get("type", "")
        if qtype == "category":
            category = _text(element.find("category"))
            continue
        try:
            question = _read(element, qtype, line, col)
        except _Refuse as exc:
            result.refused.append(Refused(line, str(exc), col))
            continue
        question.category = category
        result.questions.append(question)
    return result


def _reason(exc: ET.ParseError) -> str:
    return re.sub(r": line \d+, column \d+$", "", str(exc))


def _unsafe(exc: DefusedXmlException) -> str:
    name = type(exc).__name__
    if name == "EntitiesForbidden":
        return "it declares entities, which could expand without limit"
    if name == "ExternalReferenceForbidden":
        return "it refers to an external file or address"
    if name == "DTDForbidden":
        return "it has a document type declaration"
    return name


class _Refuse(Exception):
    pass


def _text(node: ET.Element | None) -> str:
    """The trimmed <text> child of a node, as getpath(..., istext=true) reads it."""
    if node is None:
        return ""
    child = node.find("text")
    return (child.text or "").strip() if child is not None else ""


def _formatted(node: ET.Element | None, default: str) -> Text:
    """import_text_with_files: <text> with the node's format attribute (default given)."""
    if node is None:
        return Text("", default)
    name = (node.get("format") or "").strip()
    fmt = _FORMATS.get(name, HTML) if name else default
    return Text(_text(node), fmt)


def _fraction(node: ET.Element) -> float:
    try:
        return float(node.get("fraction") or 0) / 100
    except ValueError:
        return 0.0


def _flag(node: ET.Element | None, default: str) -> bool:
    """trans_single: 'false', '', '0' -> False; anything else -> True."""
    value = (node.text or "").strip() if node is not None else default
    return not (value == "false" or value in ("", "0"))


def _read(element: ET.Element, qtype: str, line: int, col: int) -> MoodleQuestion:
    if qtype in ("cloze", "multianswer"):
        return _multianswer(element, line, col)
    name_node = element.find("name")
    if name_node is None:
        raise _Refuse("the question has no <name> (Moodle refuses it)")
    qtext = _formatted(element.find("questiontext"), HTML)
    fmt = qtext.format
    q = MoodleQuestion(
        qtype={"matching": "match"}.get(qtype, qtype),
        name=_text(name_node),
        questiontext=qtext,
        line=line,
        col=col,
        generalfeedback=_formatted(element.find("generalfeedback"), fmt),
        idnumber=(element.findtext("idnumber") or "").strip(),
        tags=[_text(t) for t in element.findall("tags/tag")],
    )
    if q.qtype == "multichoice":
        q.single = _flag(element.find("single"), "true")
        q.answers = [_answer(a, fmt, fmt) for a in element.findall("answer")]
    elif q.qtype == "truefalse":
        _truefalse(q, element, fmt)
    elif q.qtype == "shortanswer":
        q.usecase = _flag(element.find("usecase"), "0")
        q.answers = [_answer(a, PLAIN, fmt) for a in element.findall("answer")]
    elif q.qtype == "match":
        for sub in element.findall("subquestion"):
            answer = sub.find("answer")
            q.subquestions.append(SubQuestion(_formatted(sub, fmt), _text(answer)))
    elif q.qtype == "ordering":
        select = "selecttype" if element.find("selecttype") is not None else "logical"
        count = "selectcount" if select == "selecttype" else "studentsee"
        q.selecttype = select_type(element.findtext(select) or "RANDOM")
        q.gradingtype = grading_type(element.findtext("gradingtype") or "RELATIVE")
        try:
            q.selectcount = int((element.findtext(count) or "6").strip())
        except ValueError:
            q.selectcount = 6
        q.answers = [_answer(a, fmt, fmt) for a in element.findall("answer")]
    return q


def _answer(node: ET.Element, answer_format: str, feedback_format: str) -> Answer:
    text = _formatted(node, answer_format) if answer_format != PLAIN else Text(_text(node), PLAIN)
    return Answer(text, _fraction(node), _formatted(node.find("feedback"), feedback_format))


def _truefalse(q: MoodleQuestion, element: ET.Element, fmt: str) -> None:
    # Answers are matched on their text 'true'/'false'; old files by order (true first).
    for index, node in enumerate(element.findall("answer")):
        text = _text(node)
        if text not in ("true", "false"):
            text = "true" if index == 0 else "false"
        feedback = _formatted(node.find("feedback"), fmt)
        full = _fraction(node) == 1.0  # PHP compares the attribute as a number
        if text == "true":
            q.correctanswer = full
            q.feedbacktrue = feedback
        else:
            q.correctanswer = not full
            q.feedbackfalse = feedback


def _multianswer(element: ET.Element, line: int, col: int) -> MoodleQuestion:
    qtext = _formatted(element.find("questiontext"), HTML)
    text = qtext.text
    subs: list[SubQuestion] = []
    while True:
        found = _EMBEDDED.search(text)
        if not found:
            break
        kind, single = _KIND_OF[found.group(2)]
        answers = _alternatives(found.group(3), kind)
        subs.append(
            SubQuestion(Text(found.group(0), HTML), qtype=kind, single=single, answers=answers)
        )
        text = text[: found.start()] + "{#" + str(len(subs)) + "}" + text[found.end() :]
    if not subs:
        raise _Refuse("the Cloze question has no embedded answers (Moodle refuses it)")
    name_node = element.find("name")
    return MoodleQuestion(
        qtype="multianswer",
        name=_text(name_node) if name_node is not None else text[:80],
        questiontext=Text(text, qtext.format),
        line=line,
        col=col,
        generalfeedback=_formatted(element.find("generalfeedback"), qtext.format),
        subquestions=subs,
        idnumber=(element.findtext("idnumber") or "").strip(),
        tags=[_text(t) for t in element.findall("tags/tag")],
    )


def _alternatives(body: str, kind: str) -> list[Answer]:
    answers: list[Answer] = []
    specific = False
    rest = body
    while True:
        found = _ONE_ALTERNATIVE.match(rest)
        if not found or not found.group(0):
            break
        if found.group(1) == "=":
            fraction = 1.0
        elif found.group(2):
            fraction, specific = float(found.group(2).replace(",", ".")) / 100, True
        else:
            fraction = 0.0
        answer = _html.unescape(found.group(3)).replace("\\}", "}").replace("\\#", "#")
        feedback = found.group(5) or ""
        feedback = _html.unescape(feedback).replace("\\}", "}").replace("\\#", "#")
        answers.append(Answer(Text(answer, HTML), fraction, Text(feedback, HTML)))
        rest = rest[found.end() :]
    if kind == "multiresponse":
        # Positive fractions are scaled to add up to 1; without specific fractions each
        # wrong answer cancels one right one (qtype_multianswer_extract_question).
        total = sum(a.fraction for a in answers if a.fraction > 0)
        if total:
            for a in answers:
                if a.fraction > 0:
                    a.fraction /= total
                elif not specific:
                    a.fraction = -1.0 / total
    return answers
