"""GIFT -> `MoodleQuestion`s, step for step as Moodle's qformat_gift reads a file.

Reference: moodle/moodle question/format/gift/format.php (`readquestion`) and
question/format.php (`readdata`, `readquestions`: blank-line blocks of trimmed lines),
plus the ordering qtype's `import_from_gift` (question/type/ordering/questiontype.php).
The quirks are Moodle's and kept on purpose (a line holding only "0" ends a block,
`{true}` is a short answer, an "=" inside feedback still makes a multichoice single):
an educator's file must mean here what it means in their Moodle.
"""

from __future__ import annotations

import re

from immunoquiz.banks.interop.moodle import (
    GAP,
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

_PHP_TRIM = " \t\n\r\0\x0b"
_ESCAPES: tuple[tuple[str, str], ...] = (
    ("\\:", "&&058;"),
    ("\\#", "&&035;"),
    ("\\=", "&&061;"),
    ("\\{", "&&123;"),
)
_ESCAPES += (("\\}", "&&125;"), ("\\~", "&&126;"), ("\\n", "&&010"))
_UNESCAPES: tuple[tuple[str, str], ...] = (
    ("&&058;", ":"),
    ("&&035;", "#"),
    ("&&061;", "="),
    ("&&123;", "{"),
)
_UNESCAPES += (("&&125;", "}"), ("&&126;", "~"), ("&&010", "\n"))
_FORMATS = {"moodle": MOODLE, "html": HTML, "plain": PLAIN, "markdown": MARKDOWN}
_WEIGHT = re.compile(r"%-*([0-9]{1,2})\.?([0-9]*)%")
_TAG = re.compile(r"\[tag:((?:\\]|[^]<>\x00-\x1f\x7f])+)\]")
_ID = re.compile(r"\[id:((?:\\]|[^]\x00-\x1f\x7f])+)\]")
# The ordering qtype's GIFT syntax, as its import_from_gift matches it (its grading list
# really lacks a '|' between REL and LONGEST_ORDERED_SUBSET).
_ORDERING = re.compile(
    r"^([^{]*)\s*\{>\s*(\d+)\s*(ALL|EXACT|RANDOM|REL|CONTIGUOUS|CONTIG)?\s*"
    r"(HORIZONTAL|HORI|H|1|VERTICAL|VERT|V|0)?\s*"
    r"(ALL_OR_NOTHING|ABSOLUTE_POSITION|ABSOLUTE|ABS|RELATIVE_NEXT_EXCLUDE_LAST|"
    r"RELATIVE_NEXT_INCLUDE_LAST|RELATIVE_ONE_PREVIOUS_AND_NEXT|RELATIVE_ALL_PREVIOUS_AND_NEXT|"
    r"RELATIVE_TO_CORRECT|RELATIVE|RELLONGEST_ORDERED_SUBSET|LONGEST_CONTIGUOUS_SUBSET)?\s*"
    r"(SHOW|TRUE|YES|1|HIDE|FALSE|NO|0)?\s*(.*?)\s*\}\s*$",
    re.S,
)


def read_gift(source: str) -> ReadResult:
    """Every question block of a GIFT file (already decoded, BOM removed)."""
    result = ReadResult()
    category = ""
    for start, lines in _blocks(source):
        try:
            question = _read_question(lines, start, category)
        except _Refuse as exc:
            result.refused.append(Refused(start, str(exc)))
            continue
        if question is None:
            continue
        if question.qtype == "category":
            category = question.category
            continue
        result.questions.append(question)
    return result


class _Refuse(Exception):
    """Moodle's importer reports an error for this question and skips it."""


def _blocks(source: str) -> list[tuple[int, list[str]]]:
    lines = source.split("\n")
    if len(lines) == 1 and "\r" in source:  # readdata: a classic Mac file is one line
        lines = source.split("\r")
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate(lines, 1):
        line = raw.strip(_PHP_TRIM)
        if line in ("", "0"):  # PHP's empty(): a line holding only "0" is blank too
            if current:
                blocks.append((start, current))
                current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append((start, current))
    return blocks


def _pre(text: str) -> str:
    text = text.replace("\\\\", "&&092;")
    for escaped, placeholder in _ESCAPES:
        text = text.replace(escaped, placeholder)
    return text.replace("&&092;", "\\")


def _post(text: str) -> str:
    for placeholder, char in _UNESCAPES:
        text = text.replace(placeholder, char)
    return text


def _with_format(text: str, default: str = MOODLE) -> Text:
    """parse_text_with_format: an optional [html]/[moodle]/[plain]/[markdown] marker."""
    fmt = default
    if text.startswith("["):
        end = text.find("]")
        named = _FORMATS.get(text[1:end] if end > 0 else "")
        if named is not None:
            fmt, text = named, text[end + 1 :]
    return Text(_post(text).strip(_PHP_TRIM), fmt)


def _comment(answer: str, fmt: str) -> tuple[Text, Text]:
    bits = answer.split("#", 1)
    feedback = _with_format(bits[1].strip(_PHP_TRIM), fmt) if len(bits) > 1 else Text("", fmt)
    return _with_format(bits[0].strip(_PHP_TRIM), fmt), feedback


def _weight(answer: str) -> tuple[float, str]:
    """answerweightparser: '%50%rest' -> (0.5, 'rest')."""
    body = answer[1:]
    end = body.find("%")
    try:
        weight = float(body[:end]) / 100
    except ValueError:
        weight = 0.0
    return weight, body[end + 1 :]


def _split_answers(answertext: str, sep: str) -> list[str]:
    answers = answertext.split(sep)
    answers[0] = answers[0].strip(_PHP_TRIM)
    if answers[0] == "":
        answers.pop(0)
    return answers


def _read_question(lines: list[str], start: int, category: str) -> MoodleQuestion | None:
    comments = ""
    for i, line in enumerate(lines):
        if line.strip(_PHP_TRIM).startswith("//"):
            comments += line + "\n"
            lines[i] = " "
    text = "\n".join(lines).strip(_PHP_TRIM)
    if text == "":
        return None
    text = _pre(text)
    if text.startswith("$CATEGORY:"):
        return MoodleQuestion("category", "", Text(""), start, category=text[10:].strip(_PHP_TRIM))

    name: str | None = None
    if text.startswith("::"):
        text = text[2:]
        finish = text.find("::")
        if finish >= 0:
            name = _post(text[:finish]).strip()
            text = text[finish + 2 :].strip(_PHP_TRIM)

    answer_start, answer_finish = text.find("{"), text.find("}")
    description = answer_start < 0 and answer_finish < 0
    if description:
        answertext, questiontext = "", text
    elif answer_start < 0 or answer_finish < 0:
        raise _Refuse("a '{' or '}' is missing: Moodle cannot find where the answers are")
    elif answer_finish < answer_start:
        raise _Refuse("a '}' comes before the '{': Moodle cannot find where the answers are")
    else:
        answertext = text[answer_start + 1 : answer_finish].strip(_PHP_TRIM)
        gap = "" if text.endswith("}") else GAP  # a missing-word question
        questiontext = text[:answer_start] + gap + text[answer_finish + 1 :]

    generalfeedback = ""
    separator = answertext.rfind("####")
    if separator >= 0:
        generalfeedback = answertext[separator + 4 :]
        answertext = answertext[:separator].strip(_PHP_TRIM)

    qtext = _with_format(questiontext)
    fmt = qtext.format
    idnumber, tags = _from_comment(comments)
    q = MoodleQuestion(
        qtype="",
        name=name if name else _default_name(qtext.text),
        questiontext=qtext,
        line=start,
        generalfeedback=_with_format(generalfeedback, fmt),
        category=category,
        tags=tags,
        idnumber=idnumber,
    )

    if answertext.startswith(">") and _ordering(q, lines):
        return q
    if description:
        q.qtype = "description"
    elif answertext == "":
        q.qtype = "essay"
    elif answertext[0] == "#":
        q.qtype = "numerical"
    elif "~" in answertext:
        _multichoice(q, answertext, fmt)
    elif "=" in answertext and "->" in answertext:
        _match(q, answertext, fmt)
    else:
        check = answertext
        if answertext.find("#") > 0:
            check = answertext[: answertext.find("#")].strip(_PHP_TRIM)
        if check in ("T", "TRUE", "F", "FALSE"):
            _truefalse(q, answertext, fmt)
        else:
            _shortanswer(q, answertext, fmt)
    return q


def _default_name(text: str) -> str:
    """create_default_question_name: the start of the question text."""
    flat = " ".join(re.sub(r"<[^>]*>", " ", text).replace(GAP, "_____").split())
    return flat[:80] or "Question"


def _from_comment(comment: str) -> tuple[str, list[str]]:
    """extract_idnumber_and_tags_from_comment: `[id:...]` and `[tag:...]` in // lines."""
    found = _ID.search(comment)
    idnumber = found.group(1).strip().replace("\\]", "]") if found else ""
    tags = [m.group(1).strip().replace("\\]", "]") for m in _TAG.finditer(comment)]
    return idnumber, tags


def _ordering(q: MoodleQuestion, lines: list[str]) -> bool:
    found = _ORDERING.match("\n".join(lines))
    if not found:
        return False
    raw = found.group(7).split("\n")
    items = [line.strip(_PHP_TRIM) for line in raw]
    items = [i for i in items if i not in ("", "0")]  # array_filter drops "0" as well
    count = found.group(2)
    q.qtype = "ordering"
    q.selecttype = select_type(found.group(3) or "")
    q.selectcount = int(count) if 2 < int(count) <= len(raw) else min(6, len(raw))
    q.gradingtype = grading_type(found.group(5) or "")
    q.answers = [Answer(Text(item, MOODLE), 1.0) for item in items]
    return True


def _multichoice(q: MoodleQuestion, answertext: str, fmt: str) -> None:
    q.qtype = "multichoice"
    q.single = "=" in answertext  # "no single answer is 100% correct" otherwise
    answers = _split_answers(answertext.replace("=", "~="), "~")
    if len(answers) < 2:
        raise _Refuse("a multiple-choice question needs at least 2 answers")
    for raw in answers:
        answer = raw.strip(_PHP_TRIM)
        if answer.startswith("="):
            fraction, answer = 1.0, answer[1:]
        elif _WEIGHT.match(answer):
            fraction, answer = _weight(answer)
        else:
            fraction = 0.0
        text, feedback = _comment(answer, fmt)
        q.answers.append(Answer(text, fraction, feedback))


def _match(q: MoodleQuestion, answertext: str, fmt: str) -> None:
    q.qtype = "match"
    answers = _split_answers(answertext, "=")
    if len(answers) < 2:
        raise _Refuse("a matching question needs at least 2 pairs")
    for raw in answers:
        answer = raw.strip(_PHP_TRIM)
        marker = answer.find("->")
        if marker < 0:
            raise _Refuse(
                f"matching pair '{_post(answer)}' has no '->' between question and answer"
            )
        q.subquestions.append(
            SubQuestion(_with_format(answer[:marker], fmt), _post(answer[marker + 2 :]).strip())
        )


def _truefalse(q: MoodleQuestion, answertext: str, fmt: str) -> None:
    # {TRUE#feedback for a wrong answer#feedback for a right answer}
    q.qtype = "truefalse"
    bits = answertext.split("#", 2)
    answer = _with_format(bits[0].strip(_PHP_TRIM), fmt)
    wrong = _with_format(bits[1].strip(_PHP_TRIM), fmt) if len(bits) > 1 else Text("", fmt)
    right = _with_format(bits[2].strip(_PHP_TRIM), fmt) if len(bits) > 2 else Text("", fmt)
    q.correctanswer = answer.text in ("T", "TRUE")
    q.feedbacktrue, q.feedbackfalse = (right, wrong) if q.correctanswer else (wrong, right)


def _shortanswer(q: MoodleQuestion, answertext: str, fmt: str) -> None:
    q.qtype = "shortanswer"
    answers = _split_answers(answertext, "=")
    if not answers:
        raise _Refuse("a short-answer question needs at least 1 answer")
    for raw in answers:
        answer = raw.strip(_PHP_TRIM)
        fraction = 1.0
        if _WEIGHT.match(answer):
            fraction, answer = _weight(answer)
        text, feedback = _comment(answer, fmt)
        q.answers.append(Answer(Text(text.text, PLAIN), fraction, feedback))
