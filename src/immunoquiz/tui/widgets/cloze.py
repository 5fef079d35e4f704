"""Cloze: typed blanks, or drop-downs where the bank gives `choices`.

The sentence stays on top and fills in as the learner types, so each field
below reads in context. Enter moves to the next blank; on the last, submits.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Select, Static

from immunoquiz.banks.model import ClozeItem
from immunoquiz.responses import ClozeResponse
from immunoquiz.tui.text import join, lit
from immunoquiz.tui.widgets.base import ItemWidget


class ClozeWidget(ItemWidget):
    item: ClozeItem

    DEFAULT_CSS = """
    ClozeWidget > .blanks { height: auto; }
    ClozeWidget .blank-row { height: auto; }
    ClozeWidget .blank-row > .blank-label { width: 9; padding: 1 1 0 0; }
    ClozeWidget .blank-row > Input { width: 1fr; max-width: 50; }
    ClozeWidget .blank-row > Select { width: 1fr; max-width: 50; }
    """

    HINT = "Type each blank · Enter next blank (submits on the last) · Tab moves"

    def compose_answer(self) -> ComposeResult:
        with Vertical(classes="blanks"):
            for n, blank in enumerate(self.item.blanks):
                with Horizontal(classes="blank-row"):
                    yield Static(f"Blank {n + 1}", classes="blank-label")
                    if blank.choices:
                        order = self.shown_layout.shown(f"choices{n}")
                        yield Select(
                            [(lit(blank.choices[i]), blank.choices[i]) for i in order],
                            prompt="choose…",
                            id=f"blank-{n}",
                            type_to_search=True,
                        )
                    else:
                        yield Input(placeholder=f"blank {n + 1}", id=f"blank-{n}")

    def stem_text(self) -> str:
        return self.item.stem

    def on_mount(self) -> None:
        self._refresh_sentence()

    def values(self) -> list[str]:
        out: list[str] = []
        for n in range(len(self.item.blanks)):
            field = self.query_one(f"#blank-{n}")
            if isinstance(field, Select):
                value = field.value
                out.append(value if isinstance(value, str) else "")
            else:
                assert isinstance(field, Input)
                out.append(field.value)
        return out

    def sentence(self, values: list[str]) -> Content:
        parts: list[str | tuple[str, str]] = [self.item.segments[0]]
        for n, segment in enumerate(self.item.segments[1:]):
            typed = values[n].strip() if n < len(values) else ""
            label = f"({n + 1}) "
            parts.append((label, "dim"))
            parts.append((typed or "________", "bold underline $accent" if typed else "$accent"))
            parts.append(segment)
        return join(*parts)

    def _refresh_sentence(self) -> None:
        if self.show_stem:
            self.query_one(".stem", Static).update(self.sentence(self.values()))

    def missing(self) -> str | None:
        for n, value in enumerate(self.values()):
            if not value.strip():
                return f"Fill in blank {n + 1} (a best guess is fine)."
        return None

    def build_response(self) -> ClozeResponse:
        return ClozeResponse(tuple(self.values()))

    def _field(self, n: int) -> Input | Select[str]:
        field = self.query_one(f"#blank-{n}")
        assert isinstance(field, Input | Select)
        return field

    def _advance(self, n: int) -> None:
        if n + 1 < len(self.item.blanks):
            self._field(n + 1).focus()
        else:
            self.submit()

    def on_input_changed(self, message: Input.Changed) -> None:
        self.say(None)
        self._refresh_sentence()

    def on_input_submitted(self, message: Input.Submitted) -> None:
        message.stop()
        if message.input.id and message.input.id.startswith("blank-"):
            self._advance(int(message.input.id.removeprefix("blank-")))

    def on_select_changed(self, message: Select.Changed) -> None:
        message.stop()
        self.say(None)
        self._refresh_sentence()
        select = message.select
        if select.id and select.id.startswith("blank-") and isinstance(message.value, str):
            n = int(select.id.removeprefix("blank-"))
            if n + 1 < len(self.item.blanks):
                self._field(n + 1).focus()
            else:
                self.focus_submit()
