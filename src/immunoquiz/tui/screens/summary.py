"""End of a session: score, time, per-topic and per-step results, items to revisit."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from immunoquiz.banks.model import STEPS, Bank, Item
from immunoquiz.study import Filters, Session, Summary, Tally
from immunoquiz.tui.backend import subset_bank
from immunoquiz.tui.host import TrainerScreen
from immunoquiz.tui.messages import StartSession
from immunoquiz.tui.text import human, join, lit, num, plural
from immunoquiz.tui.widgets.bars import TitleBar
from immunoquiz.tui.widgets.charts import mastery_bar
from immunoquiz.tui.widgets.footer import Footer


def duration_text(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def one_line(text: str) -> str:
    return " ".join(text.split())


def tally_line(label: str | Content, tally: Tally, width: int = 26) -> Content:
    fraction = tally.points / tally.max if tally.max else 0.0
    name = lit(label) if isinstance(label, str) else label
    name = name.truncate(width, ellipsis=True).pad_right(width - name.cell_length)
    return join(
        "  ",
        name,
        " ",
        mastery_bar(fraction, 12),
        (f"   {num(tally.points)}/{num(tally.max)} points", "dim"),
        (f" · {plural(tally.answered, 'answer')}", "dim"),
    )


class SummaryScreen(TrainerScreen, Screen[None]):
    BINDINGS = [
        Binding("enter,escape", "home", "Home"),
        Binding("r", "revisit", "Practise misses"),
        Binding("t", "app.stats", "Stats"),
    ]

    def __init__(self, session: Session, summary: Summary, *, label: str = "") -> None:
        super().__init__()
        self.session = session
        self.summary = summary
        self.label = label

    def compose(self) -> ComposeResult:
        s = self.summary
        mode = "Study" if s.mode == "study" else "Practice"
        yield TitleBar(lit(f"{mode} session complete" + (f" · {self.label}" if self.label else "")))
        with VerticalScroll(id="summary-scroll"):
            fraction = s.points / s.max if s.max else 0.0
            yield Static(
                join(
                    ("Score  ", "bold"),
                    (f"{num(s.points)}/{num(s.max)}", "bold $accent"),
                    f" points ({fraction:.0%})   ",
                    ("Answered  ", "bold"),
                    str(s.answered),
                    f", {s.fully_correct} fully correct   ",
                    ("Time  ", "bold"),
                    duration_text(s.elapsed_s),
                ),
                id="headline",
            )
            yield Static(self._encouragement(fraction), id="encourage")
            if s.by_topic:
                yield Static("By topic", classes="section")
                for topic, tally in sorted(s.by_topic.items()):
                    yield Static(tally_line(human(topic), tally), classes="tally")
            if s.by_step:
                yield Static("By clinical-judgment step", classes="section")
                order = {step: n for n, step in enumerate(STEPS)}
                for step, tally in sorted(s.by_step.items(), key=lambda kv: order.get(kv[0], 99)):
                    yield Static(tally_line(human(step), tally), classes="tally")
            if s.in_learning:
                yield Static("Still in learning", classes="section")
                for card in s.in_learning:
                    yield Static(
                        join(
                            ("  • ", "$accent"),
                            lit(one_line(card.item.stem)).truncate(70, ellipsis=True),
                        ),
                        classes="learning",
                    )
                yield Static(
                    "Missed today: each comes back in a few minutes. Study again to finish them.",
                    classes="note",
                )
            yield Static("To revisit", classes="section")
            if s.to_revisit:
                for card in s.to_revisit:
                    yield Static(
                        join(
                            ("  • ", "$warning"),
                            lit(one_line(card.item.stem)).truncate(70, ellipsis=True),
                        ),
                        classes="revisit",
                    )
                yield Static("Press r to practise these now.", classes="note")
            else:
                yield Static("  Nothing: every answer earned full credit.", classes="revisit")
        yield Footer()

    def _encouragement(self, fraction: float) -> str:
        if self.summary.mode == "practice":
            return "Practice does not change your schedule; study keeps it moving."
        if fraction >= 0.9:
            return "Excellent. These will come back later, spaced further apart."
        if fraction >= 0.6:
            return "Good work. Misses come back soon, so they stick."
        return "Misses come back within minutes to days: that is how they stick."

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "revisit":
            return bool(self.summary.to_revisit)
        return True

    def action_home(self) -> None:
        self.app.pop_screen()

    def action_revisit(self) -> None:
        cards = self.summary.to_revisit
        if not cards:
            return
        by_bank: dict[str, tuple[Bank, list[Item]]] = {}
        for card in cards:
            by_bank.setdefault(card.bank.id, (card.bank, []))[1].append(card.item)
        banks = [subset_bank(bank, items) for bank, items in by_bank.values()]
        # posted to the app before this screen goes: the session opens over home
        self.app.post_message(
            StartSession("practice", Filters(), banks=banks, label="Revisit misses")
        )
        self.app.pop_screen()
