"""The educator's live view of a class check: join address, code, QR, roster, items, actions.

Reads the headless `Classroom`; every action that writes a file runs in a worker
thread. The classroom's events arrive from the server's threads, so they only mark
the view stale; a timer redraws it (within half a second of an answer).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import segno
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Footer, Input, Label, Static

from immunoquiz.educator.classroom import ClassError, Classroom, Event, Learner
from immunoquiz.educator.presentation import clock_text

BAR = 20


def qr_text(url: str) -> str:
    """The URL as a QR code drawn with half blocks (two modules per character cell)."""
    qr = segno.make(url, error="m")
    rows = [[bool(m) for m in row] for row in qr.matrix]
    size = len(rows[0])
    blank = [False] * (size + 4)
    grid = [blank, blank] + [[False, False, *r, False, False] for r in rows] + [blank, blank]
    if len(grid) % 2:
        grid.append(blank)
    chars = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}
    # Dark modules as light-on-dark would invert the code: draw light modules as blocks.
    return "\n".join(
        "".join(chars[(not a, not b)] for a, b in zip(top, bottom, strict=True))
        for top, bottom in zip(grid[::2], grid[1::2], strict=True)
    )


def bar(fraction: float | None) -> str:
    if fraction is None:
        return "·" * BAR + "  no answers"
    full = round(fraction * BAR)
    return "█" * full + "░" * (BAR - full) + f" {round(100 * fraction):3d}%"


class AskMinutes(ModalScreen[float | None]):
    """How many minutes to add (for one learner or everyone)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, who: str, suggested: int = 5) -> None:
        super().__init__()
        self.who = who
        self.suggested = suggested

    def compose(self) -> ComposeResult:
        with Vertical(id="ask"):
            yield Label(Content(f"More time for {self.who}: how many minutes?"))
            yield Input(str(self.suggested), id="minutes", type="number")
            yield Label("Enter to give the time, Escape to cancel.")

    @on(Input.Submitted)
    def done(self, event: Input.Submitted) -> None:
        try:
            minutes = float(event.value)
        except ValueError:
            return
        self.dismiss(minutes if minutes > 0 else None)


class Confirm(ModalScreen[bool]):
    BINDINGS = [Binding("escape", "dismiss(False)", "No")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="ask"):
            yield Label(Content(self.question))
            with Horizontal():
                yield Button("Yes", id="yes", variant="error")
                yield Button("No", id="no")

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class DowntimeChoice(ModalScreen[str | None]):
    """After a restart: give the downtime back, or let the paused attempts finish as time up."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Decide later")]

    def __init__(self, text: str, minutes: int) -> None:
        super().__init__()
        self.text = text
        self.minutes = minutes

    def compose(self) -> ComposeResult:
        with Vertical(id="downtime"):
            yield Static(Content(self.text[:1].upper() + self.text[1:] + "."), id="why")
            with Horizontal(id="choices"):
                yield Button(f"Give everyone {self.minutes} min", id="extend", variant="primary")
                yield Button("Time up for the paused", id="timeup")
                yield Button("Later", id="later")

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "later" else event.button.id)


class ReportView(ModalScreen[None]):
    BINDINGS = [Binding("escape,q", "dismiss(None)", "Close")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="report"):
            yield Static(Content(self.text))
        yield Footer()


class ClassDashboard(Screen[None]):
    """The class at a glance; keys act on the learner or rejoin request under the cursor."""

    BINDINGS = [
        Binding("x", "extend_one", "+time"),
        Binding("a", "extend_all", "+time all"),
        Binding("y", "approve('resume')", "Let in"),
        Binding("n", "approve('new')", "New attempt"),
        Binding("r", "remove", "Remove"),
        Binding("t", "time_up", "Time up paused", show=False),
        Binding("e", "end", "End now"),
        Binding("o", "report", "Report"),
        Binding("q", "leave", "Leave"),
    ]

    def __init__(
        self, room: Classroom, start: Callable[[], Awaitable[tuple[object, list[str]]]]
    ) -> None:
        super().__init__()
        self.room = room
        self.start = start
        self.urls: list[str] = []
        self.stale = True
        self.rows: list[str] = []  # learner ids and rejoin ids, in table order

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            with Vertical(id="join"):
                yield Static(id="title")
                yield Static(id="urls")
                yield Static(id="code")
                yield Static(id="warning")
            yield Static(id="qr")
        table: DataTable[str] = DataTable(id="roster", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(id="items")
        yield Static(id="log")
        yield Footer()

    async def on_mount(self) -> None:
        table = self.query_one("#roster", DataTable)
        table.add_columns("Name", "Id", "State", "Answered", "Flagged", "Time left")
        room = self.room
        _, self.urls = await self.start()
        self.query_one("#title", Static).update(Content(f"Class check: {room.spec.title}"))
        lines = [f"Join at {url}" for url in self.urls]
        if len(self.urls) > 1 or not self.urls[0].startswith("http://127."):
            lines.append("If phones cannot open it, the network isolates devices: use a hotspot.")
        self.query_one("#urls", Static).update(Content("\n".join(lines)))
        self.query_one("#code", Static).update(
            Content.assemble(("Class code  ", "bold"), (" ".join(room.code), "bold reverse"))
        )
        if not self.urls[0].startswith("http://127."):
            self.query_one("#qr", Static).update(Content(qr_text(self.urls[0])))
        else:
            self.query_one("#qr", Static).display = False
        warnings = []
        if room.spec.feedback == "immediate":
            warnings.append(
                "Feedback comes after each question: the answers can spread in the room "
                "before everyone has submitted."
            )
        if minutes := room.last_downtime_minutes():
            warnings.append(
                f"The server was down about {minutes} min: press a to give everyone that time."
            )
        if room.held:
            warnings.append("Paused attempts: a gives the time back, t lets them time out.")
        self.query_one("#warning", Static).update(Content("\n".join(warnings)))
        room.listeners.append(self.on_class_event)
        self.set_interval(0.4, self.redraw)
        self.redraw()
        if room.held:
            self.decide_downtime()

    @work
    async def decide_downtime(self) -> None:
        minutes = max(1, self.room.last_downtime_minutes())
        choice = await self.app.push_screen_wait(DowntimeChoice(self.room.held_text(), minutes))
        if choice == "extend":
            await self._do(lambda: self.room.extend(None, minutes))
        elif choice == "timeup":
            await self._do(self.room.finish_held)

    def on_class_event(self, event: Event) -> None:
        self.stale = True  # any thread: only a flag; the timer redraws

    def redraw(self) -> None:
        room = self.room
        table = self.query_one("#roster", DataTable)
        keep = table.cursor_row
        table.clear()
        self.rows = []
        for learner in room.learners.values():
            attempt = learner.attempt
            left = room.seconds_left(learner) if learner.started and not learner.final else None
            table.add_row(
                Content(learner.name),
                learner.id,
                room.status_of(learner),
                f"{len(attempt.answers) if attempt else 0}/{len(room.questions)}",
                str(len(attempt.flagged) if attempt else 0),
                clock_text(left) if left is not None else "",
            )
            self.rows.append(learner.id)
        for request in room.pending_rejoins():
            table.add_row(
                Content(request.name), "", "asks to rejoin: y resume, n new attempt", "", "", ""
            )
            self.rows.append(request.id)
        if self.rows:
            table.move_cursor(row=min(keep, len(self.rows) - 1))
        facility = room.facility()
        lines = ["Questions (share of points so far)"] + [
            f"Q{n:<3d} {bar(value)}" for n, value in enumerate(facility, start=1)
        ]
        self.query_one("#items", Static).update(Content("\n".join(lines)))
        events = [
            f"{e.at.strftime('%H:%M:%S')}  {e.text}"
            for e in room.events[-6:]
            if e.kind not in ("answered", "flagged")
        ]
        self.query_one("#log", Static).update(Content("\n".join(events)))
        self.stale = False

    def _selected(self) -> str | None:
        table = self.query_one("#roster", DataTable)
        if not self.rows:
            return None
        return self.rows[min(table.cursor_row, len(self.rows) - 1)]

    def _learner(self) -> Learner | None:
        selected = self._selected()
        return self.room.learners.get(selected) if selected else None

    async def _do(self, action: Callable[[], object]) -> None:
        try:
            await asyncio.to_thread(action)
        except ClassError as exc:
            self.notify(str(exc), severity="warning", markup=False)
        self.redraw()

    @work
    async def action_extend_one(self) -> None:
        learner = self._learner()
        if learner is None:
            self.notify("Move the cursor to a learner first.")
            return
        minutes = await self.app.push_screen_wait(AskMinutes(learner.name))
        if minutes:
            await self._do(lambda: self.room.extend(learner.id, minutes))

    @work
    async def action_extend_all(self) -> None:
        suggested = self.room.last_downtime_minutes() or 5
        minutes = await self.app.push_screen_wait(AskMinutes("everyone", suggested))
        if minutes:
            await self._do(lambda: self.room.extend(None, minutes))

    async def action_approve(self, choice: str) -> None:
        selected = self._selected()
        if selected is None or selected not in self.room.rejoins:
            self.notify("Move the cursor to a rejoin request first.")
            return
        await self._do(lambda: self.room.approve(selected, choice))

    @work
    async def action_remove(self) -> None:
        learner = self._learner()
        if learner is None:
            return
        question = f"Remove {learner.name}? Their attempt is submitted (answers are kept)."
        if await self.app.push_screen_wait(Confirm(question)):
            await self._do(lambda: self.room.remove(learner.id))

    @work
    async def action_time_up(self) -> None:
        if not self.room.held:
            self.notify("No attempt is paused.")
            return
        question = f"Let the {len(self.room.held)} paused attempt(s) finish as time up?"
        if await self.app.push_screen_wait(Confirm(question)):
            await self._do(self.room.finish_held)

    @work
    async def action_end(self) -> None:
        if await self.app.push_screen_wait(Confirm("End the check now for everyone?")):
            await self._do(self.room.end_now)
            await self.action_report()

    async def action_report(self) -> None:
        text = await asyncio.to_thread(self.room.report_text)
        self.app.push_screen(ReportView(text))

    def action_leave(self) -> None:
        self.app.exit()
