"""Home: who is studying, every bank by topic with due/new counts and mastery, actions."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Static

from immunoquiz.scheduling import describe_interval
from immunoquiz.study import Filters
from immunoquiz.tui.host import TrainerScreen
from immunoquiz.tui.messages import StartSession
from immunoquiz.tui.text import human, join, lit, plural
from immunoquiz.tui.widgets.bars import TitleBar, who_label
from immunoquiz.tui.widgets.charts import mastery_bar
from immunoquiz.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from textual.widgets import DataTable

    from immunoquiz.study import BankOverview, HomeSummary


class HomeScreen(TrainerScreen, Screen[None]):
    BINDINGS = [
        Binding("s", "app.study", "Study"),
        Binding("p", "app.practise", "Practise"),
        Binding("b", "app.browse", "Browse"),
        Binding("t", "app.stats", "Stats"),
        # the Profile button names this key; the footer keeps room for Quit and Help at 80
        Binding("c", "app.profile", "Profile", show=False),
        Binding("comma", "app.settings", "Settings", key_display=","),
    ]

    def __init__(self, *, build_when_shown: bool = False) -> None:
        """`build_when_shown`: the app goes straight into a session over this screen, so
        only its title bar is composed now; the rest is built (and filled) the first time
        the screen is uncovered, not while the first question is on its way."""
        super().__init__()
        self.built = not build_when_shown
        self._covered = False
        # one build at a time: a second caller (a reload, the profile dialog) waits for the
        # body the first is mounting instead of querying it half-mounted
        self._building = asyncio.Lock()

    def compose(self) -> ComposeResult:
        yield TitleBar("immunoquiz · breast-cancer immunotherapy trainer")
        if self.built:
            yield from self._body()

    @staticmethod
    def _body() -> list[Widget]:
        # imported here: a start straight into a question never builds the table
        from textual.widgets import DataTable

        table: DataTable[Content | str] = DataTable(
            id="banks", cursor_type="row", zebra_stripes=False, header_height=1
        )
        buttons = Horizontal(
            Button("Study  s", id="study", variant="primary", compact=True),
            Button("Practise  p", id="practise", compact=True),
            Button("Browse  b", id="browse", compact=True),
            Button("Stats  t", id="stats", compact=True),
            Button("Profile  c", id="profile", compact=True),
            Button("Help  ?", id="help", compact=True),
            id="actions",
        )
        return [Static("Opening your progress…", id="today"), table, buttons, Footer(compact=True)]

    next_change: datetime | None = None  # when the counts change by the clock alone

    def on_mount(self) -> None:
        self.set_interval(5, self._clock_check)
        if self.built:
            self._set_up_table()

    async def build(self) -> None:
        """Compose the body now if it was put off (`build_when_shown`)."""
        async with self._building:
            if self.built:
                return
            await self.mount_all(self._body())
            self.built = True
        self._set_up_table()
        if self.focused is None and self.is_current:
            self._table().focus()

    def _table(self) -> DataTable[Content | str]:
        return cast("DataTable[Content | str]", self.query_one("#banks"))

    def _set_up_table(self) -> None:
        table = self._table()
        table.border_title = "Your banks · Enter studies the highlighted one"
        self._columns(table, 24)

    @staticmethod
    def _columns(table: DataTable[Any], name_width: int) -> None:
        # Fixed widths: the table cannot measure styled Content cells itself.
        table.clear(columns=True)
        table.add_column("Topic / bank", key="name", width=name_width)
        table.add_column("Due", key="due", width=4)
        table.add_column("Unseen", key="new", width=6)
        table.add_column("Items", key="items", width=5)
        table.add_column("Mastery", key="mastery", width=16)

    def on_screen_suspend(self) -> None:
        self._covered = True

    async def on_screen_resume(self) -> None:
        if not self.built:
            if not self._covered:
                return  # the app is on its way into a session over this screen
            await self.build()
        if self.trainer.ready and self.trainer.profile is not None:
            self.run_worker(self.reload(), group="home", exclusive=True)

    async def waiting_for_profile(self) -> None:
        await self.build()
        self.query_one("#today", Static).update("Who is studying? Pick or create a profile.")

    def on_profile_changed(self) -> None:
        name = self.trainer.profile.name if self.trainer.profile else None
        self.query_one(TitleBar).set(who=who_label(name))

    async def reload(self) -> None:
        """Fetch the numbers (off the UI thread) and redraw."""
        app = self.trainer
        profile = app.profile
        if profile is None:
            return
        await self.build()
        self.on_profile_changed()
        home = await app.backend.home(profile, new_limit=app.new_limit)
        if not self.is_attached:
            return  # the app closed while the store was answering
        self.next_change = home.next_due
        self._show_today(home)
        self._fill(home.banks)

    def _clock_check(self) -> None:
        """Time moves while home is open: a missed card's learning step falls due, a new
        day allows new items. Reload once the next such moment has passed."""
        if not (self.is_current and self.trainer.ready and self.next_change is not None):
            return
        if self.trainer.backend.now() >= self.next_change:
            self.next_change = None  # one reload per moment
            self.run_worker(self.reload(), group="home", exclusive=True)

    def _show_today(self, home: HomeSummary) -> None:
        counts, next_due = home.counts, home.next_due
        due, new = counts.due, counts.new
        tomorrow = home.due_tomorrow
        parts: list[str | tuple[str, str]] = [
            ("Today  ", "bold"),
            (str(due), "bold $warning" if due else "bold"),
            " due · ",
            (str(new), "bold $accent" if new else "bold"),
            " new today · ",
        ]
        if counts.learning:
            parts += [(str(counts.learning), "bold $accent"), " learning · "]
        parts += [(str(home.reviews_today), "bold"), " answered"]
        if home.streak:
            parts += [" · streak ", (plural(home.streak, "day"), "bold")]
        parts += ["\n", ("Tomorrow  ", "bold"), (str(tomorrow), "bold"), " due"]
        if home.items_total:
            parts += [
                " · seen ",
                (f"{home.items_seen}/{home.items_total}", "bold"),
                " items · mastery ",
                (f"{home.mastery:.0%}", "bold"),
            ]
        if not self.trainer.backend.banks:
            parts += ["\n", ("No question banks found: add some with --banks PATH.", "$error")]
        elif not (due or new):
            when = (
                describe_interval(self.trainer.backend.now(), next_due)
                if next_due is not None
                else "nothing scheduled"
            )
            parts += ["\n", ("All caught up: ", "bold $success"), f"{when}. Press p to practise."]
        self.query_one("#today", Static).update(join(*parts))
        self.query_one("#study", Button).label = f"Study {due + new}  s"

    def _fill(self, rows: list[BankOverview]) -> None:
        table = self._table()
        cursor = table.cursor_row
        longest = max((len(r.bank.title) + 2 for r in rows), default=12)
        # Room for the name: the width less borders, padding and the number columns.
        width = max(14, min(longest, self.size.width - 47))
        self._columns(table, width)
        topics: dict[str, list[BankOverview]] = {}
        for row in rows:
            topics.setdefault(row.bank.topic, []).append(row)
        for topic, group in topics.items():
            total = sum(r.total for r in group)
            mastery = sum(r.mastery * r.total for r in group) / total if total else 0.0
            table.add_row(
                join((human(topic), "bold")),
                self._num(sum(r.due for r in group), "$warning"),
                self._num(sum(r.new for r in group), "$accent"),
                Content(str(total)),
                mastery_bar(mastery),
                key=f"topic:{topic}",
            )
            for row in group:
                table.add_row(
                    join("  ", lit(row.bank.title)).truncate(width, ellipsis=True),
                    self._num(row.due, "$warning"),
                    self._num(row.new, "$accent"),
                    Content(str(row.total)),
                    mastery_bar(row.mastery),
                    key=f"bank:{row.bank.id}",
                )
        if rows:
            table.move_cursor(row=min(cursor, table.row_count - 1))

    @staticmethod
    def _num(n: int, style: str) -> Content:
        return Content(str(n)).stylize(f"bold {style}") if n else Content("0").stylize("dim")

    async def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        # (the banks table is this screen's only table)
        key = str(event.row_key.value or "")
        kind, _, value = key.partition(":")
        if kind == "topic":
            self.post_message(
                StartSession("study", Filters(topics=frozenset({value})), label=human(value))
            )
        elif kind == "bank":
            bank = next((b for b in self.trainer.backend.banks if b.id == value), None)
            label = bank.title if bank else value
            self.post_message(StartSession("study", Filters(banks=frozenset({value})), label=label))

    @on(Button.Pressed)
    async def pressed(self, event: Button.Pressed) -> None:
        # each button runs the app action of the same name, as its key does
        if event.button.id in ("study", "practise", "browse", "stats", "profile", "help"):
            await self.app.run_action(event.button.id)
