"""What a learner answered, one frozen type per item type, and the Score it earns.

Indices always refer to the item's options/rows/columns *as written in the
bank*, never to a shuffled display order, so a logged response keeps its
meaning however the screen showed it. Every response round-trips through JSON
(`to_json` / `response_from_json`) for the review log and results files.
"""

from __future__ import annotations

from typing import Any, ClassVar

from immunoquiz.basics import num, verdict_word
from immunoquiz.records import dataclass


@dataclass(frozen=True, slots=True)
class Score:
    points: float
    max: float
    rule: str = ""  # human label of the rule used, e.g. "+/- scoring"

    @property
    def full(self) -> bool:
        return self.max > 0 and self.points >= self.max

    @property
    def fraction(self) -> float:
        return self.points / self.max if self.max else 0.0

    @property
    def verdict(self) -> str:
        """'Correct', 'Partly correct' or 'Incorrect'."""
        return verdict_word(self.points, self.max)

    def __str__(self) -> str:
        return f"{num(self.points)}/{num(self.max)}"


class Response:
    kind: ClassVar[str] = ""

    def to_json(self) -> dict[str, Any]:
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class SingleResponse(Response):
    kind: ClassVar[str] = "single"
    choice: int

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "choice": self.choice}


@dataclass(frozen=True, slots=True)
class MultipleResponse(Response):
    kind: ClassVar[str] = "multiple"
    choices: frozenset[int]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "choices": sorted(self.choices)}


@dataclass(frozen=True, slots=True)
class TrueFalseResponse(Response):
    kind: ClassVar[str] = "true_false"
    value: bool

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": self.value}


@dataclass(frozen=True, slots=True)
class ClozeResponse(Response):
    kind: ClassVar[str] = "cloze"
    blanks: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "blanks": list(self.blanks)}


@dataclass(frozen=True, slots=True)
class OrderResponse(Response):
    kind: ClassVar[str] = "order"
    order: tuple[int, ...]  # indices into item.items, in the learner's order

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "order": list(self.order)}


@dataclass(frozen=True, slots=True)
class MatchResponse(Response):
    kind: ClassVar[str] = "match"
    picks: tuple[int | None, ...]  # per row, a column index or None (unanswered)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "picks": list(self.picks)}


@dataclass(frozen=True, slots=True)
class BowtieResponse(Response):
    kind: ClassVar[str] = "bowtie"
    conditions: frozenset[int]
    actions: frozenset[int]
    parameters: frozenset[int]

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "conditions": sorted(self.conditions),
            "actions": sorted(self.actions),
            "parameters": sorted(self.parameters),
        }


@dataclass(frozen=True, slots=True)
class CaseResponse(Response):
    kind: ClassVar[str] = "case"
    parts: tuple[Response, ...]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "parts": [p.to_json() for p in self.parts]}


def response_from_json(data: dict[str, Any]) -> Response:
    """Inverse of `Response.to_json`; raises ValueError on anything malformed."""
    try:
        kind = data["kind"]
        if kind == "single":
            return SingleResponse(int(data["choice"]))
        if kind == "multiple":
            return MultipleResponse(frozenset(int(i) for i in data["choices"]))
        if kind == "true_false":
            return TrueFalseResponse(bool(data["value"]))
        if kind == "cloze":
            return ClozeResponse(tuple(str(s) for s in data["blanks"]))
        if kind == "order":
            return OrderResponse(tuple(int(i) for i in data["order"]))
        if kind == "match":
            return MatchResponse(tuple(None if p is None else int(p) for p in data["picks"]))
        if kind == "bowtie":
            return BowtieResponse(
                frozenset(int(i) for i in data["conditions"]),
                frozenset(int(i) for i in data["actions"]),
                frozenset(int(i) for i in data["parameters"]),
            )
        if kind == "case":
            return CaseResponse(tuple(response_from_json(p) for p in data["parts"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"malformed response: {exc}") from exc
    raise ValueError(f"unknown response kind: {data.get('kind')!r}")
