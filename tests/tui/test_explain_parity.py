"""One explanation for every client: TUI, plain mode and web page state the model's verdicts.

For every item type, several seeds and a right and a wrong answer, each option
(or blank, place, row, statement) gets the same verdict in the same words from
`present.explain`, the TUI's feedback view, plain mode's feedback lines and the
web result page's data. Each client is read as a learner would read it: the
TUI's rendered rows, plain mode's printed lines, the page's rows.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sample_banks import ALL_ITEMS, every_type_bank
from textual.app import App, ComposeResult

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
from immunoquiz.plain.render import explained as plain_explained
from immunoquiz.present import Explanation, Layout, explain, layout
from immunoquiz.responses import (
    BowtieResponse,
    CaseResponse,
    ClozeResponse,
    MatchResponse,
    MultipleResponse,
    OrderResponse,
    Response,
    SingleResponse,
    TrueFalseResponse,
)
from immunoquiz.scoring import score
from immunoquiz.tui.widgets.feedback import FeedbackView, KeyRow, OptionVerdictRow
from immunoquiz.web.feedback import explained as web_explained

SEEDS = (1, 7, 2026)
Verdicts = tuple[dict[str, str], list[str]]  # option text -> words; key words in order


def answers(item: Item, right: bool) -> Response:
    """A whole answer to `item`: all right, or partly wrong."""
    if isinstance(item, SingleItem):
        picks = [i for i, o in enumerate(item.options) if o.correct == right]
        return SingleResponse(picks[0])
    if isinstance(item, MultipleItem):
        good = [i for i, o in enumerate(item.options) if o.correct]
        bad = [i for i, o in enumerate(item.options) if not o.correct]
        return MultipleResponse(frozenset(good if right else [good[0], bad[0]]))
    if isinstance(item, TrueFalseItem):
        return TrueFalseResponse(item.answer if right else not item.answer)
    if isinstance(item, ClozeItem):
        typed = [b.answers[0] for b in item.blanks]
        if not right:
            typed = ["wrong words", *[b.choices[-1] if b.choices else "x" for b in item.blanks[1:]]]
        return ClozeResponse(tuple(typed))
    if isinstance(item, OrderItem):
        n = len(item.items)
        return OrderResponse(tuple(range(n)) if right else (1, 0, *range(2, n)))
    if isinstance(item, MatchItem):
        picks = list(item.answer)
        if not right:
            picks = picks[1:] + picks[:1]
        return MatchResponse(tuple(picks))
    if isinstance(item, BowtieItem):
        chosen = {}
        for name, want in BowtieItem.PICKS:
            options = getattr(item, name)
            good = [i for i, o in enumerate(options) if o.correct]
            bad = [i for i, o in enumerate(options) if not o.correct]
            chosen[name] = frozenset(good if right else (bad + good)[:want])
        return BowtieResponse(**chosen)
    assert isinstance(item, CaseItem)
    return CaseResponse(tuple(answers(p, right or n == 0) for n, p in enumerate(item.parts)))


def flat(e: Explanation) -> Verdicts:
    options = {line.text: line.words for line in e.options}
    keys = [k.words for k in e.keys]
    for part in e.parts:
        more, more_keys = flat(part)
        options.update(more)
        keys += more_keys
    return options, keys


OPTION_WORDS = sorted(OPTION_VERDICT_WORDS.values(), key=len, reverse=True)
KEY_WORDS = re.compile(r"(?:^|: )(Correct|Not correct)\.(?: |$)")


def plain_verdicts(lines: list[str]) -> Verdicts:
    options: dict[str, str] = {}
    keys: list[str] = []
    for before, line in zip(["", *lines], lines, strict=False):
        said = line.strip()
        word = next((w for w in OPTION_WORDS if said == w + "." or said.startswith(w + ". ")), None)
        if word is not None:  # "  2. Option text" then "     Your answer, correct. Why"
            options[re.sub(r"^[cap]?\d+\. ", "", before.strip())] = word
        elif m := KEY_WORDS.search(said):
            keys.append(m.group(1))
    return options, keys


def web_verdicts(data: dict[str, Any]) -> Verdicts:
    options: dict[str, str] = {}
    keys: list[str] = []
    for row in data["rows"]:
        if row["kind"] == "option":
            options[re.sub(r"^(condition|action|parameter): ", "", row["text"])] = row["mark"]
        else:
            keys.append(row["mark"])
    for part in data["parts"]:
        more, more_keys = web_verdicts(part)
        options.update(more)
        keys += more_keys
    return options, keys


class Feedback(App[None]):
    def __init__(self, item: Item, response: Response, shown: Layout) -> None:
        super().__init__()
        self.item, self.response, self.shown = item, response, shown

    def compose(self) -> ComposeResult:
        bank = every_type_bank()
        result = score(self.item, self.response)
        yield FeedbackView(bank, self.item, self.response, result, layout=self.shown)


async def tui_verdicts(item: Item, response: Response, shown: Layout) -> Verdicts:
    """The feedback rows as rendered: 'Option text  — Your answer, correct' and key rows."""
    app = Feedback(item, response, shown)
    options: dict[str, str] = {}
    keys: list[str] = []
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        for row in app.query(OptionVerdictRow):
            text, _, words = row.body.plain.split("\n")[0].rpartition("  — ")
            options[text] = words
        for key in app.query(KeyRow):
            keys.append(key.body.plain.rpartition("  — ")[2].split(";")[0])
    return options, keys


@pytest.mark.parametrize("right", [True, False], ids=["right", "wrong"])
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("item", ALL_ITEMS, ids=lambda i: i.type + "-" + i.id)
async def test_tui_plain_web_and_model_state_the_same_verdicts(
    item: Item, seed: int, right: bool
) -> None:
    shown = layout(item, seed)
    response = answers(item, right)
    model = explain(item, response, score(item, response), shown)
    expected = flat(model)
    options, keys = expected
    assert options or keys, "every type states at least one verdict"
    assert model.score.full == right
    bank = every_type_bank()
    assert plain_verdicts(plain_explained(bank, item, model, shown)) == expected
    assert web_verdicts(web_explained(item, response, shown)) == expected
    assert await tui_verdicts(item, response, shown) == expected
