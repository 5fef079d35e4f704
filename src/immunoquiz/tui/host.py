"""What a study screen may read from the app that shows it, without importing the app.

The screens reach the trainer's state (backend, profile, start-up status, shuffle
seed) through the `Trainer` protocol, ask for a new session with a message
(`messages.StartSession`) and run the app's actions by name (`app.run_action`).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from textual.dom import DOMNode

from immunoquiz.store import Profile
from immunoquiz.tui.backend import Backend


@runtime_checkable
class Trainer(Protocol):
    backend: Backend
    profile: Profile | None
    ready: bool  # banks loaded and a profile chosen
    seed: int | None  # fixed shuffles for repeatable runs (--seed)
    new_limit: int | None  # new items a day, when the command line overrides the profile


class TrainerScreen:
    """Mixed into a screen: `self.trainer` is the hosting app, seen as a `Trainer`."""

    @property
    def trainer(self) -> Trainer:
        assert isinstance(self, DOMNode)
        app = self.app
        if not isinstance(app, Trainer):
            raise TypeError(
                f"{type(self).__name__} is shown by {type(app).__name__}, not a trainer"
            )
        return app
