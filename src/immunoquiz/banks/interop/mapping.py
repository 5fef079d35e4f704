"""`MoodleQuestion` -> a bank item (a dict in the bank format's own keys), or the reason
it has no counterpart, plus what the learner will see differently (warnings).

The mapping of issue 18: multichoice follows Moodle's `single` flag; truefalse ->
true_false; shortanswer and multianswer -> cloze; match -> match; ordering -> order;
three multi-response groups written by our exporter -> bowtie; the rest is skipped.
"""

from __future__ import annotations

import re
from typing import Any

from immunoquiz.banks.interop.moodle import GAP, Answer, MoodleQuestion, Text
from immunoquiz.banks.interop.sources_block import Cited, split_sources
from immunoquiz.banks.interop.text import clean, slugify, to_plain
from immunoquiz.banks.lint import MISSING_EXPLANATION
from immunoquiz.records import dataclass, field

Item = dict[str, Any]
_FULL = 0.9999999  # Moodle's 100% (fractions such as 0.3333333 are stored rounded)
_MAX_OPTIONS = 8
_UNDERSCORES = re.compile(r"_{3,}")
_NO_COUNTERPART = {
    "essay": "an essay needs a human grader, which immunoquiz has not",
    "description": "a description is text without a question",
    "numerical": "numerical answers with a tolerance have no counterpart in immunoquiz",
    "calculated": "calculated questions have no counterpart in immunoquiz",
    "calculatedsimple": "calculated questions have no counterpart in immunoquiz",
    "calculatedmulti": "calculated questions have no counterpart in immunoquiz",
    "random": "a random question is a placeholder, not a question",
    "randomsamatch": "random short-answer matching has no counterpart in immunoquiz",
    "ddwtos": "drag-and-drop into text has no counterpart in immunoquiz",
    "gapselect": "select missing words has no counterpart in immunoquiz",
    "ddimageortext": "drag-and-drop onto an image has no counterpart in immunoquiz",
    "ddmarker": "drag-and-drop markers have no counterpart in immunoquiz",
}
BOWTIE_HEADINGS = (
    "Condition (choose 1):",
    "Actions (choose 2):",
    "Parameters to monitor (choose 2):",
)


@dataclass
class Mapped:
    item: Item | None
    reason: str = ""
    warnings: list[str] = field(default_factory=list)
    sources: list[Cited] = field(default_factory=list)


class _Skip(Exception):
    pass


def map_question(q: MoodleQuestion) -> Mapped:
    """The bank item a Moodle question becomes, without its id (the importer assigns ids)."""
    out = Mapped(None)
    try:
        body = _body(q, out)
    except _Skip as exc:
        return Mapped(None, f"{_describe(q)}: {exc}")
    explanation, cited = split_sources(to_plain(q.generalfeedback))
    if not explanation:
        explanation = _fallback_explanation(q)
    if not explanation:
        explanation = MISSING_EXPLANATION
        out.warnings.append(
            "the question has no general feedback, so its explanation says one must be "
            "written (validate --strict flags it)"
        )
    item: Item = {"type": body.pop("type"), **body, "explanation": explanation}
    tags = _tags(q)
    if tags:
        item["tags"] = tags
    if cited:
        item["sources"] = [c.key for c in cited]
    out.item, out.sources = item, cited
    return out


def id_hint(q: MoodleQuestion) -> str:
    """The item id: Moodle's idnumber if it is one already, else made from it or the name."""
    if re.fullmatch(r"[a-z0-9][a-z0-9-]*", q.idnumber):
        return q.idnumber
    return slugify(q.idnumber) or slugify(q.name) or "question"


def _describe(q: MoodleQuestion) -> str:
    return f"{q.qtype or 'unknown'} question '{' '.join(q.name.split())[:60]}'"


def _tags(q: MoodleQuestion) -> list[str]:
    # Not the context ($course$), Moodle's root "top" or its automatic "Default for ...".
    parts = [
        p for p in q.category.split("/") if p and not re.fullmatch(r"\$\w*\$|top|Default for .*", p)
    ]
    out: list[str] = []
    for raw in [*parts, *q.tags]:
        tag = slugify(raw)
        if tag and tag not in out:
            out.append(tag)
    return out


def _plain(value: Text) -> str:
    return to_plain(value).replace(GAP, "_____")


def _fallback_explanation(q: MoodleQuestion) -> str:
    """Where the source has no general feedback: the correct answer's feedback."""
    if q.qtype == "truefalse":
        return _plain(q.feedbacktrue if q.correctanswer else q.feedbackfalse)
    for answer in q.answers:
        if answer.fraction >= _FULL and _plain(answer.feedback):
            return _plain(answer.feedback)
    return ""


def _body(q: MoodleQuestion, out: Mapped) -> Item:
    if q.qtype == "multichoice":
        return _multichoice(q, out)
    if q.qtype == "truefalse":
        return _truefalse(q, out)
    if q.qtype == "shortanswer":
        return _shortanswer(q, out)
    if q.qtype == "match":
        return _match(q)
    if q.qtype == "ordering":
        return _ordering(q, out)
    if q.qtype == "multianswer":
        return _multianswer(q, out)
    raise _Skip(_NO_COUNTERPART.get(q.qtype, "this question type has no counterpart in immunoquiz"))


def _prompt(q: MoodleQuestion) -> str:
    prompt = _plain(q.questiontext)
    if not prompt:
        raise _Skip("the question text is empty (images are not imported)")
    return prompt


def _options(q: MoodleQuestion, correct: list[bool]) -> list[Item]:
    options: list[Item] = []
    for number, (answer, right) in enumerate(zip(q.answers, correct, strict=True), 1):
        text = _plain(answer.text)
        if not text:
            raise _Skip(f"answer {number} has no text (images are not imported)")
        option: Item = {"text": text}
        if right:
            option["correct"] = True
        why = _plain(answer.feedback)
        if why:
            option["why"] = why
        options.append(option)
    return options


def _multichoice(q: MoodleQuestion, out: Mapped) -> Item:
    # Moodle's save drops answers left blank.
    q.answers = [a for a in q.answers if a.text.text.strip()]
    if not 2 <= len(q.answers) <= _MAX_OPTIONS:
        raise _Skip(f"it has {len(q.answers)} answers; immunoquiz takes 2 to {_MAX_OPTIONS}")
    full = [a for a in q.answers if a.fraction >= _FULL]
    prompt = _prompt(q)
    if q.single and len(full) == 1:
        for a in q.answers:
            if 0 < a.fraction < _FULL:
                out.warnings.append(
                    f"answer '{_short(a)}' earned {_percent(a)} in Moodle; here it is a wrong "
                    "option (a single-answer item has one right answer)"
                )
        options = _options(q, [a is full[0] for a in q.answers])
        return {"type": "single", "prompt": prompt, "options": options}
    if q.single and not full:
        raise _Skip("no answer is worth 100%, which a single-answer question needs")
    if q.single:
        out.warnings.append(
            f"{len(full)} answers are 100% correct, so it is imported as select-all-that-apply"
        )
    right = [a.fraction > 0 for a in q.answers]
    if not any(right):
        raise _Skip("no answer has a positive weight")
    item: Item = {"type": "multiple", "prompt": prompt, "options": _options(q, right)}
    if not any(a.fraction < 0 for a in q.answers):
        # Moodle deducts nothing for a wrong tick here; neither does zero_one.
        item["scoring"] = "zero_one"
    return item


def _truefalse(q: MoodleQuestion, out: Mapped) -> Item:
    right, wrong = (
        (q.feedbacktrue, q.feedbackfalse) if q.correctanswer else (q.feedbackfalse, q.feedbacktrue)
    )
    if _plain(wrong) or (_plain(right) and _plain(q.generalfeedback)):
        out.warnings.append(
            "per-answer feedback is not imported (a true/false item has one explanation)"
        )
    return {"type": "true_false", "statement": _prompt(q), "answer": bool(q.correctanswer)}


def _blank_answers(q: MoodleQuestion, answers: list[Answer], out: Mapped, what: str) -> list[str]:
    alternatives: list[str] = []
    for a in answers:
        text = clean(_plain(a.text))
        if not text:
            continue
        if a.fraction < _FULL:
            if a.fraction > 0:
                out.warnings.append(
                    f"{what}answer '{text}' ({_percent(a)}) is not imported: a blank takes "
                    "only fully correct answers"
                )
            continue
        if text == "*":
            out.warnings.append(f"{what}the '*' answer (anything) is not imported")
            continue
        if any(c in text for c in "|{}"):
            raise _Skip(f"{what}answer '{text}' holds '|', '{{' or '}}', which a blank cannot")
        if "*" in text:
            out.warnings.append(f"{what}'*' in '{text}' is a wildcard in Moodle, not here")
        alternatives.append(text)
    if not alternatives:
        raise _Skip(f"{what}no answer is worth 100%")
    return alternatives


def _shortanswer(q: MoodleQuestion, out: Mapped) -> Item:
    blank = "{{" + "|".join(_blank_answers(q, q.answers, out, "")) + "}}"
    if q.usecase:
        out.warnings.append("Moodle matched its answers case-sensitively; immunoquiz ignores case")
    text = to_plain(q.questiontext)
    if GAP in text:
        text = text.replace(GAP, blank, 1)
    elif _UNDERSCORES.search(text):
        text = _UNDERSCORES.sub(blank, text, count=1)
    else:
        text = f"{text} {blank}" if text else blank
    _check_cloze_text(text, 1)
    return {"type": "cloze", "text": text.replace(GAP, "_____")}


def _check_cloze_text(text: str, blanks: int) -> None:
    if text.count("{{") != blanks or text.count("}}") != blanks:
        raise _Skip("the question text itself holds '{{' or '}}', which a cloze item cannot")


def _match(q: MoodleQuestion) -> Item:
    rows: list[str] = []
    columns: list[str] = []
    answer: dict[str, str] = {}
    for sub in q.subquestions:
        row, column = _plain(sub.text), clean(sub.answer)
        if not column:
            if row:
                raise _Skip(f"'{row[:40]}' has no answer")
            continue
        if column not in columns:
            columns.append(column)
        if not row:
            continue  # an answer without a question: one more column to choose from
        if row in answer:
            raise _Skip(f"'{row[:40]}' is asked twice")
        rows.append(row)
        answer[row] = column
    if not rows:
        raise _Skip("it has no question to match")
    return {
        "type": "match",
        "prompt": _prompt(q),
        "rows": rows,
        "columns": columns,
        "answer": answer,
    }


def _ordering(q: MoodleQuestion, out: Mapped) -> Item:
    items = [_plain(a.text) for a in q.answers]
    items = [i for i in items if i]
    if not 2 <= len(items) <= _MAX_OPTIONS:
        raise _Skip(f"it has {len(items)} items to order; immunoquiz takes 2 to {_MAX_OPTIONS}")
    if q.selecttype != "ALL" and q.selectcount < len(items):
        out.warnings.append(
            f"Moodle showed {q.selectcount} of the {len(items)} items; immunoquiz shows them all"
        )
    item: Item = {"type": "order", "prompt": _prompt(q), "items": items}
    if q.gradingtype != "ALL_OR_NOTHING":
        item["scoring"] = "pairs"
        if q.gradingtype != "RELATIVE_ALL_PREVIOUS_AND_NEXT":
            out.warnings.append(
                f"Moodle graded it {q.gradingtype}; immunoquiz gives credit for pairs in order"
            )
    return item


def _multianswer(q: MoodleQuestion, out: Mapped) -> Item:
    marks = {f"{{#{n}}}": chr(0xE100 + n) for n in range(1, len(q.subquestions) + 1)}
    html = q.questiontext.text
    for placeholder, mark in marks.items():
        html = html.replace(placeholder, mark, 1)
    text = to_plain(Text(html, q.questiontext.format)).replace(GAP, "_____")
    kinds = {s.qtype for s in q.subquestions}
    if kinds == {"multiresponse"}:
        return _bowtie(q, text)
    blanks: list[str] = []
    choices: list[list[str]] = []
    for number, sub in enumerate(q.subquestions, 1):
        what = f"blank {number}: "
        if sub.qtype == "numerical":
            raise _Skip(f"blank {number} is numerical, which has no counterpart in immunoquiz")
        if sub.qtype == "multiresponse":
            raise _Skip(f"blank {number} is multi-response, which a cloze blank cannot be")
        blanks.append("{{" + "|".join(_blank_answers(q, sub.answers, out, what)) + "}}")
        if sub.qtype == "multichoice":
            offered = [clean(_plain(a.text)) for a in sub.answers]
            choices.append([c for c in offered if c])
    if choices and len(choices) != len(blanks):
        raise _Skip("it mixes typed and drop-down blanks, which one cloze item cannot")
    for number, blank in enumerate(blanks, 1):
        text = text.replace(chr(0xE100 + number), blank, 1)
    _check_cloze_text(text, len(blanks))
    item: Item = {"type": "cloze", "text": text}
    if choices:
        item["choices"] = choices
    return item


def _bowtie(q: MoodleQuestion, text: str) -> Item:
    """Three multi-response groups laid out as our exporter writes a bow-tie."""
    marks = [chr(0xE101), chr(0xE102), chr(0xE103)]
    tail = "".join(f"\n\n{h}\n\n{m}" for h, m in zip(BOWTIE_HEADINGS, marks, strict=True))
    if len(q.subquestions) != 3 or not text.endswith(tail):
        raise _Skip("its blanks are multi-response, which a cloze blank cannot be")
    prompt = text[: -len(tail)].strip()
    lists: list[list[Item]] = []
    for sub in q.subquestions:
        options: list[Item] = []
        for a in sub.answers:
            option: Item = {"text": clean(_plain(a.text))}
            if a.fraction > 0:
                option["correct"] = True
            why = clean(_plain(a.feedback))
            if why:
                option["why"] = why
            options.append(option)
        lists.append(options)
    return {
        "type": "bowtie",
        "prompt": prompt,
        "conditions": lists[0],
        "actions": lists[1],
        "parameters": lists[2],
    }


def _short(answer: Answer) -> str:
    text = " ".join(_plain(answer.text).split())
    return text if len(text) <= 40 else text[:39] + "…"


def _percent(answer: Answer) -> str:
    return f"{answer.fraction * 100:.5g}%"
