"""Textual's key footer, rebuilt only when the keys it shows change.

Textual's Footer rebuilds every key (and restyles each one twice) on every
bindings signal: each focus change, each `refresh_bindings`, each screen push.
Most of those change nothing on our screens, and the rebuilds were the largest
single cost between Enter and the feedback on screen. This one compares what it
would show with what it shows, and asks for at most one rebuild per refresh.

Each key is also made in the footer's style (compact or not) before it is mounted:
Textual's keys start compact and are switched by a data binding once mounted,
restyling each key (and its two component styles) twice on every rebuild.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey


class Footer(TextualFooter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[object, ...] | None = None
        self._rebuild_asked = False

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # the palette key is not bound to the footer's style: it stays compact
                compact = self.compact or widget.has_class("-command-palette")
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget

    def _keys(self) -> tuple[object, ...]:
        keymap = self.app.get_key_display
        return tuple(
            (binding.key, keymap(binding), binding.description, binding.action, enabled, tooltip)
            for (_node, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or self._rebuild_asked:
            return
        if self.is_attached and screen is self.screen:
            self._rebuild_asked = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_asked = False
        if not self.is_attached or self._pruning:  # its screen was closed meanwhile
            return
        keys = self._keys()
        if keys != self._shown:
            self._shown = keys
            await self.recompose()
