"""The feedback of one answered item as template data, from `present.explain`.

Only used after that learner's submission (or, with `feedback: immediate`, once the
item's answer is final): the one place the key reaches a page. Choice items list
every option as shown with its verdict and reason; true/false, cloze, order and
match items, which have no options, list the statement and each blank, place or row
against the key (`present.KeyLine`). The verdicts and their words are the model's.
"""

from __future__ import annotations

from typing import Any

from immunoquiz import scoring
from immunoquiz.banks.model import Item
from immunoquiz.present import Explanation, KeyLine, Layout, explain
from immunoquiz.responses import Response

GROUP_WORDS = {"conditions": "condition", "actions": "action", "parameters": "parameter"}


def _css(score_points: float, score_max: float) -> str:
    if score_max and score_points >= score_max:
        return "right"
    return "partial" if score_points > 0 else "wrong"


def _row(kind: str, css: str, mark: str, text: str, why: str | None = None) -> dict[str, Any]:
    """kind: "option" or "key" (a blank, place, row or statement)."""
    return {"kind": kind, "css": css, "mark": mark, "text": text, "why": why}


def explained(item: Item, response: Response | None, layout: Layout) -> dict[str, Any]:
    if response is None:
        points = scoring.max_points(item)
        return {
            "verdict": "Not answered",
            "verdict_class": "wrong",
            "score": f"0/{points:g} points",
            "rows": [],
            "explanation": item.explanation,
            "parts": [
                explained(part, None, part_layout)
                for part, part_layout in zip(getattr(item, "parts", ()), layout.parts, strict=False)
            ],
        }
    e = explain(item, response, scoring.score(item, response), layout)
    return _data(e)


def _data(e: Explanation) -> dict[str, Any]:
    headline = e.headline.rstrip(".")
    word, _, score = headline.partition(": ")
    rows = [
        _row(
            "option",
            line.verdict or "none",
            line.words,
            line.text if line.group == "options" else f"{GROUP_WORDS[line.group]}: {line.text}",
            line.why,
        )
        for line in e.options
    ]
    rows += [_key_row(line) for line in e.keys]
    return {
        "verdict": word,
        "verdict_class": _css(e.score.points, e.score.max),
        "score": f"{score} points",
        "rows": rows,
        "explanation": e.rationale,
        "parts": [_data(part) for part in e.parts],
    }


def _key_row(line: KeyLine) -> dict[str, Any]:
    """A blank, place, row or statement against the key, in one sentence."""
    given, answer = line.given, line.answer
    if line.kind == "statement":
        text = f"You answered {given}" + ("" if line.correct else f"; the statement is {answer}")
    elif line.kind == "blank":
        text = f"{line.label}: “{given}”" + ("" if line.correct else f"; the answer is “{answer}”")
    elif line.kind == "place":
        text = f"{line.label} {given}" + ("" if line.correct else f" (in this place: {answer})")
    else:
        text = f"{line.label} → {given or 'nothing'}" + (
            "" if line.correct else f" (the answer: {answer})"
        )
    return _row("key", "right" if line.correct else "wrong", line.words, text)
