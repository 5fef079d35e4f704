"""Requests a screen sends up to the app that shows it (the screens never import the app)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from immunoquiz.banks.model import Bank
    from immunoquiz.study import Filters, Mode


class StartSession(Message):
    """Open a study or practice session over the current screens."""

    def __init__(
        self,
        mode: Mode,
        filters: Filters,
        *,
        banks: Sequence[Bank] | None = None,
        label: str = "",
    ) -> None:
        super().__init__()
        self.mode = mode
        self.filters = filters
        self.banks = banks
        self.label = label


class SettingsSaved(Message):
    """The profile's study settings changed (by name, as stored); the theme may follow."""

    def __init__(self, values: dict[str, str]) -> None:
        super().__init__()
        self.values = dict(values)
