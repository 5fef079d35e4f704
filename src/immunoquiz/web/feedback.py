"""The feedback of one answered item as template data, from `present.explain`.

Only used after that learner's submission (or, with `feedback: immediate`, once the
item's answer is final): the one place the key reaches a page. Choice items list
every option as shown with its verdict and reason; cloze, order and match items,
which have no options, list each blank, position or row against the key.
"""

from __future__ import annotations

from typing import Any

from immunoquiz import scoring
from immunoquiz.banks.model import CaseItem, ClozeItem, Item, MatchItem, OrderItem
from immunoquiz.present import Layout, explain
from immunoquiz.present.explain import Explanation
from immunoquiz.responses import (
    CaseResponse,
    ClozeResponse,
    MatchResponse,
    OrderResponse,
    Response,
)

GROUP_WORDS = {"conditions": "condition", "actions": "action", "parameters": "parameter"}


def _css(score_points: float, score_max: float) -> str:
    if score_max and score_points >= score_max:
        return "right"
    return "partial" if score_points > 0 else "wrong"


def _row(css: str, mark: str, text: str, why: str | None = None) -> dict[str, Any]:
    return {"css": css, "mark": mark, "text": text, "why": why}


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
    return _data(item, response, e)


def _data(item: Item, response: Response, e: Explanation) -> dict[str, Any]:
    headline = e.headline.rstrip(".")
    word, _, score = headline.partition(": ")
    rows = [
        _row(
            line.verdict or "none",
            line.words,
            line.text if line.group == "options" else f"{GROUP_WORDS[line.group]}: {line.text}",
            line.why,
        )
        for line in e.options
    ]
    rows += _key_rows(item, response)
    parts = []
    if isinstance(item, CaseItem) and isinstance(response, CaseResponse):
        parts = [
            _data(part, answer, part_e)
            for part, answer, part_e in zip(item.parts, response.parts, e.parts, strict=True)
        ]
    return {
        "verdict": word,
        "verdict_class": _css(e.score.points, e.score.max),
        "score": f"{score} points",
        "rows": rows,
        "explanation": e.rationale,
        "parts": parts,
    }


def _key_rows(item: Item, response: Response) -> list[dict[str, Any]]:
    rows = []
    if isinstance(item, ClozeItem) and isinstance(response, ClozeResponse):
        for n, (blank, typed) in enumerate(zip(item.blanks, response.blanks, strict=True), 1):
            ok = scoring.blank_correct(blank, typed)
            text = f"Blank {n}: “{typed}”" + ("" if ok else f"; the answer is “{blank.answers[0]}”")
            rows.append(_row("right" if ok else "wrong", "Right" if ok else "Not right", text))
    elif isinstance(item, OrderItem) and isinstance(response, OrderResponse):
        for rank, given in enumerate(response.order):
            ok = given == rank
            text = f"{rank + 1}. {item.items[given]}" + (
                "" if ok else f" (in position {rank + 1}: {item.items[rank]})"
            )
            rows.append(_row("right" if ok else "wrong", "Right" if ok else "Not right", text))
    elif isinstance(item, MatchItem) and isinstance(response, MatchResponse):
        for row, pick, right in zip(item.rows, response.picks, item.answer, strict=True):
            ok = pick == right
            picked = item.columns[pick] if pick is not None else "nothing"
            text = f"{row} → {picked}" + ("" if ok else f" (the answer: {item.columns[right]})")
            rows.append(_row("right" if ok else "wrong", "Right" if ok else "Not right", text))
    return rows
