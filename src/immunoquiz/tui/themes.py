"""The trainer's themes: Textual's default and a high-contrast one (ctrl+t)."""

from __future__ import annotations

from textual.theme import Theme

DEFAULT_THEME = "textual-dark"
HIGH_CONTRAST = "immunoquiz-high-contrast"

HIGH_CONTRAST_THEME = Theme(
    name=HIGH_CONTRAST,
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#00FFFF",
    warning="#FFD700",
    error="#FF6060",
    success="#00FF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#303030",
    boost="#333333",
    dark=True,
    variables={
        "text-muted": "#E0E0E0",
        "text-disabled": "#B0B0B0",
        "block-cursor-background": "#FFFF00",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold",
        "footer-key-foreground": "#FFFF00",
        "footer-description-foreground": "#FFFFFF",
        "button-color-foreground": "#000000",
        "border": "#FFFFFF",
        "scrollbar": "#FFFFFF",
    },
)


def toggled(theme: str) -> str:
    """The other theme: high contrast from anything else, and back to the default."""
    return DEFAULT_THEME if theme == HIGH_CONTRAST else HIGH_CONTRAST


# The profile's theme setting (study.settings.THEMES) and the Textual theme it names.
BY_SETTING = {"dark": DEFAULT_THEME, "light": "textual-light", "high-contrast": HIGH_CONTRAST}


def theme_for(setting: str) -> str:
    return BY_SETTING.get(setting, DEFAULT_THEME)


def setting_for(theme: str) -> str:
    return next((name for name, t in BY_SETTING.items() if t == theme), "dark")
