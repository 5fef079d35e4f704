"""Exam words shared by the clients: percentages, pass or fail, time left.

The layout of an item (option order) is `Attempt.layout` / `present.layout`.
"""

from __future__ import annotations

from immunoquiz.educator.analysis import reaches


def percent(points: float, maximum: float) -> float:
    return 100 * points / maximum if maximum else 0.0


def passed(points: float, maximum: float, pass_mark: float | None) -> bool | None:
    """Pass/fail against the session's pass mark (None: the session has none)."""
    return None if pass_mark is None else reaches(percent(points, maximum), pass_mark)


def time_left_text(seconds: float) -> str:
    """'18 min 2 s left', '42 s left': words, so a screen reader says them right."""
    whole = max(0, int(seconds + 0.999))  # round up: "0 s left" only when it is over
    minutes, secs = divmod(whole, 60)
    if minutes >= 60:
        hours, minutes = divmod(minutes, 60)
        return f"{hours} h {minutes} min left"
    return f"{minutes} min {secs} s left" if minutes else f"{secs} s left"


def clock_text(seconds: float) -> str:
    """'18:02' (or '1:05:00'), for the TUI's countdown."""
    whole = max(0, int(seconds + 0.999))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
