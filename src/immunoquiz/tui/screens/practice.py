"""Practise (cram): pick a topic, tag, level, clinical-judgment step or bank, narrowed by
words of the question, the learner's recent misses or flags, and an item type.

Practice answers are logged but never move the spaced-repetition schedule. Every entry
shows how many questions it would ask with the narrowing in force; one that would ask
none cannot be started, so the picker never opens an empty session.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from immunoquiz.banks.model import ITEM_TYPES, LEVELS, STEPS, Bank, Item
from immunoquiz.study import Filters
from immunoquiz.study.filters import Marked, item_steps, item_tags
from immunoquiz.tui.text import MARK_LABELS, TYPE_NAMES, human, join, lit, narrowing_label, plural

Choice = tuple[Filters, str]
Entry = tuple[str, Filters]


def choices(banks: Sequence[Bank]) -> list[tuple[str, list[Entry]]]:
    """Groups of (label, filters), only values that some item has."""
    topics: set[str] = set()
    steps: set[str] = set()
    levels: set[str] = set()
    tags: set[str] = set()
    for bank in banks:
        topics.add(bank.topic)
        for item in bank.questions:
            levels.add(item.level)
            steps.update(item_steps(item))
            tags.update(item_tags(item))

    def ordered(values: set[str], order: Sequence[str]) -> list[str]:
        rank = {v: n for n, v in enumerate(order)}
        return sorted(values, key=lambda v: (rank.get(v, len(rank)), v))

    return [
        ("Everything", [("All items of all banks", Filters())]),
        ("Topics", [(human(t), Filters(topics=frozenset({t}))) for t in sorted(topics)]),
        (
            "Clinical-judgment steps",
            [(human(s), Filters(steps=frozenset({s}))) for s in ordered(steps, STEPS)],
        ),
        (
            "Levels",
            [(human(lv), Filters(levels=frozenset({lv}))) for lv in ordered(levels, LEVELS)],
        ),
        ("Tags", [(t, Filters(tags=frozenset({t}))) for t in sorted(tags)]),
        ("Banks", [(b.title, Filters(banks=frozenset({b.id}))) for b in banks]),
    ]


class PracticeScreen(ModalScreen[Choice | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("slash", "search", "Search", key_display="/"),
    ]

    def __init__(
        self,
        banks: Sequence[Bank],
        marked: Marked | None = None,
        *,
        suspended: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__()
        self.banks = banks
        self.marked: Marked = marked or {}
        self.suspended = suspended  # never served, so never counted
        self.entries: dict[str, Choice] = {}
        self.counts: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        types = {item.type for bank in self.banks for item in bank.questions}
        with Vertical(id="dialog", classes="dialog tall"):
            yield Static("Practise", classes="dialog-title")
            yield Static(
                "Cram any group of questions: your review schedule is not changed.",
                id="practice-about",
            )
            yield Input(
                placeholder="/ Search the questions' text (every word must appear)",
                id="practice-search", compact=True,
            )  # fmt: skip
            with Horizontal(id="practice-narrow"):
                for mark in self.marked:
                    yield Checkbox(
                        f"{MARK_LABELS[mark]} {len(self.marked[mark])}",
                        id=f"mark-{mark}", compact=True, disabled=not self.marked[mark],
                    )  # fmt: skip
                yield Select(
                    [(TYPE_NAMES.get(t, t), t) for t in ITEM_TYPES if t in types],
                    prompt="Any item type", id="practice-type", compact=True,
                )  # fmt: skip
            yield OptionList(id="practice-choices")
            yield Static("", id="practice-hint", classes="dialog-hint")

    def on_mount(self) -> None:
        self.refill()
        options = self.query_one("#practice-choices", OptionList)
        options.focus()
        options.highlighted = 1 if options.option_count > 1 else 0

    # -- what is asked for -----------------------------------------------------------

    def narrowing(self) -> Filters:
        """The search, marks and type in force (the part every entry shares)."""
        marks = frozenset(m for m in self.marked if self.query_one(f"#mark-{m}", Checkbox).value)
        kind = self.query_one("#practice-type", Select).value
        return Filters(
            search=" ".join(self.query_one("#practice-search", Input).value.split()),
            marks=marks,
            types=frozenset({kind}) if isinstance(kind, str) else frozenset(),
        )

    def refill(self) -> None:
        """Rebuild the list with counts under the current narrowing, keeping the cursor."""
        narrow = self.narrowing()
        pool: list[tuple[Bank, Item]] = [
            (b, item) for b in self.banks for item in b.questions
            if b.card_id(item) not in self.suspended and narrow.matches(b, item, self.marked)
        ]  # fmt: skip
        options_list = self.query_one("#practice-choices", OptionList)
        highlighted = options_list.highlighted
        options: list[Option | None] = []
        self.entries.clear()
        self.counts.clear()
        for heading, entries in choices(self.banks):
            if not entries:
                continue
            if options:
                options.append(None)
            options.append(Option(join((heading, "bold $accent")), disabled=True))
            for label, filters in entries:
                key = f"c{len(self.entries)}"
                count = sum(1 for b, item in pool if filters.matches(b, item))
                combined = replace(
                    filters, search=narrow.search, marks=narrow.marks, types=narrow.types
                )
                # "All items" says nothing once the search or a filter narrows it
                named = [] if filters.empty and not narrow.empty else [label]
                self.entries[key] = (combined, " · ".join([*named, *narrowing_label(narrow)]))
                self.counts[key] = count
                style = "dim" if count else "dim strike"
                prompt = join("  ", lit(label), (f"  {count}", style))
                options.append(Option(prompt, id=key, disabled=not count))
        options_list.set_options(options)
        if highlighted is not None and highlighted < options_list.option_count:
            options_list.highlighted = highlighted
        if not pool:
            hint = "No question matches: change the search or filters · Esc cancels"
        elif narrow.empty:
            hint = "Enter starts · / search · ⇧Tab misses, flagged, type · Esc cancels"
        else:
            hint = f"{plural(len(pool), 'question')} match · Enter starts · Esc cancels"
        self.query_one("#practice-hint", Static).update(hint)

    @on(Input.Changed, "#practice-search")
    @on(Checkbox.Changed)
    @on(Select.Changed, "#practice-type")
    def narrowed(self) -> None:
        self.refill()

    # -- starting --------------------------------------------------------------------

    def action_search(self) -> None:
        self.query_one("#practice-search", Input).focus()

    @on(Input.Submitted, "#practice-search")
    def search_submitted(self) -> None:
        """Enter in the search box starts the highlighted entry (or goes to the list)."""
        options = self.query_one("#practice-choices", OptionList)
        option = options.highlighted_option
        if option is not None and option.id in self.entries and not option.disabled:
            self.dismiss(self.entries[option.id])
        else:
            options.focus()

    @on(OptionList.OptionSelected, "#practice-choices")
    def picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id in self.entries and self.counts.get(event.option.id, 0):
            self.dismiss(self.entries[event.option.id])

    def action_cancel(self) -> None:
        self.dismiss(None)
