"""The profile's study settings: each with its allowed range and what it changes.

Every value is checked by `study.settings` before anything is stored: a value
out of range is refused beside its field, in the same words as
`immunoquiz settings --set`, and the others are kept.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, Select, Static

from immunoquiz.study import settings as cfg
from immunoquiz.tui.host import TrainerScreen
from immunoquiz.tui.messages import SettingsSaved
from immunoquiz.tui.text import join, lit
from immunoquiz.tui.widgets.bars import TitleBar, who_label
from immunoquiz.tui.widgets.footer import Footer


class SettingRow(Vertical):
    """Label and field on one line; the explanation and any refusal below."""

    def __init__(self, setting: cfg.Setting, value: str) -> None:
        super().__init__(classes="setting")
        self.setting = setting
        self.value = value

    def compose(self) -> ComposeResult:
        s = self.setting
        with Horizontal(classes="setting-line"):
            yield Static(join((s.label, "bold")), classes="setting-label")
            if s.choices:
                yield Select(
                    [(c, c) for c in s.choices],
                    value=self.value,
                    allow_blank=False,
                    id=f"set-{s.name}",
                    compact=True,
                )
            else:
                yield Input(self.value, id=f"set-{s.name}", compact=True, classes="setting-input")
        yield Static(lit(f"{s.explain} Allowed: {s.allowed}."), classes="setting-explain")
        yield Static("", classes="setting-problem -none")

    @property
    def entered(self) -> str:
        field = self.query_one(f"#set-{self.setting.name}")
        if isinstance(field, Select):
            return str(field.value)
        assert isinstance(field, Input)
        return field.value

    def refuse(self, reason: str) -> None:
        problem = self.query_one(".setting-problem", Static)
        problem.update(lit(reason))
        problem.remove_class("-none")

    def clear(self) -> None:
        self.query_one(".setting-problem", Static).add_class("-none")


class SettingsScreen(TrainerScreen, Screen[None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", key_display="^s"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, values: dict[str, str]) -> None:
        super().__init__()
        self.values = values

    def compose(self) -> ComposeResult:
        name = self.trainer.profile.name if self.trainer.profile else None
        yield TitleBar("Settings", who_label(name))
        with VerticalScroll(id="settings-scroll"):
            for setting in cfg.SETTINGS:
                yield SettingRow(setting, self.values[setting.name])
            with Horizontal(classes="buttons"):
                yield Button("Save  ^s", id="save", variant="primary", compact=True)
                yield Button("Back  esc", id="back", compact=True)
            yield Static("", id="saved")
        yield Footer()

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    async def action_save(self) -> None:
        profile = self.trainer.profile
        if profile is None:
            return
        refused = 0
        changed: list[str] = []
        for row in self.query(SettingRow):
            try:
                value = row.setting.parse(row.entered)
            except cfg.SettingError as exc:
                row.refuse(str(exc))
                refused += 1
                continue
            row.clear()
            if value != self.values[row.setting.name]:
                await self.trainer.backend.save_setting(profile, row.setting, value)
                self.values[row.setting.name] = value
                changed.append(row.setting.label)
        if changed:
            self.post_message(SettingsSaved(self.values))
        saved = self.query_one("#saved", Static)
        if refused:
            saved.update(f"Not saved: {refused} value(s) outside the allowed range (see above).")
        elif changed:
            saved.update(lit("Saved: " + ", ".join(changed) + "."))
        else:
            saved.update("Nothing changed.")

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.app.pop_screen()
