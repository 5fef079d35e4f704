"""An item as a browser may see it, and a submitted form back to a `Response`.

The page never holds a bank index: every option, row and blank choice is named by
its position on screen, and the layout (the same for every learner of the session)
maps positions back to bank indices here on the server. Bank order often puts the
right option first, and an order item's bank order *is* its key, so a bank index in
the HTML would leak the answer. Nothing that marks an answer (correct flags, `why`,
explanations, the keyed order) goes into a view.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from immunoquiz import scoring
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
from immunoquiz.present import incomplete
from immunoquiz.records import dataclass, field
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

MAX_BLANK = 200  # characters kept of one typed blank
BOWTIE_LABELS = {
    "conditions": "Condition most likely",
    "actions": "Actions to take",
    "parameters": "Parameters to monitor",
}


class Layout(Protocol):
    """Display order per list (display position -> bank index), and the parts' layouts."""

    @property
    def lists(self) -> Mapping[str, tuple[int, ...]]: ...

    @property
    def parts(self) -> tuple[Any, ...]: ...


class FormProblem(ValueError):
    """A form that cannot be an answer; the message is for the learner."""


Form = Mapping[str, list[str]]  # field name -> every value sent for it


@dataclass
class View:
    """Template data for one item (or case part): text, choices and what is picked."""

    type: str
    prefix: str
    stem: str
    choose: int | None = None
    options: list[tuple[int, str]] = field(default_factory=list)
    picked: set[int] = field(default_factory=set)
    value: str | None = None  # true/false: "true" | "false"
    segments: list[str] = field(default_factory=list)
    blanks: list[dict[str, Any]] = field(default_factory=list)
    ranks: dict[int, int] = field(default_factory=dict)  # order: display row -> rank
    columns: list[tuple[int, str]] = field(default_factory=list)
    row_picks: dict[int, int] = field(default_factory=dict)  # match: display row -> column
    groups: list[dict[str, Any]] = field(default_factory=list)
    update: str | None = None
    parts: list[View] = field(default_factory=list)


def _pos(order: tuple[int, ...], bank: int) -> int:
    return order.index(bank)


def view(item: Item, layout: Layout, response: Response | None, prefix: str = "") -> View:
    """What the page shows for `item`, with `response` (bank indices) shown as picked."""
    v = View(type=item.type, prefix=prefix, stem=item.stem, update=item.update)
    lists = layout.lists
    if isinstance(item, SingleItem | MultipleItem):
        order = lists["options"]
        v.options = [(p, item.options[b].text) for p, b in enumerate(order)]
        if isinstance(item, MultipleItem):
            v.choose = item.choose
        if isinstance(response, SingleResponse):
            v.picked = {_pos(order, response.choice)}
        elif isinstance(response, MultipleResponse):
            v.picked = {_pos(order, c) for c in response.choices}
    elif isinstance(item, TrueFalseItem):
        if isinstance(response, TrueFalseResponse):
            v.value = "true" if response.value else "false"
    elif isinstance(item, ClozeItem):
        v.segments = list(item.segments)
        typed = response.blanks if isinstance(response, ClozeResponse) else ()
        for i, blank in enumerate(item.blanks):
            entry: dict[str, Any] = {
                "value": typed[i] if i < len(typed) else "",
                "choices": None,
                "picked": None,
            }
            if blank.choices:
                order = lists[f"choices{i}"]
                entry["choices"] = [(p, blank.choices[b]) for p, b in enumerate(order)]
                entry["picked"] = next(
                    (p for p, b in enumerate(order) if blank.choices[b] == entry["value"]), None
                )
            v.blanks.append(entry)
    elif isinstance(item, OrderItem):
        order = lists["items"]
        v.options = [(p, item.items[b]) for p, b in enumerate(order)]
        if isinstance(response, OrderResponse):
            v.ranks = {_pos(order, b): rank for rank, b in enumerate(response.order, start=1)}
    elif isinstance(item, MatchItem):
        order = lists["rows"]
        v.options = [(p, item.rows[b]) for p, b in enumerate(order)]
        v.columns = list(enumerate(item.columns))
        if isinstance(response, MatchResponse):
            v.row_picks = {_pos(order, b): c for b, c in enumerate(response.picks) if c is not None}
    elif isinstance(item, BowtieItem):
        for name, count in item.PICKS:
            order = lists[name]
            options = getattr(item, name)
            chosen: frozenset[int] = (
                getattr(response, name) if isinstance(response, BowtieResponse) else frozenset()
            )
            v.groups.append(
                {
                    "name": name,
                    "label": BOWTIE_LABELS[name],
                    "count": count,
                    "options": [(p, options[b].text) for p, b in enumerate(order)],
                    "picked": {_pos(order, b) for b in chosen},
                }
            )
    elif isinstance(item, CaseItem):
        answers = response.parts if isinstance(response, CaseResponse) else ()
        v.parts = [
            view(part, part_layout, answers[k] if k < len(answers) else None, f"p{k}-")
            for k, (part, part_layout) in enumerate(zip(item.parts, layout.parts, strict=True))
        ]
    return v


# --- form -> response -------------------------------------------------------------


def _one(form: Form, name: str) -> str | None:
    values = form.get(name) or []
    if len(values) > 1:
        raise FormProblem("this answer was sent twice; choose once and save again")
    return values[0] if values else None


def _position(text: str, n: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise FormProblem("this answer does not fit the question; choose again") from None
    if not 0 <= value < n:
        raise FormProblem("this answer does not fit the question; choose again")
    return value


def _picks(form: Form, name: str, order: tuple[int, ...]) -> frozenset[int]:
    values = form.get(name) or []
    positions = [_position(v, len(order)) for v in values]
    if len(set(positions)) != len(positions):
        raise FormProblem("an option was sent twice; choose again")
    return frozenset(order[p] for p in positions)


def parse(
    item: Item, layout: Layout, form: Form, prefix: str = "", *, check: bool = True
) -> Response | None:
    """The response a submitted form gives, in bank indices; None if nothing was filled in.

    Raises FormProblem with a sentence for the learner when the form is malformed or
    incomplete (nothing is saved then, and the earlier answer stays). `check=False`
    skips the completeness checks: to show a refused answer back as it was given.
    """
    lists = layout.lists
    p = prefix
    response: Response | None = None
    if isinstance(item, SingleItem):
        picked = _one(form, f"{p}choice")
        if picked is not None:
            response = SingleResponse(lists["options"][_position(picked, len(item.options))])
    elif isinstance(item, MultipleItem):
        chosen = _picks(form, f"{p}choice", lists["options"])
        if chosen:
            response = MultipleResponse(chosen)
    elif isinstance(item, TrueFalseItem):
        value = _one(form, f"{p}value")
        if value is not None:
            if value not in ("true", "false"):
                raise FormProblem("answer true or false")
            response = TrueFalseResponse(value == "true")
    elif isinstance(item, ClozeItem):
        blanks = []
        for i, blank in enumerate(item.blanks):
            text = _one(form, f"{p}blank-{i}") or ""
            if blank.choices and text:
                text = blank.choices[lists[f"choices{i}"][_position(text, len(blank.choices))]]
            blanks.append(text[:MAX_BLANK])
        if any(b.strip() for b in blanks):
            response = ClozeResponse(tuple(blanks))
    elif isinstance(item, OrderItem):
        order = lists["items"]
        n = len(order)
        ranks = {pos: _one(form, f"{p}rank-{pos}") or "" for pos in range(n)}
        if any(ranks.values()):
            if not all(ranks.values()):
                raise FormProblem("give every entry a position")
            by_rank = {_position(r, n + 1): pos for pos, r in ranks.items()}
            if sorted(by_rank) != list(range(1, n + 1)):
                raise FormProblem(f"use each position from 1 to {n} once")
            response = OrderResponse(tuple(order[by_rank[rank]] for rank in range(1, n + 1)))
    elif isinstance(item, MatchItem):
        order = lists["rows"]
        picks: list[int | None] = [None] * len(order)
        for pos, bank in enumerate(order):
            column = _one(form, f"{p}row-{pos}")
            if column is not None:
                picks[bank] = _position(column, len(item.columns))
        if any(c is not None for c in picks):
            response = MatchResponse(tuple(picks))
    elif isinstance(item, BowtieItem):
        groups = {name: _picks(form, f"{p}{name}", lists[name]) for name, _ in item.PICKS}
        if any(groups.values()):
            response = BowtieResponse(groups["conditions"], groups["actions"], groups["parameters"])
    elif isinstance(item, CaseItem):
        parts = [
            parse(part, part_layout, form, f"{p}p{k}-")
            for k, (part, part_layout) in enumerate(zip(item.parts, layout.parts, strict=True))
        ]
        if any(r is not None for r in parts):
            missing = [k + 1 for k, r in enumerate(parts) if r is None]
            if missing:
                raise FormProblem(f"answer part {missing[0]} too")
            response = CaseResponse(tuple(r for r in parts if r is not None))
    if response is not None and check:
        # The same refusals as every other client: no answer without a choice, no over-pick.
        if hint := incomplete(item, response):
            raise FormProblem(hint)
        if reason := scoring.validate_response(item, response):
            raise FormProblem(reason)
    return response


def parse_parts(item: CaseItem, layout: Layout, form: Form, shown: int) -> list[Response | None]:
    """The answers of the first `shown` parts of a case (the ones on the page)."""
    out: list[Response | None] = []
    for k in range(shown):
        part = item.parts[k]
        response = parse(part, layout.parts[k], form, f"p{k}-")
        out.append(response)
    return out
