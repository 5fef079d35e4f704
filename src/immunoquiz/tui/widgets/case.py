"""Unfolding case study: the vignette keeps its own panel while parts unfold.

Each part is answered in turn with its own widget; a part's `update:` is
added to the vignette panel as new information just before that part is
shown. When the last part is answered the case posts one `CaseResponse`.
"""

from __future__ import annotations

from typing import Protocol

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from immunoquiz.banks.model import CaseItem, Item
from immunoquiz.present import Layout
from immunoquiz.responses import CaseResponse, Response
from immunoquiz.tui.text import human, join, lit, type_label
from immunoquiz.tui.widgets.base import ItemWidget


class PartWidget(Protocol):
    """Makes the widget that asks one part (`widgets.widget_for`)."""

    def __call__(
        self, item: Item, shown: Layout | None = None, *, id: str | None = None
    ) -> ItemWidget: ...


class CaseWidget(ItemWidget):
    item: CaseItem

    DEFAULT_CSS = """
    CaseWidget { height: 1fr; layout: vertical; }
    CaseWidget.-wide { layout: horizontal; }
    CaseWidget > #vignette {
        height: auto; max-height: 45%; border: round $accent; border-title-color: $accent;
        padding: 0 1; scrollbar-size-vertical: 1;
    }
    CaseWidget.-wide > #vignette { width: 42%; height: 1fr; max-height: 100%; }
    CaseWidget > #vignette > .update { margin: 1 0 0 0; }
    CaseWidget > #vignette > .update.-new { background: $warning 15%; }
    CaseWidget > #part { height: 1fr; padding: 0 1; }
    CaseWidget.-wide > #part { width: 1fr; }
    CaseWidget #part > .part-title { color: $accent; text-style: bold; }
    """

    WIDE = 110  # terminal columns from which the vignette sits beside the part

    def __init__(
        self,
        item: CaseItem,
        shown: Layout | None = None,
        *,
        show_stem: bool = True,
        id: str | None = None,
        part_widget: PartWidget,
    ) -> None:
        super().__init__(item, shown, show_stem=show_stem, id=id)
        # how to ask each part: given by the widget registry, which imports this module
        self.part_widget = part_widget
        self.answers: list[Response] = []
        self.part_widgets: list[ItemWidget] = []

    def compose(self) -> ComposeResult:
        panel = VerticalScroll(id="vignette")
        panel.border_title = "Patient"
        panel.can_focus = True
        with panel:
            yield Static(lit(self.item.vignette), classes="vignette-text")
        yield VerticalScroll(id="part")

    async def on_mount(self) -> None:
        self._fit(self.app.size.width)
        await self._show_part(0)

    def on_resize(self) -> None:
        self._fit(self.app.size.width)

    def _fit(self, width: int) -> None:
        self.set_class(width >= self.WIDE, "-wide")

    @property
    def part_index(self) -> int:
        return len(self.answers)

    async def _show_part(self, n: int) -> None:
        part = self.item.parts[n]
        panel = self.query_one("#vignette", VerticalScroll)
        for old in panel.query(".update.-new"):
            old.remove_class("-new")
        if part.update:
            note = Static(
                join((f"New information (part {n + 1}): ", "bold $warning"), part.update),
                classes="update -new",
            )
            await panel.mount(note)
            panel.call_after_refresh(panel.scroll_end, animate=False)
        area = self.query_one("#part", VerticalScroll)
        await area.remove_children()
        step = f" · {human(part.step)}" if part.step else ""
        title = f"Part {n + 1} of {len(self.item.parts)}{step} · {type_label(part)}"
        widget = self.part_widget(part, self.shown_layout.parts[n], id=f"part-{n}")
        self.part_widgets.append(widget)
        await area.mount(Static(lit(title), classes="part-title"))
        await area.mount(widget)
        area.scroll_home(animate=False)
        widget.focus_answer()

    def focus_answer(self) -> None:
        if self.part_widgets:
            self.part_widgets[-1].focus_answer()

    async def on_item_widget_submitted(self, message: ItemWidget.Submitted) -> None:
        if message.widget is self:
            return  # our own answer, on its way to the screen
        message.stop()
        if message.widget is not self.part_widgets[-1] or len(self.answers) >= len(self.item.parts):
            return  # a stray second Enter on a part already answered
        self.answers.append(message.response)
        if len(self.answers) < len(self.item.parts):
            await self._show_part(len(self.answers))
        else:
            self.submit()

    def missing(self) -> str | None:
        if len(self.answers) < len(self.item.parts):
            return f"Answer part {len(self.answers) + 1} first."
        return None

    def build_response(self) -> CaseResponse:
        return CaseResponse(tuple(self.answers))

    def say(self, text: str | None) -> None:
        if text and self.part_widgets:
            self.part_widgets[-1].say(text)
