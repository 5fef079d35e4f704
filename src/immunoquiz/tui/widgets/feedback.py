"""What the learner sees after answering: per-option verdicts with their `why`,
the score with the rule used, the explanation, the sources and the schedule.

Verdicts are words as well as colours (✓ your pick, correct / ✗ your pick,
incorrect / ○ missed), so they read the same in the high-contrast theme.
Everything from the bank goes through `lit`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from immunoquiz.banks.model import (
    Bank,
    BowtieItem,
    CaseItem,
    ClozeItem,
    Item,
    MatchItem,
    MultipleItem,
    Option,
    OrderItem,
    SingleItem,
    Source,
    TrueFalseItem,
)
from immunoquiz.basics import CORRECT, INCORRECT, PARTLY_CORRECT
from immunoquiz.responses import (
    BowtieResponse,
    CaseResponse,
    ClozeResponse,
    MatchResponse,
    MultipleResponse,
    OrderResponse,
    Response,
    Score,
    SingleResponse,
    TrueFalseResponse,
)
from immunoquiz.scoring import blank_correct
from immunoquiz.scoring import score as score_of
from immunoquiz.tui.text import human, join, lit, type_label
from immunoquiz.tui.widgets.bowtie import COLUMNS
from immunoquiz.tui.widgets.hanging import Hanging

Layout = dict[str, tuple[int, ...]]

RIGHT, WRONG, MISSED = "$success", "$error", "$warning"


_VERDICT_LOOK = {CORRECT: ("✓", RIGHT), PARTLY_CORRECT: ("◐", MISSED), INCORRECT: ("✗", WRONG)}


def verdict_line(score: Score) -> Content:
    """'✓ Correct · 1/1, correct/incorrect' (the rule used, in words)."""
    mark, colour = _VERDICT_LOOK[score.verdict]
    head = (f"{mark} {score.verdict}", f"bold {colour}")
    return join(head, ("  ·  ", "dim"), (f"{score}, {score.rule}", "bold"))


def cited_sources(bank: Bank, item: Item) -> list[Source]:
    """The item's sources (and its parts', for a case) as full citations, in order."""
    keys: list[str] = list(item.sources)
    if isinstance(item, CaseItem):
        for part in item.parts:
            keys.extend(k for k in part.sources if k not in keys)
    found = bank.source_map
    return [found[k] for k in dict.fromkeys(keys) if k in found]


class OptionVerdictRow(Hanging):
    """✓/✗/○ mark, then the option text, its verdict in words, and its `why`."""

    DEFAULT_CSS = """
    OptionVerdictRow { height: auto; width: 1fr; }
    """

    MARKS = {
        "right": ("✓", RIGHT),
        "wrong": ("✗", WRONG),
        "missed": ("○", MISSED),
        "plain": ("·", ""),
    }

    def __init__(self, option: Option, chosen: bool, single: bool = False) -> None:
        if chosen:
            kind = "right" if option.correct else "wrong"
        else:
            kind = "missed" if option.correct else "plain"
        words = {
            "right": ("your pick, correct", RIGHT),
            "wrong": ("your pick, incorrect", WRONG),
            "missed": ("correct answer" if single else "correct, not picked", MISSED),
            "plain": ("", ""),
        }[kind]
        parts: list[str | tuple[str, str]] = [
            (option.text, "bold" if chosen or option.correct else "")
        ]
        if words[0]:
            parts.append(("  — ", "dim"))
            parts.append((words[0], f"italic {words[1]}"))
        if option.why:
            parts.append("\n")
            parts.append((option.why, "italic"))
        mark, colour = self.MARKS[kind]
        super().__init__(join((mark, f"bold {colour}")), join(*parts), indent=3, classes=f"-{kind}")
        self.option = option
        self.chosen = chosen
        self.kind = kind


def _ordered(n: int, layout: Layout, key: str) -> Sequence[int]:
    order = layout.get(key)
    return order if order is not None and sorted(order) == list(range(n)) else range(n)


def _heading(text: str) -> Static:
    return Static(text, classes="fb-heading")


def _para(content: Content | str, classes: str = "fb-text") -> Static:
    return Static(lit(content) if isinstance(content, str) else content, classes=classes)


def answer_widgets(
    item: Item, response: Response, layout: Layout, prefix: str = ""
) -> list[Widget]:
    """The per-type 'your answer against the right one' block."""
    out: list[Widget] = []
    if isinstance(item, SingleItem) and isinstance(response, SingleResponse):
        for i in _ordered(len(item.options), layout, prefix + "options"):
            out.append(OptionVerdictRow(item.options[i], i == response.choice, single=True))
    elif isinstance(item, MultipleItem) and isinstance(response, MultipleResponse):
        for i in _ordered(len(item.options), layout, prefix + "options"):
            out.append(OptionVerdictRow(item.options[i], i in response.choices))
    elif isinstance(item, TrueFalseItem) and isinstance(response, TrueFalseResponse):
        yours = "True" if response.value else "False"
        right = response.value == item.answer
        out.append(
            _para(
                join(
                    "You answered ",
                    (yours, "bold"),
                    "  ",
                    ("✓ correct" if right else "✗ incorrect", RIGHT if right else WRONG),
                    ("" if right else f"  (the statement is {str(item.answer).lower()})", ""),
                )
            )
        )
    elif isinstance(item, ClozeItem) and isinstance(response, ClozeResponse):
        parts: list[str | tuple[str, str]] = [item.segments[0]]
        for n, segment in enumerate(item.segments[1:]):
            typed = response.blanks[n] if n < len(response.blanks) else ""
            ok = blank_correct(item.blanks[n], typed)
            parts.append((typed.strip() or "(empty)", f"bold underline {RIGHT if ok else WRONG}"))
            parts.append(segment)
        out.append(_para(join(*parts), "fb-stem"))
        for n, blank in enumerate(item.blanks):
            typed = response.blanks[n] if n < len(response.blanks) else ""
            ok = blank_correct(blank, typed)
            head = join((f"Blank {n + 1}: ", "bold"), ("✓" if ok else "✗", RIGHT if ok else WRONG))
            line: list[str | tuple[str, str]] = [(typed.strip() or "(empty)", "")]
            if not ok or len(blank.answers) > 1:
                label = "accepted: " if len(blank.answers) > 1 else "answer: "
                line.append(("   " + label, "dim"))
                line.append((" | ".join(blank.answers), "bold"))
            out.append(Hanging(head, join(*line), indent=len(f"Blank {n + 1}: ") + 2))
    elif isinstance(item, OrderItem) and isinstance(response, OrderResponse):
        out.append(_para(join(("Your order", "bold underline"))))
        for place, index in enumerate(response.order):
            ok = index == place
            tick = ("✓", RIGHT) if ok else ("✗", WRONG)
            head = join((f"{place + 1}.".ljust(4), "dim"), tick)
            body = join(
                item.items[index],
                ("" if ok else f"  (belongs at {index + 1})", "italic dim"),
            )
            out.append(Hanging(head, body, indent=6))
        if list(response.order) != list(range(len(item.items))):
            out.append(_para(join(("Correct order", "bold underline")), "fb-text fb-gap"))
            for place, text in enumerate(item.items):
                out.append(Hanging(join((f"{place + 1}.", "dim")), lit(text), indent=6))
    elif isinstance(item, MatchItem) and isinstance(response, MatchResponse):
        for r in _ordered(len(item.rows), layout, prefix + "rows"):
            pick = response.picks[r] if r < len(response.picks) else None
            ok = pick == item.answer[r]
            chosen = item.columns[pick] if pick is not None else "(none)"
            pair: list[str | tuple[str, str]] = [(item.rows[r], "bold"), (" → ", "dim"), chosen]
            if not ok:
                pair += [("   correct: ", "dim"), (item.columns[item.answer[r]], f"bold {RIGHT}")]
            mark = join(("✓" if ok else "✗", RIGHT if ok else WRONG))
            out.append(Hanging(mark, join(*pair), indent=2))
    elif isinstance(item, BowtieItem) and isinstance(response, BowtieResponse):
        for name, title in COLUMNS:
            options: tuple[Option, ...] = getattr(item, name)
            ticked: frozenset[int] = getattr(response, name)
            out.append(_para(join((title, "bold underline")), "fb-text fb-gap"))
            for i in _ordered(len(options), layout, prefix + name):
                out.append(OptionVerdictRow(options[i], i in ticked))
    return out


class PartFeedback(Vertical):
    """One part of a case: its heading and score, any update, its answer and explanation."""

    DEFAULT_CSS = """
    PartFeedback { height: auto; margin: 1 0 0 0; padding: 0 0 0 1; border-left: thick $panel; }
    PartFeedback > .part-head { text-style: bold; color: $accent; }
    PartFeedback > .update { background: $warning 15%; }
    """

    def __init__(self, n: int, total: int, part: Item, response: Response, layout: Layout) -> None:
        super().__init__()
        self.n, self.total, self.part, self.response, self.shown_order = (
            n,
            total,
            part,
            response,
            layout,
        )

    def compose(self) -> ComposeResult:
        part, n = self.part, self.n
        step = f" · {human(part.step)}" if part.step else ""
        yield Static(
            f"Part {n + 1} of {self.total}{step} · {type_label(part)}", classes="part-head"
        )
        if part.update:
            yield _para(join(("New information: ", "bold $warning"), part.update), "update")
        if not isinstance(part, ClozeItem):
            yield _para(part.stem, "fb-stem")
        yield _para(verdict_line(score_of(part, self.response)))
        yield from answer_widgets(part, self.response, self.shown_order, prefix=f"{n}:")
        yield _para(part.explanation, "fb-text fb-explain")


class FeedbackView(Vertical):
    """The whole feedback block for one answered item."""

    DEFAULT_CSS = """
    FeedbackView { height: auto; width: 1fr; }
    FeedbackView .fb-verdict { margin: 0 0 0 0; }
    FeedbackView .fb-schedule { color: $text-muted; margin: 0 0 1 0; }
    FeedbackView .fb-stem { text-style: bold; margin: 0 0 1 0; }
    FeedbackView .fb-heading { text-style: bold; color: $accent; margin: 1 0 0 0; }
    FeedbackView .fb-gap { margin: 1 0 0 0; }
    FeedbackView .fb-source { padding: 0 0 0 2; }
    FeedbackView .fb-vignette { border: round $accent; padding: 0 1; }
    """

    def __init__(
        self,
        bank: Bank,
        item: Item,
        response: Response,
        score: Score,
        *,
        layout: Layout | None = None,
        schedule: str | None = None,
        details_later: bool = False,
        id: str | None = None,
    ) -> None:
        """`details_later`: the verdict and schedule go on screen first and the rest
        (answer, explanation, sources) is mounted after that first frame, so the
        learner reads the verdict without waiting for the whole block to be built."""
        super().__init__(id=id)
        self.bank = bank
        self.item = item
        self.response = response
        self.score = score
        self.shown_order = layout or {}
        self.schedule = schedule
        self.details_later = details_later

    def compose(self) -> ComposeResult:
        yield Static(verdict_line(self.score), classes="fb-verdict", id="verdict")
        if self.schedule:
            text = self.schedule[:1].upper() + self.schedule[1:]
            yield Static(text, classes="fb-schedule", id="schedule")
        if not self.details_later:
            yield from self.details()

    def on_mount(self) -> None:
        if self.details_later:
            self.call_after_refresh(self._mount_details)

    async def _mount_details(self) -> None:
        await self.mount_all(list(self.details()))

    def details(self) -> Iterator[Widget]:
        """Everything below the verdict and schedule."""
        item = self.item
        if isinstance(item, CaseItem) and isinstance(self.response, CaseResponse):
            vignette = Static(lit(item.vignette), classes="fb-vignette")
            vignette.border_title = "Patient"
            yield vignette
            for n, (part, answer) in enumerate(zip(item.parts, self.response.parts, strict=False)):
                yield PartFeedback(n, len(item.parts), part, answer, self.shown_order)
        else:
            if not isinstance(item, ClozeItem):  # a cloze shows its sentence filled in below
                yield _para(item.stem, "fb-stem")
            yield from answer_widgets(item, self.response, self.shown_order)
        yield _heading("Explanation")
        yield _para(item.explanation, "fb-text fb-explain")
        sources = cited_sources(self.bank, item)
        if sources:
            yield _heading("Sources")
            for source in sources:
                yield _para(self.citation(source), "fb-source")

    @staticmethod
    def citation(source: Source) -> Content:
        parts: list[str | tuple[str, str]] = [("• ", "dim"), source.cite]
        if source.url:
            parts += [("  ", ""), (source.url, "underline dim")]
        return join(*parts)
