"""How an exam shows its items: the same layout for every trainee of a session.

Option order is shuffled with a generator seeded by the session seed and the
item id, so two trainees (in the TUI or in plain mode) who take the same session
see the same order. A session with `shuffle: false` pins every option list to
the bank's order (order items are still shuffled: showing them in the right
order would give the answer away).
"""

from __future__ import annotations

import random
from dataclasses import replace

from immunoquiz.banks.model import CaseItem, Item
from immunoquiz.educator.analysis import reaches
from immunoquiz.educator.exam import ExamQuestion
from immunoquiz.educator.session_spec import SessionSpec


def shown_item(item: Item, shuffle: bool) -> Item:
    """`item` as the session shows it: options pinned when the session does not shuffle."""
    if shuffle or not item.shuffle and not isinstance(item, CaseItem):
        return item
    if isinstance(item, CaseItem):
        return replace(item, shuffle=False, parts=tuple(shown_item(p, False) for p in item.parts))
    return replace(item, shuffle=False)


def layout_rng(spec: SessionSpec, question: ExamQuestion) -> random.Random:
    """The generator that lays out `question` for every trainee of `spec`."""
    return random.Random(f"{spec.seed}/layout/{question.id}")


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
