"""The TUI's themes: Textual's dark theme and a high-contrast one (Ctrl+T).

Shared by the trainer app and the exam app, so neither imports the other.
"""

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

__all__ = ["DEFAULT_THEME", "HIGH_CONTRAST", "HIGH_CONTRAST_THEME"]
