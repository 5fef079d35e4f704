"""Who is studying: pick a profile or create one. On first run, a welcome and a name."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from immunoquiz.store import Profile
from immunoquiz.tui.host import TrainerScreen
from immunoquiz.tui.text import join, lit

# What spaced repetition will do, in two lines, for someone who has never heard of it.
SPACED_REPETITION = (
    "Each question comes back just before you would forget it: a miss returns in "
    "minutes, a sure answer in days, then weeks. A few minutes a day is all it takes."
)


class ProfileScreen(TrainerScreen, ModalScreen[Profile | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, profiles: list[Profile], *, first_run: bool = False, current: Profile | None = None
    ) -> None:
        super().__init__()
        self.profiles = profiles
        self.first_run = first_run
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            if self.first_run:
                yield Static("Welcome to immunoquiz", classes="dialog-title")
                yield Static(SPACED_REPETITION, id="explain")
                yield Static("What should we call you?", classes="dialog-label")
            else:
                yield Static("Who is studying?", classes="dialog-title")
                options = []
                for p in self.profiles:
                    mark = "● " if self.current and p.id == self.current.id else "  "
                    options.append(Option(join((mark, "$success"), lit(p.name)), id=str(p.id)))
                if options:
                    yield OptionList(*options, id="profiles")
                yield Static("Or create a new profile:", classes="dialog-label")
            with Horizontal(classes="dialog-row"):
                yield Input(placeholder="your name", id="name", max_length=64)
                yield Button(
                    "Start" if self.first_run else "Create",
                    id="create",
                    compact=True,
                    variant="primary",
                )
            yield Static("", id="problem", classes="dialog-problem")
            hint = "Enter to start · Esc quits" if self.first_run else "Enter picks · Esc cancels"
            yield Static(hint, classes="dialog-hint")

    def on_mount(self) -> None:
        if self.first_run or not self.profiles:
            self.query_one("#name", Input).focus()
        else:
            options = self.query_one("#profiles", OptionList)
            options.focus()
            if self.current is not None:
                for n, p in enumerate(self.profiles):
                    if p.id == self.current.id:
                        options.highlighted = n

    @on(OptionList.OptionSelected, "#profiles")
    def picked(self, event: OptionList.OptionSelected) -> None:
        chosen = next((p for p in self.profiles if str(p.id) == event.option.id), None)
        self.dismiss(chosen)

    @on(Input.Submitted, "#name")
    async def typed(self) -> None:
        await self.create()

    @on(Button.Pressed, "#create")
    async def clicked(self) -> None:
        await self.create()

    async def create(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        problem = self.query_one("#problem", Static)
        if not name:
            problem.update("Type a name first (it is only used on this computer).")
            return
        existing = next((p for p in self.profiles if p.name.casefold() == name.casefold()), None)
        if existing is not None:
            self.dismiss(existing)
            return
        try:
            profile = await self.trainer.backend.create_profile(name)
        except ValueError as exc:
            reason = str(exc)
            problem.update(lit(reason[:1].upper() + reason[1:] + "."))
            return
        self.dismiss(profile)

    def action_cancel(self) -> None:
        self.dismiss(None)
