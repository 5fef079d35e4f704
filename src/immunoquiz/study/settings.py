"""A profile's study settings: what each one means, the values it allows, and its default.

Stored in the store's per-profile settings as text. Every client (the TUI's
Settings screen, `immunoquiz settings`) goes through `parse`, so an invalid value
is refused with the allowed range, in the same words everywhere. A stored value
that no longer parses (edited by hand, an older build) reads as the default.
"""

from __future__ import annotations

import math

from immunoquiz.records import dataclass
from immunoquiz.store import Profile, Store

THEMES = ("dark", "light", "high-contrast")
# Theme values written by earlier builds (Textual's theme names).
_OLD_THEMES = {"textual-dark": "dark", "textual-light": "light"}
_OLD_THEMES["immunoquiz-high-contrast"] = "high-contrast"


class SettingError(ValueError):
    """An unknown key or a value outside the allowed range; the message says which."""


@dataclass(frozen=True, slots=True)
class Setting:
    name: str  # what the learner types: `--set new-per-day=10`
    key: str  # the store's key (kept from earlier builds where one existed)
    label: str
    explain: str  # one or two sentences a trainee understands
    default: str
    low: float | None = None  # numeric settings: the allowed range, inclusive
    high: float | None = None
    choices: tuple[str, ...] = ()
    decimals: bool = False

    @property
    def allowed(self) -> str:
        if self.choices:
            return "one of " + ", ".join(self.choices)
        if self.decimals:
            return f"a number from {self.low:.2f} to {self.high:.2f}"
        return f"a whole number from {self.low:g} to {self.high:g}"

    def parse(self, text: str) -> str:
        """The value as stored (normalised), or SettingError naming the allowed values."""
        raw = text.strip().lower()
        if self.choices:
            raw = _OLD_THEMES.get(raw, raw)
            if raw in self.choices:
                return raw
            raise SettingError(f"{self.name}: {text.strip()!r} is not allowed: use {self.allowed}")
        assert self.low is not None and self.high is not None
        try:  # "90%" is 0.90, for the retention
            number: float | None = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
        except ValueError:
            number = None
        if not (
            number is not None
            and math.isfinite(number)
            and self.low <= number <= self.high
            and (self.decimals or number.is_integer())
        ):
            raise SettingError(f"{self.name}: {text.strip()!r} is not allowed: use {self.allowed}")
        return f"{number:.2f}" if self.decimals else str(int(number))


NEW_PER_DAY = Setting(
    "new-per-day", "new_limit", "New items per day",
    "How many questions you have never seen are introduced each day. Fewer new items "
    "means fewer reviews in the days after.",
    "20", 0, 500,
)  # fmt: skip
REVIEWS_PER_DAY = Setting(
    "reviews-per-day", "max_reviews", "Maximum reviews per day",
    "The most due reviews asked in one day; the rest wait for tomorrow. Misses from "
    "today always come back.",
    "200", 1, 9999,
)  # fmt: skip
RETENTION = Setting(
    "retention", "desired_retention", "Desired retention",
    "The chance of still recalling an item when it comes back. 0.90 is the usual choice; "
    "higher means more reviews at shorter intervals, lower means fewer but more forgetting.",
    "0.90", 0.80, 0.97, decimals=True,
)  # fmt: skip
LEARN_AHEAD = Setting(
    "learn-ahead", "learn_ahead_minutes", "Learn-ahead minutes",
    "A missed item comes back after a short step. When nothing else is left, one due "
    "within this many minutes is shown early instead of ending the session.",
    "20", 0, 120,
)  # fmt: skip
THEME = Setting(
    "theme", "tui.theme", "Theme",
    "The colours of the full-screen trainer: dark, light, or high contrast.",
    "dark", choices=THEMES,
)  # fmt: skip

SETTINGS: tuple[Setting, ...] = (NEW_PER_DAY, REVIEWS_PER_DAY, RETENTION, LEARN_AHEAD, THEME)
BY_NAME = {s.name: s for s in SETTINGS}


def find(name: str) -> Setting:
    """The setting called `name` (also its store key, or underscores for hyphens)."""
    wanted = name.strip().lower().replace("_", "-")
    for setting in SETTINGS:
        if wanted in (setting.name, setting.key.replace("_", "-")):
            return setting
    raise SettingError(f"unknown setting {name.strip()!r}: use one of " + ", ".join(BY_NAME))


def read(store: Store, profile: Profile, setting: Setting) -> str:
    """The profile's value (normalised), or the default if unset or no longer valid."""
    stored = store.get_setting(profile, setting.key)
    if stored is None:
        return setting.default
    try:
        return setting.parse(stored)
    except SettingError:
        return setting.default


def read_all(store: Store, profile: Profile) -> dict[str, str]:
    return {s.name: read(store, profile, s) for s in SETTINGS}


def write(store: Store, profile: Profile, setting: Setting, text: str) -> str:
    """Validate and store; returns the stored value. SettingError if not allowed."""
    value = setting.parse(text)
    store.set_setting(profile, setting.key, value)
    return value
