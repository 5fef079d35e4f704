"""Browse: search the questions, see each one's history and schedule, suspend, practise, flag.

The list is every item of the loaded banks that matches the search words and the
filters (bank, tag, level, step, state); the highlighted one is shown below it
with its review log, next due date and FSRS stability. Bank text is data: every
piece of it reaches the screen as `Content`, never as markup.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, Select, Static

from immunoquiz.banks.model import LEVELS, STEPS, Bank
from immunoquiz.scheduling import describe_interval
from immunoquiz.store import ReviewRow, check_note
from immunoquiz.study import Filters
from immunoquiz.study.browse import STATES, Entry, Query
from immunoquiz.study.filters import item_steps, item_tags
from immunoquiz.tui.backend import subset_bank
from immunoquiz.tui.host import TrainerScreen
from immunoquiz.tui.messages import StartSession
from immunoquiz.tui.text import human, join, lit, num, plural
from immunoquiz.tui.widgets.bars import TitleBar, who_label
from immunoquiz.tui.widgets.footer import Footer

BANK_WIDTH, STATE_WIDTH = 14, 9
RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
STATE_STYLES = {"due": "bold $warning", "new": "$accent", "learning": "$warning",
                "suspended": "dim", "scheduled": ""}  # fmt: skip


def _options(values: list[tuple[str, str]]) -> list[tuple[str | Content, str]]:
    return [(lit(label), value) for label, value in values]


def filter_values(banks: list[Bank]) -> dict[str, list[tuple[str, str]]]:
    """(label, value) per filter, only values some item has, in a learner's order."""
    tags: set[str] = set()
    levels: set[str] = set()
    steps: set[str] = set()
    for bank in banks:
        for item in bank.questions:
            tags |= item_tags(item)
            levels.add(item.level)
            steps |= item_steps(item)
    return {
        "bank": [(b.title, b.id) for b in banks],
        "tag": [(f"#{t}", t) for t in sorted(tags)],
        "level": [(human(v), v) for v in LEVELS if v in levels],
        "step": [(human(v), v) for v in STEPS if v in steps],
        "state": [(human(v), v) for v in STATES],
    }


PROMPTS = {"bank": "Any bank", "tag": "Any tag", "level": "Any level", "step": "Any step",
           "state": "Any state"}  # fmt: skip


class FlagScreen(ModalScreen[str | None]):
    """A short note on what is wrong with a question; Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, note: str = "") -> None:
        super().__init__()
        self.question = question
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Static("Flag a problem", classes="dialog-title")
            yield Static(lit(self.question), id="flag-question")
            yield Static(
                "What is wrong? A few words for the educator who keeps the bank "
                "(a wrong key, a typo, an outdated fact).",
                classes="dialog-label",
            )
            yield Input(self.note, id="flag-note", placeholder="e.g. option B is also correct")
            yield Static("", id="flag-problem", classes="dialog-problem")
            yield Static("Enter saves · Esc cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#flag-note", Input).focus()

    @on(Input.Submitted, "#flag-note")
    def save(self, event: Input.Submitted) -> None:
        note = event.value.strip()
        if reason := check_note(note):
            self.query_one("#flag-problem", Static).update(lit(f"Not saved: {reason}."))
            return
        self.dismiss(note)

    def action_cancel(self) -> None:
        self.dismiss(None)


class BrowseScreen(TrainerScreen, Screen[None]):
    BINDINGS = [
        Binding("slash", "search", "Search", key_display="/"),
        Binding("x", "suspend", "Suspend"),
        Binding("x", "unsuspend", "Unsuspend"),
        Binding("p", "practise", "Practise"),
        Binding("f", "flag", "Flag"),
        Binding("u", "unflag", "Unflag"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[str, Entry] = {}

    def compose(self) -> ComposeResult:
        name = self.trainer.profile.name if self.trainer.profile else None
        yield TitleBar("Browse questions", who_label(name))
        values = filter_values(self.trainer.backend.banks)
        yield Input(placeholder="Search question text…", id="browse-search", compact=True)
        with Horizontal(id="browse-filters"):
            for key, options in values.items():
                yield Select(
                    _options(options), prompt=PROMPTS[key], id=f"browse-{key}", compact=True
                )
        yield Static("", id="browse-count")
        table: DataTable[Content] = DataTable(id="browse-list", cursor_type="row", header_height=1)
        yield table
        with VerticalScroll(id="browse-detail"):
            yield Static("", id="browse-card")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#browse-list", DataTable)
        table.add_column("Question", key="question")
        table.add_column("Bank", key="bank", width=BANK_WIDTH)
        table.add_column("State", key="state", width=STATE_WIDTH)
        self.refill()
        table.focus()

    def on_screen_resume(self) -> None:
        # back from a practice session: the history of the question has grown
        self.refill()

    # -- the query -----------------------------------------------------------------

    def query_now(self) -> Query:
        def chosen(key: str) -> frozenset[str]:
            value = self.query_one(f"#browse-{key}", Select).value
            return frozenset({str(value)}) if isinstance(value, str) else frozenset()

        filters = Filters(
            banks=chosen("bank"), tags=chosen("tag"), levels=chosen("level"), steps=chosen("step")
        )
        return Query(filters, chosen("state"), self.query_one("#browse-search", Input).value)

    @on(Input.Changed, "#browse-search")
    @on(Select.Changed)
    def changed(self) -> None:
        self.refill()

    @on(Input.Submitted, "#browse-search")
    def to_list(self) -> None:
        self.query_one("#browse-list", DataTable).focus()

    @work(group="browse", exclusive=True)
    async def refill(self) -> None:
        """Reload in a worker: the latest search or filter change wins."""
        await self.reload()

    async def reload(self) -> None:
        profile = self.trainer.profile
        if profile is None:
            return
        found = await self.trainer.backend.browse(profile, self.query_now())
        self._fill(found)

    def _fill(self, found: list[Entry]) -> None:
        table = self.query_one("#browse-list", DataTable)
        keep = self.current.card.card_id if self.current else None
        self.entries = {e.card.card_id: e for e in found}
        table.clear()
        # What the bank and state columns, the cells' padding and the scrollbar leave.
        width = max(20, table.scrollable_content_region.width - BANK_WIDTH - STATE_WIDTH - 8)
        table.columns[table.ordered_columns[0].key].width = width
        table.columns[table.ordered_columns[0].key].auto_width = False
        for e in found:
            flag = ("⚑ ", "bold $error") if e.flag else "  "
            prompt = " ".join(e.card.item.stem.split())
            table.add_row(
                join(flag, lit(prompt)).truncate(width, ellipsis=True),
                lit(e.card.bank.id).truncate(BANK_WIDTH, ellipsis=True),
                lit(e.state, STATE_STYLES.get(e.state, "")),
                key=e.card.card_id,
            )
        total = sum(len(b.questions) for b in self.trainer.backend.banks)
        self.query_one("#browse-count", Static).update(
            join((f"{len(found)}", "bold"), f" of {plural(total, 'question')} match")
        )
        if keep in self.entries:
            table.move_cursor(row=table.get_row_index(keep))
        self.refresh_bindings()
        self.show_current()

    @property
    def current(self) -> Entry | None:
        table = self.query_one("#browse-list", DataTable)
        if not self.entries or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.entries.get(str(key))

    @on(DataTable.RowHighlighted, "#browse-list")
    def highlighted(self) -> None:
        self.refresh_bindings()
        self.show_current()

    @work(group="detail", exclusive=True)
    async def show_current(self) -> None:
        entry = self.current
        card = self.query_one("#browse-card", Static)
        profile = self.trainer.profile
        if entry is None or profile is None:
            card.update("No question matches: change the search or a filter.")
            return
        log = await self.trainer.backend.card_history(profile, entry.card.card_id)
        card.update(self._describe(entry, log))

    def _describe(self, entry: Entry, log: list[ReviewRow]) -> Content:
        """Schedule and flag first, then the history (newest first), then the full text."""
        now = self.trainer.backend.now()
        item = entry.card.item
        parts: list[str | Content | tuple[str, str]] = [
            lit(entry.state.capitalize(), STATE_STYLES.get(entry.state, "bold") or "bold")
        ]
        if entry.due is None:
            parts.append(": never studied")
        else:
            when = f"{entry.due.astimezone():%Y-%m-%d %H:%M}"
            parts += [" · next due ", (when, "bold")]
            if entry.due > now:
                parts.append(f" ({describe_interval(now, entry.due).removeprefix('next review ')})")
        if entry.stability is not None:
            parts += [" · stability ", (f"{num(entry.stability)} d", "bold")]
        if entry.flag is not None:
            parts += ["\n", ("⚑ Flagged: ", "bold $error"), lit(entry.flag.note)]
        parts += ["\n", ("History ", "bold $accent")]
        parts.append(("(date, mode, score, rating)" if log else "no answers yet", "dim"))
        for row in reversed(log):
            parts += [
                "\n", f"  {row.ts.astimezone():%Y-%m-%d %H:%M}  {row.mode:<8} ",
                (f"{num(row.points)}/{num(row.max)}", "bold" if row.full else "bold $warning"),
                f"  {RATINGS.get(row.rating or 0, '')}",
            ]  # fmt: skip
        parts += [
            "\n",
            (f"{entry.card.card_id} · {human(item.level)}", "dim"),
            "\n",
            lit(item.stem),
        ]
        return join(*parts)

    # -- actions ---------------------------------------------------------------------

    def action_search(self) -> None:
        self.query_one("#browse-search", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # x suspends or unsuspends: the footer names the one that applies
        if action in ("suspend", "unsuspend"):
            entry = self.current
            return entry is not None and entry.suspended == (action == "unsuspend")
        if action == "unflag":
            entry = self.current
            return entry is not None and entry.flag is not None
        return True

    async def action_suspend(self) -> None:
        entry, profile = self.current, self.trainer.profile
        if entry is not None and profile is not None and not entry.suspended:
            await self.trainer.backend.suspend(profile, entry.card.card_id)
            self.notify("Suspended: never asked until you unsuspend it (x).", timeout=3)
            await self.reload()

    async def action_unsuspend(self) -> None:
        entry, profile = self.current, self.trainer.profile
        if entry is not None and profile is not None and entry.suspended:
            await self.trainer.backend.unsuspend(profile, entry.card.card_id)
            self.notify("Unsuspended: it comes back on its schedule.", timeout=3)
            await self.reload()

    def action_practise(self) -> None:
        entry = self.current
        if entry is None:
            return
        if entry.suspended:
            self.notify("This question is suspended: press x to unsuspend it first.", timeout=4)
            return
        bank = subset_bank(entry.card.bank, [entry.card.item])
        self.post_message(
            StartSession("practice", Filters(), banks=[bank], label="One question, from Browse")
        )

    async def action_flag(self) -> None:
        entry, profile = self.current, self.trainer.profile
        if entry is None or profile is None:
            return

        async def noted(note: str | None) -> None:
            if note is None or profile is None or entry is None:
                return
            await self.trainer.backend.flag(profile, entry.card, note)
            self.notify(
                "Flagged: `immunoquiz flags --export FILE` writes them for your educator.",
                timeout=5,
                markup=False,
            )
            await self.reload()

        old = entry.flag.note if entry.flag else ""
        await self.app.push_screen(FlagScreen(" ".join(entry.card.item.stem.split()), old), noted)

    async def action_unflag(self) -> None:
        entry, profile = self.current, self.trainer.profile
        if entry is not None and profile is not None and entry.flag is not None:
            await self.trainer.backend.unflag(profile, entry.card.card_id)
            self.notify("Flag withdrawn.", timeout=3)
            await self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()
