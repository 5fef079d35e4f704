"""Practise (cram): pick a topic, tag, level, clinical-judgment step or bank.

Practice answers are logged but never move the spaced-repetition schedule.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from immunoquiz.banks.model import LEVELS, STEPS, Bank
from immunoquiz.study import Filters
from immunoquiz.study.filters import item_steps, item_tags
from immunoquiz.tui.text import human, join, lit

Choice = tuple[Filters, str]


def choices(banks: Sequence[Bank]) -> list[tuple[str, list[tuple[str, Filters, int]]]]:
    """Groups of (label, filters, item count), only values that some item has."""
    topics: dict[str, int] = {}
    steps: dict[str, int] = {}
    levels: dict[str, int] = {}
    tags: dict[str, int] = {}
    total = 0
    for bank in banks:
        for item in bank.questions:
            total += 1
            topics[bank.topic] = topics.get(bank.topic, 0) + 1
            levels[item.level] = levels.get(item.level, 0) + 1
            for step in item_steps(item):
                steps[step] = steps.get(step, 0) + 1
            for tag in item_tags(item):
                tags[tag] = tags.get(tag, 0) + 1
    step_order = {s: n for n, s in enumerate(STEPS)}
    level_order = {s: n for n, s in enumerate(LEVELS)}
    return [
        ("Everything", [("All items of all banks", Filters(), total)]),
        (
            "Topics",
            [(human(t), Filters(topics=frozenset({t})), n) for t, n in sorted(topics.items())],
        ),
        (
            "Clinical-judgment steps",
            [
                (human(s), Filters(steps=frozenset({s})), n)
                for s, n in sorted(steps.items(), key=lambda kv: step_order.get(kv[0], 99))
            ],
        ),
        (
            "Levels",
            [
                (human(lv), Filters(levels=frozenset({lv})), n)
                for lv, n in sorted(levels.items(), key=lambda kv: level_order.get(kv[0], 99))
            ],
        ),
        ("Tags", [(t, Filters(tags=frozenset({t})), n) for t, n in sorted(tags.items())]),
        (
            "Banks",
            [(b.title, Filters(banks=frozenset({b.id})), len(b.questions)) for b in banks],
        ),
    ]


class PracticeScreen(ModalScreen[Choice | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, banks: Sequence[Bank]) -> None:
        super().__init__()
        self.banks = banks
        self.filters: dict[str, Choice] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog tall"):
            yield Static("Practise", classes="dialog-title")
            yield Static(
                "Cram any group of questions. Practice never changes your review schedule.",
                classes="dialog-label",
            )
            options: list[Option | None] = []
            for heading, entries in choices(self.banks):
                if not entries:
                    continue
                if options:
                    options.append(None)
                options.append(Option(join((heading, "bold $accent")), disabled=True))
                for label, filters, count in entries:
                    key = f"c{len(self.filters)}"
                    self.filters[key] = (filters, label)
                    options.append(Option(join("  ", lit(label), (f"  {count}", "dim")), id=key))
            yield OptionList(*options, id="practice-choices")
            yield Static("↑↓ move · Enter starts · Esc cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one("#practice-choices", OptionList)
        options.focus()
        options.highlighted = 1 if options.option_count > 1 else 0

    @on(OptionList.OptionSelected, "#practice-choices")
    def picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id in self.filters:
            self.dismiss(self.filters[event.option.id])

    def action_cancel(self) -> None:
        self.dismiss(None)
