"""The feedback of one answered item, as template data: verdict, per-option rows, reasons.

Only used after that learner's submission (or, with `feedback: immediate`, after the
item's answer is final): this is the one place the key reaches a page.
"""

from __future__ import annotations

from typing import Any

from immunoquiz import scoring
from immunoquiz.banks.model import CaseItem, ClozeItem, Item, MatchItem, OrderItem
from immunoquiz.responses import (
    CaseResponse,
    ClozeResponse,
    MatchResponse,
    OrderResponse,
    Response,
    Score,
)

MARKS = {"right": "✓ right", "wrong": "✗ wrong", "missed": "✗ missed", "": "·"}


def verdict(score: Score | None) -> tuple[str, str]:
    if score is None:
        return "Not answered", "wrong"
    if score.full:
        return "Correct", "right"
    if score.points > 0:
        return "Partly correct", "partial"
    return "Incorrect", "wrong"


def explained(item: Item, response: Response | None) -> dict[str, Any]:
    score = scoring.score(item, response) if response is not None else None
    words, css = verdict(score)
    points = f"0/{_num(scoring.max_points(item))}" if score is None else str(score)
    data: dict[str, Any] = {
        "verdict": words,
        "verdict_class": css,
        "score": f"{points} points" + (f", {score.rule}" if score is not None else ""),
        "rows": _rows(item, response),
        "explanation": item.explanation,
        "parts": [],
    }
    if isinstance(item, CaseItem):
        answers = response.parts if isinstance(response, CaseResponse) else ()
        data["parts"] = [
            explained(part, answers[k] if k < len(answers) else None)
            for k, part in enumerate(item.parts)
        ]
    return data


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.2f}".rstrip("0")


def _row(mark: str, text: str, why: str | None = None) -> dict[str, Any]:
    return {"css": mark, "mark": MARKS[mark], "text": text, "why": why}


def _rows(item: Item, response: Response | None) -> list[dict[str, Any]]:
    if response is None:
        return []
    rows = []
    for v in scoring.option_feedback(item, response):
        label = v.option.text if v.group == "options" else f"{v.group[:-1]}: {v.option.text}"
        if v.chosen or v.correct:
            mark = v.verdict
            rows.append(_row(mark, label, v.option.why))
    if isinstance(item, ClozeItem) and isinstance(response, ClozeResponse):
        for n, (blank, typed) in enumerate(zip(item.blanks, response.blanks, strict=True), 1):
            ok = scoring.blank_correct(blank, typed)
            text = f"blank {n}: “{typed}”" + ("" if ok else f", expected “{blank.answers[0]}”")
            rows.append(_row("right" if ok else "wrong", text))
    elif isinstance(item, OrderItem) and isinstance(response, OrderResponse):
        for rank, (given, right) in enumerate(zip(response.order, range(len(item.items))), 1):
            ok = given == right
            text = f"{rank}. {item.items[given]}" + ("" if ok else f" (should be {item.items[right]})")
            rows.append(_row("right" if ok else "wrong", text))
    elif isinstance(item, MatchItem) and isinstance(response, MatchResponse):
        for row, pick, right in zip(item.rows, response.picks, item.answer, strict=True):
            ok = pick == right
            picked = item.columns[pick] if pick is not None else "nothing"
            text = f"{row} → {picked}" + ("" if ok else f" (should be {item.columns[right]})")
            rows.append(_row("right" if ok else "wrong", text))
    return rows
