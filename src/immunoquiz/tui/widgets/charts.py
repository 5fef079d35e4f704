"""Small text charts for the home and statistics screens: bars that fit 80 columns."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from immunoquiz.tui.text import bar, join

BLOCKS = " ▁▂▃▄▅▆▇█"


def mastery_bar(fraction: float, width: int = 10) -> Content:
    """`█████▌     45%`: filled part coloured by level, then the percentage."""
    filled, empty = bar(fraction, width)
    if fraction >= 0.8:
        colour = "$success"
    elif fraction >= 0.4:
        colour = "$warning"
    else:
        colour = "$error"
    return join((filled, colour), (empty.replace(" ", "·"), "dim"), f" {fraction:4.0%}")


class ColumnChart(Widget):
    """Vertical bars with a value above each and a label under it.

    `values` are (label, value) pairs; `highlight` marks one column (today).
    Bars are 3 cells wide with a 1-cell gap, so 14 days need 56 columns.
    """

    DEFAULT_CSS = """
    ColumnChart { height: auto; width: 1fr; }
    """

    def __init__(
        self,
        values: Sequence[tuple[str, float]],
        *,
        rows: int = 5,
        fmt: str = "{:.0f}",
        highlight: int | None = None,
        colour: str = "$accent",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.values = list(values)
        self.rows = rows
        self.fmt = fmt
        self.highlight = highlight
        self.colour = colour

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.rows + 2

    def render(self) -> Content:
        peak = max((v for _, v in self.values), default=0) or 1
        cols = len(self.values)
        # Height of each bar in eighths of a row.
        eighths = [round(v / peak * self.rows * 8) if v > 0 else 0 for _, v in self.values]
        lines: list[Content] = []
        # The value sits on the row just above the top of its bar.
        tops = [min(self.rows, (e + 7) // 8) for e in eighths]
        for row in range(self.rows, -1, -1):  # row 0 is the bottom; rows+1 lines with labels
            parts: list[str | tuple[str, str]] = []
            for c in range(cols):
                style = "bold $warning" if c == self.highlight else self.colour
                if row == 0:
                    continue
                level = eighths[c] - (row - 1) * 8
                if level >= 8:
                    cell = "███"
                elif level > 0:
                    cell = BLOCKS[level] * 3
                elif row == tops[c] + 1 and self.values[c][1] > 0:
                    cell = self.fmt.format(self.values[c][1]).center(3)[:3]
                    style = "dim"
                elif row == 1 and self.values[c][1] == 0:
                    cell = " · "
                    style = "dim"
                else:
                    cell = "   "
                parts.append((cell, style))
                parts.append(" ")
            if row:
                lines.append(join(*parts))
        # Values of bars that fill the chart go on an extra line on top.
        top: list[str | tuple[str, str]] = []
        for c in range(cols):
            full = tops[c] >= self.rows and self.values[c][1] > 0
            text = self.fmt.format(self.values[c][1]).center(3)[:3] if full else "   "
            top += [(text, "dim"), " "]
        labels: list[str | tuple[str, str]] = []
        for c, (label, _) in enumerate(self.values):
            style = "bold $warning" if c == self.highlight else "dim"
            labels += [(label.center(3)[:3], style), " "]
        return Content("\n").join([join(*top), *lines, join(*labels)])


def sparkline(values: Sequence[float | None]) -> Content:
    """One line, one cell per value (None = no data, shown as a dot)."""
    parts: list[str | tuple[str, str]] = []
    for v in values:
        if v is None:
            parts.append(("·", "dim"))
        else:
            parts.append((BLOCKS[max(1, round(min(1.0, max(0.0, v)) * 8))], "$accent"))
    return join(*parts)
