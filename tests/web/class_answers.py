"""Right (and wrong) form answers for the demo session's nine questions (shuffle: false)."""

from __future__ import annotations

import re

from class_client import Browser, Page

RANK = re.compile(r'<label for="(?P<p>(?:p\d+-)?)rank-(?P<pos>\d+)">(?P<text>[^<]+)</label>')
ORDER_KEY = ["Assess stool frequency", "Hold the checkpoint inhibitor", "Start corticosteroids"]
MAX_POINTS = 18


def order_ranks(page: Page, right: bool = True) -> list[tuple[str, str]]:
    """Position fields of the order question as shown: the keyed order (or its reverse)."""
    fields = []
    for m in RANK.finditer(page.text):
        rank = next(i for i, key in enumerate(ORDER_KEY) if m["text"].startswith(key)) + 1
        if not right:
            rank = len(ORDER_KEY) + 1 - rank
        fields.append((f"{m['p']}rank-{m['pos']}", str(rank)))
    return fields


RIGHT: dict[int, list[tuple[str, str]]] = {
    1: [("choice", "0")],
    2: [("choice", "0"), ("choice", "1")],
    3: [("value", "true")],
    4: [("blank-0", "0"), ("blank-1", "1")],
    5: [("blank-0", "Checkpoint  inhibitor")],
    7: [("row-0", "0"), ("row-1", "1"), ("row-2", "2")],
    8: [
        ("conditions", "0"),
        ("actions", "0"),
        ("actions", "1"),
        ("parameters", "0"),
        ("parameters", "1"),
    ],
}


CASE_RIGHT = [("p0-choice", "0"), ("p1-value", "true")]  # its parts, shown in turn


async def answer_all(browser: Browser, right: bool = True) -> None:
    """Answer questions 1-9 through the forms, as a learner pressing 'Save and next'."""
    for n in range(1, 10):
        page = await browser.get(f"/q/{n}")
        assert page.status == 200, page.text
        if n == 6:
            fields = order_ranks(page, right)
        elif n == 9:
            await browser.post("/q/9", [("p0-choice", "0" if right else "1"), ("go", "part")])
            fields = [("p0-choice", "0" if right else "1"), ("p1-value", "true")]
        else:
            fields = RIGHT[n] if right else [("value", "false")] if n == 3 else RIGHT[n]
        go = "next" if n < 9 else "review"
        page = await browser.post(f"/q/{n}", [*fields, ("go", go)])
        assert page.status == 200, page.text
