"""After an answer: the score in words and, per option as it was shown, the verdict and why.

Items without options get one `KeyLine` per thing the learner answered: the
statement of a true/false item, each cloze blank, each place of an order item
(in the learner's order), each match row as shown. Clients render this model
(plain mode as numbered lines, the TUI as marked rows, the web as a list); the
verdicts and their words are decided here once, and no client works out
itself whether a part of an answer was right.
"""

from __future__ import annotations

from immunoquiz.banks.model import (
    BowtieItem,
    CaseItem,
    ClozeItem,
    Item,
    MatchItem,
    MultipleItem,
    OrderItem,
    SingleItem,
    TrueFalseItem,
)
from immunoquiz.basics import OPTION_VERDICT_WORDS
from immunoquiz.present.layout import BOWTIE_GROUPS, Layout
from immunoquiz.records import dataclass
from immunoquiz.responses import (
    CaseResponse,
    ClozeResponse,
    MatchResponse,
    OrderResponse,
    Response,
    Score,
    TrueFalseResponse,
)
from immunoquiz.scoring import blank_correct, option_feedback, part_scores

# The verdict of a KeyLine in words, as every client says it.
KEY_WORDS = {True: "Correct", False: "Not correct"}


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
class KeyLine:
    """One answered thing of a true/false, cloze, order or match item, against the key.

    kind: "statement", "blank" (number: the blank's), "place" (number: the place
    in the learner's order) or "row" (number: as shown; label: the row's text).
    `given` is the learner's answer in words ("" when none), `answer` the right one
    (accepted alternatives joined with " or ").
    """

    kind: str
    number: int
    label: str
    given: str
    answer: str
    correct: bool

    @property
    def words(self) -> str:
        return KEY_WORDS[self.correct]


@dataclass(frozen=True)
class Explanation:
    score: Score
    headline: str  # score_words(score)
    options: tuple[OptionLine, ...]  # in the order shown, group by group
    rationale: str
    parts: tuple[Explanation, ...] = ()  # a case: one per part
    keys: tuple[KeyLine, ...] = ()  # the other types, in the order shown


def _truth(value: bool) -> str:
    return "True" if value else "False"


def key_lines(item: Item, response: Response, layout: Layout) -> tuple[KeyLine, ...]:
    """The KeyLines of an answer to a true/false, cloze, order or match item."""
    if isinstance(item, TrueFalseItem) and isinstance(response, TrueFalseResponse):
        said, truth = _truth(response.value), _truth(item.answer)
        return (KeyLine("statement", 1, item.statement, said, truth, said == truth),)
    if isinstance(item, ClozeItem) and isinstance(response, ClozeResponse):
        return tuple(
            KeyLine(
                "blank",
                n,
                f"Blank {n}",
                typed.strip(),
                " or ".join(blank.answers),
                blank_correct(blank, typed),
            )
            for n, (blank, typed) in enumerate(zip(item.blanks, response.blanks, strict=True), 1)
        )
    if isinstance(item, OrderItem) and isinstance(response, OrderResponse):
        return tuple(
            KeyLine("place", place + 1, f"{place + 1}.", item.items[put], item.items[place],
                    put == place)
            for place, put in enumerate(response.order)
        )  # fmt: skip
    if isinstance(item, MatchItem) and isinstance(response, MatchResponse):
        lines = []
        for number, row in enumerate(layout.shown("rows"), 1):
            pick, right = response.picks[row], item.answer[row]
            chosen = item.columns[pick] if pick is not None else ""
            lines.append(
                KeyLine("row", number, item.rows[row], chosen, item.columns[right], pick == right)
            )
        return tuple(lines)
    return ()


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
    keys = key_lines(item, response, layout)
    return Explanation(score, score_words(score), tuple(lines), item.explanation, parts, keys)
