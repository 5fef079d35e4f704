"""Statistics: mastery per topic and step, reviews per day, due forecast, accuracy trend."""

from __future__ import annotations

from collections.abc import Iterator

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from immunoquiz.banks.model import STEPS
from immunoquiz.study import Mastery, Stats
from immunoquiz.tui.host import TrainerScreen
from immunoquiz.tui.text import human, join, lit
from immunoquiz.tui.widgets.bars import TitleBar, who_label
from immunoquiz.tui.widgets.charts import ColumnChart, mastery_bar
from immunoquiz.tui.widgets.footer import Footer


def mastery_line(label: str, m: Mastery, width: int = 26) -> Static:
    name = lit(label).truncate(width, ellipsis=True)
    name = name.pad_right(width - name.cell_length)
    return Static(
        join("  ", name, " ", mastery_bar(m.mastery, 14), (f"   seen {m.seen}/{m.items}", "dim")),
        classes="tally",
    )


class StatsScreen(TrainerScreen, Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("r", "reload", "Refresh"),
    ]

    def compose(self) -> ComposeResult:
        name = self.trainer.profile.name if self.trainer.profile else None
        yield TitleBar("Statistics", who_label(name))
        yield VerticalScroll(Static("Counting…"), id="stats-scroll")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#stats-scroll").focus()
        self.run_worker(self.action_reload(), group="stats", exclusive=True)

    def action_back(self) -> None:
        self.app.pop_screen()

    async def action_reload(self) -> None:
        if self.trainer.profile is None:
            return
        stats = await self.trainer.backend.stats(self.trainer.profile)
        scroll = self.query_one("#stats-scroll", VerticalScroll)
        await scroll.remove_children()
        await scroll.mount_all(list(self.sections(stats)))

    def sections(self, s: Stats) -> Iterator[Widget]:
        accuracy = f"{s.accuracy:.0%}" if s.accuracy is not None else "–"
        yield Static(
            join(
                ("Today ", "bold"),
                f"{s.reviews_today} answered",
                ("  ·  ", "dim"),
                ("Due now ", "bold"),
                str(s.due_now),
                ("  ·  ", "dim"),
                ("Next 7 days ", "bold"),
                str(s.due_next_7_days),
                ("  ·  ", "dim"),
                ("Streak ", "bold"),
                f"{s.streak} d",
                "\n",
                ("Answers ", "bold"),
                str(s.total_reviews),
                ("  ·  ", "dim"),
                ("Accuracy ", "bold"),
                f"{accuracy} fully correct",
                ("  ·  ", "dim"),
                ("Seen ", "bold"),
                f"{s.items_seen}/{s.items_total} items",
                ("  ·  ", "dim"),
                ("Mastery ", "bold"),
                f"{s.mastery:.0%}",
            ),  # fmt: skip
            id="stats-headline",
        )
        yield Static("Mastery by topic", classes="section")
        if not s.mastery_by_topic:
            yield Static("  No banks loaded.", classes="tally")
        for topic, m in s.mastery_by_topic.items():
            yield mastery_line(human(topic), m)
        if s.mastery_by_step:
            yield Static("Mastery by clinical-judgment step", classes="section")
            order = {step: n for n, step in enumerate(STEPS)}
            for step, m in sorted(s.mastery_by_step.items(), key=lambda kv: order.get(kv[0], 99)):
                yield mastery_line(human(step), m)
        yield Static(
            "Due forecast · next 14 days (today highlighted; day of month below)",
            classes="section",
        )
        yield ColumnChart(
            [(f"{d.day.day}", d.due) for d in s.due_by_day], highlight=0, id="forecast"
        )
        yield Static("Reviews per day · last 14 days", classes="section")
        yield ColumnChart(
            [(f"{d.day.day}", d.reviews) for d in s.days],
            highlight=len(s.days) - 1,
            colour="$secondary",
            id="reviews",
        )
        yield Static("Accuracy trend · % fully correct per day, last 14 days", classes="section")
        yield ColumnChart(
            [(f"{d.day.day}", (d.accuracy or 0.0) * 100) for d in s.days],
            highlight=len(s.days) - 1,
            colour="$success",
            id="accuracy",
        )
        yield Static(
            "Mastery = average predicted recall over all items (unseen items count 0).",
            classes="note",
        )
