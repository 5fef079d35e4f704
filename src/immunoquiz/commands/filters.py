"""The item filters of `study` and `practice`, read the same way for every client.

`--tag a,b` and `--tag a --tag b` both mean "tagged a or b", in the TUI and in plain
mode alike: each option may be repeated and each value may be a comma list.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from immunoquiz.banks.model import ITEM_TYPES, LEVELS, STEPS, Bank
from immunoquiz.study import Filters
from immunoquiz.study.marks import MISSES_DAYS


class CommaList(argparse.Action):
    """Appends every comma-separated value; refuses one outside `allowed` (exit 2)."""

    def __init__(self, *args: Any, allowed: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed = tuple(allowed)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[object] | None,
        option_string: str | None = None,
    ) -> None:
        given = [v.strip() for v in str(values).split(",") if v.strip()]
        if not given:
            parser.error(f"argument {option_string}: expected a value")
        for value in given:
            if self.allowed and value not in self.allowed:
                parser.error(
                    f"argument {option_string}: invalid choice: {value!r} "
                    f"(choose from {', '.join(self.allowed)})"
                )
        setattr(namespace, self.dest, [*(getattr(namespace, self.dest, None) or []), *given])


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group(
        "choosing items (each repeatable or a comma list; several values = any of them)"
    )
    g.add_argument("--bank", action=CommaList, default=[], metavar="ID", help="a bank id")
    g.add_argument("--topic", action=CommaList, default=[], metavar="TOPIC", help="a bank topic")
    g.add_argument("--tag", action=CommaList, default=[], metavar="TAG", help="an item tag")
    g.add_argument(
        "--level", action=CommaList, default=[], allowed=LEVELS, metavar="LEVEL",
        help="an item level: " + ", ".join(LEVELS),
    )  # fmt: skip
    g.add_argument(
        "--step", action=CommaList, default=[], allowed=STEPS, metavar="STEP",
        help="a clinical-judgment step: " + ", ".join(STEPS),
    )  # fmt: skip
    g.add_argument(
        "--type", action=CommaList, default=[], allowed=ITEM_TYPES, metavar="TYPE",
        help="an item type: " + ", ".join(ITEM_TYPES),
    )  # fmt: skip
    g.add_argument(
        "--search", default="", metavar="TEXT",
        help="words that must all appear in the question (any case)",
    )  # fmt: skip
    g.add_argument(
        "--misses", action="store_true",
        help=f"only questions you answered wrong in the last {MISSES_DAYS} days",
    )  # fmt: skip
    g.add_argument(
        "--flagged", action="store_true",
        help="only questions you flagged as a problem (with --misses: either)",
    )  # fmt: skip


def filters_from_args(args: argparse.Namespace) -> Filters:
    """The Filters the command line asked for (empty when it asked for none)."""

    def values(name: str) -> frozenset[str]:
        return frozenset(getattr(args, name, None) or ())

    return Filters(
        banks=values("bank"),
        topics=values("topic"),
        tags=values("tag"),
        levels=values("level"),
        steps=values("step"),
        types=values("type"),
        search=" ".join(str(getattr(args, "search", "") or "").split()),
        marks=frozenset(m for m in ("misses", "flagged") if getattr(args, m, False)),
    )


def check_filters(filters: Filters, banks: Sequence[Bank]) -> str | None:
    """A one-line reason the filters cannot match, for a bank id that is not loaded."""
    known = {b.id for b in banks}
    unknown = sorted(filters.banks - known)
    if unknown:
        listed = ", ".join(sorted(known)) or "none loaded"
        return f"no bank with id {', '.join(unknown)} (banks: {listed})"
    return None
