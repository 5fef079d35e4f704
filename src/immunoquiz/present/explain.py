"""After an answer: the score in words and, per option as it was shown, the verdict and why.

Clients render this model (plain mode as numbered lines, the TUI as marked
rows, the web as a list); the words are decided here once.
"""

from __future__ import annotations

from dataclasses import dataclass

from immunoquiz.banks.model import BowtieItem, CaseItem, Item, MultipleItem, SingleItem
from immunoquiz.basics import OPTION_VERDICT_WORDS
from immunoquiz.present.layout import BOWTIE_GROUPS, Layout
from immunoquiz.responses import CaseResponse, Response, Score
from immunoquiz.scoring import option_feedback, part_scores


def score_words(score: Score) -> str:
    """'Correct: 1/1.', 'Partly correct: 2/3, scored +/- scoring.' or 'Incorrect: 0/1.'"""
    rule = f", scored {score.rule}" if score.rule and score.rule != "correct/incorrect" else ""
    return f"{score.verdict}: {score}{rule}."


@dataclass(frozen=True)
class OptionLine:
    """One option of a single, multiple or bow-tie item, where and how it was shown."""

    group: str  # "options" or a bow-tie group
    index: int  # in the bank
    number: int  # 1-based, as shown
    text: str
    chosen: bool
    correct: bool
    verdict: str  # "right" | "wrong" | "missed" | ""
    words: str  # OPTION_VERDICT_WORDS[verdict]
    why: str | None


@dataclass(frozen=True)
class Explanation:
    score: Score
    headline: str  # score_words(score)
    options: tuple[OptionLine, ...]  # in the order shown, group by group
    rationale: str
    parts: tuple[Explanation, ...] = ()  # a case: one per part


def explain(item: Item, response: Response, score: Score, layout: Layout) -> Explanation:
    """The explanation of `response` to `item`, laid out as `layout` showed it."""
    parts: tuple[Explanation, ...] = ()
    if isinstance(item, CaseItem) and isinstance(response, CaseResponse):
        scores = part_scores(item, response)
        parts = tuple(
            explain(part, answer, part_score, part_layout)
            for part, answer, part_score, part_layout in zip(
                item.parts, response.parts, scores, layout.parts, strict=True
            )
        )
    lines: list[OptionLine] = []
    if isinstance(item, SingleItem | MultipleItem | BowtieItem):
        verdicts = {(v.group, v.index): v for v in option_feedback(item, response)}
        groups = BOWTIE_GROUPS if isinstance(item, BowtieItem) else ("options",)
        for group in groups:
            for number, index in enumerate(layout.shown(group), start=1):
                v = verdicts[(group, index)]
                lines.append(
                    OptionLine(
                        group,
                        index,
                        number,
                        v.option.text,
                        v.chosen,
                        v.correct,
                        v.verdict,
                        OPTION_VERDICT_WORDS[v.verdict],
                        v.option.why,
                    )
                )
    return Explanation(score, score_words(score), tuple(lines), item.explanation, parts)
