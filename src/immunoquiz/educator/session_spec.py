"""What a session file means (docs/sessions.md), and which items it picks.

Parsing and located errors live in `session_file.py`; this module is the model
and the deterministic item selection, so it can be tested without YAML.
"""

from __future__ import annotations

import random
from pathlib import Path

from immunoquiz.banks.model import Bank, Item
from immunoquiz.banks.problems import Problem
from immunoquiz.records import dataclass


@dataclass(frozen=True)
class ItemRef:
    bank: str
    item: str
    line: int = 0
    col: int = 0


@dataclass(frozen=True)
class Draw:
    count: int
    bank: str | None = None
    topic: str | None = None
    tag: str | None = None
    level: str | None = None
    step: str | None = None
    line: int = 0
    col: int = 0

    def matches(self, bank: Bank, item: Item) -> bool:
        return (
            (self.bank is None or bank.id == self.bank)
            and (self.topic is None or bank.topic == self.topic)
            and (self.tag is None or self.tag in item.tags)
            and (self.level is None or item.level == self.level)
            and (self.step is None or self.step in _steps(item))
        )

    def describe(self) -> str:
        parts = [
            f"{k} {v}" for k, v in vars(self).items() if k not in ("count", "line", "col") and v
        ]
        return ", ".join(parts) or "any item"


def _steps(item: Item) -> set[str]:
    """A case measures the steps of its parts as well as its own."""
    steps = {item.step} if item.step else set()
    for part in getattr(item, "parts", ()):
        if part.step:
            steps.add(part.step)
    return steps


@dataclass(frozen=True)
class SessionSpec:
    title: str
    items: tuple[ItemRef, ...] = ()
    draws: tuple[Draw, ...] = ()
    banks: tuple[str, ...] = ()  # empty: every loaded bank
    seed: int = 1
    time_limit: int | None = None  # minutes
    feedback: str = "end"  # "end" | "immediate"
    shuffle: bool = True
    pass_mark: float | None = None  # percent
    path: str = ""
    content_hash: str = ""
    attempts: int = 1  # final attempts a learner may make
    bank_files: tuple[str, ...] = ()  # as written: relative to the session file's folder

    def bank_paths(self) -> list[Path]:
        """`bank_files` resolved against the session file's folder."""
        base = Path(self.path).parent
        return [base / name for name in self.bank_files]


# Where a missing bank comes from: the session file itself, or the command line.
_ADD_BANK = " (list its file under bank_files: in the session file, or pass --banks FILE)"


def select_items(
    spec: SessionSpec, banks: list[Bank]
) -> tuple[list[tuple[Bank, Item]], list[Problem]]:
    """Explicit items first, then each draw in turn; never the same item twice.

    Problems are located at the offending entry of the session file.
    """
    problems: list[Problem] = []
    usable = [b for b in banks if not spec.banks or b.id in spec.banks]
    by_id = {b.id: b for b in banks}
    for name in spec.banks:
        if name not in by_id:
            problems.append(Problem(spec.path, 1, 1, f"bank '{name}' is not loaded{_ADD_BANK}"))
    chosen: list[tuple[Bank, Item]] = []
    taken: set[str] = set()
    for ref in spec.items:
        bank = by_id.get(ref.bank)
        item = bank.item(ref.item) if bank else None
        where = (spec.path, ref.line, ref.col)
        if bank is None:
            problems.append(Problem(*where, f"no loaded bank has the id '{ref.bank}'{_ADD_BANK}"))
        elif item is None:
            problems.append(Problem(*where, f"bank '{ref.bank}' has no item '{ref.item}'"))
        elif f"{ref.bank}/{ref.item}" in taken:
            problems.append(Problem(*where, f"item '{ref.bank}/{ref.item}' is listed twice"))
        else:
            chosen.append((bank, item))
            taken.add(bank.card_id(item))
    for n, draw in enumerate(spec.draws):
        pool = sorted(
            (
                (b, q)
                for b in usable
                for q in b.questions
                if b.card_id(q) not in taken and draw.matches(b, q)
            ),
            key=lambda bq: bq[0].card_id(bq[1]),
        )
        if len(pool) < draw.count:
            problems.append(
                Problem(
                    spec.path,
                    draw.line,
                    draw.col,
                    f"draw of {draw.count} ({draw.describe()}) finds only {len(pool)} "
                    "unused matching items",
                )
            )
            continue
        picked = random.Random(f"{spec.seed}/{n}").sample(pool, draw.count)
        for bank, item in picked:
            chosen.append((bank, item))
            taken.add(bank.card_id(item))
    if not chosen and not problems:
        problems.append(Problem(spec.path, 1, 1, "the session selects no items"))
    return chosen, problems
