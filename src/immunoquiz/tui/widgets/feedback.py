"""What the learner sees after answering: per-option verdicts with their `why`,
the score with the rule used, the explanation, the sources and the schedule.

Rendered from `present.explain` (the model plain mode and the web pages render
too): the verdicts and their words are the model's; this module only marks and
colours them (✓ / ✗ / ○ beside the words, so they read the same in the
high-contrast theme). Everything from the bank goes through `lit`.
"""

from __future__ import annotations

from collections.abc import Iterator

from textual.app import ComposeResult
from textual.await_remove import AwaitRemove
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from immunoquiz.banks.model import Bank, BowtieItem, CaseItem, ClozeItem, Item, OrderItem, Source
from immunoquiz.basics import CORRECT, INCORRECT, PARTLY_CORRECT
from immunoquiz.present import Explanation, KeyLine, Layout, OptionLine, explain, score_words
from immunoquiz.responses import Response, Score
from immunoquiz.tui.text import human, join, lit, type_label
from immunoquiz.tui.widgets.bowtie import COLUMNS
from immunoquiz.tui.widgets.hanging import Hanging

RIGHT, WRONG, MISSED = "$success", "$error", "$warning"


_VERDICT_LOOK = {CORRECT: ("✓", RIGHT), PARTLY_CORRECT: ("◐", MISSED), INCORRECT: ("✗", WRONG)}


def verdict_line(score: Score) -> Content:
    """'✓ Correct: 1/1.': the model's score words (`present.score_words`), marked."""
    mark, colour = _VERDICT_LOOK[score.verdict]
    return join((f"{mark} {score_words(score)}", f"bold {colour}"))


def cited_sources(bank: Bank, item: Item) -> list[Source]:
    """The item's sources (and its parts', for a case) as full citations, in order."""
    keys: list[str] = list(item.sources)
    if isinstance(item, CaseItem):
        for part in item.parts:
            keys.extend(k for k in part.sources if k not in keys)
    found = bank.source_map
    return [found[k] for k in dict.fromkeys(keys) if k in found]


class OptionVerdictRow(Hanging):
    """✓/✗/○ mark, then the option text, its verdict in the model's words, and its `why`."""

    DEFAULT_CSS = """
    OptionVerdictRow { height: auto; width: 1fr; }
    """

    MARKS = {"right": ("✓", RIGHT), "wrong": ("✗", WRONG), "missed": ("○", MISSED), "": ("·", "")}

    def __init__(self, line: OptionLine) -> None:
        mark, colour = self.MARKS[line.verdict]
        parts: list[str | tuple[str, str]] = [
            (line.text, "bold" if line.chosen or line.correct else ""),
            ("  — ", "dim"),
            (line.words, f"italic {colour or 'dim'}"),
        ]
        if line.why:
            parts += ["\n", (line.why, "italic")]
        kind = line.verdict or "plain"
        super().__init__(join((mark, f"bold {colour}")), join(*parts), indent=3, classes=f"-{kind}")
        self.line = line


class KeyRow(Hanging):
    """✓/✗, then a blank, place, row or statement against the key, in the model's words."""

    DEFAULT_CSS = """
    KeyRow { height: auto; width: 1fr; }
    """

    def __init__(self, line: KeyLine) -> None:
        ok = line.correct
        colour = RIGHT if ok else WRONG
        given: str | tuple[str, str] = line.given or ("(none)", "dim")
        if line.kind == "statement":
            head = f"You answered {line.given}"
            parts: list[str | tuple[str, str]] = [(head, "bold")]
            key = f"the statement is {line.answer.lower()}"
        elif line.kind == "row":
            parts = [(line.label, "bold"), (" → ", "dim"), given]
            key = f"the answer: {line.answer}"
        else:  # a blank or a place: "Blank 2: typed", "3. item"
            parts = [(f"{line.label} ", "bold"), given]
            key = f"the answer: {line.answer}" if line.kind == "blank" else f"here: {line.answer}"
        parts += [("  — ", "dim"), (line.words, f"italic {colour}")]
        if not ok:
            parts += [("; ", "dim"), (key, f"{RIGHT}")]
        super().__init__(
            join(("✓" if ok else "✗", f"bold {colour}")),
            join(*parts),
            indent=2,
            classes="-right" if ok else "-wrong",
        )
        self.line = line


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _heading(text: str) -> Static:
    return Static(text, classes="fb-heading")


def _para(content: Content | str, classes: str = "fb-text") -> Static:
    return Static(lit(content) if isinstance(content, str) else content, classes=classes)


def _filled_in(item: ClozeItem, e: Explanation) -> Static:
    """The cloze sentence with what was typed in each blank, coloured by its verdict."""
    parts: list[str | tuple[str, str]] = [item.segments[0]]
    for line, segment in zip(e.keys, item.segments[1:], strict=True):
        colour = RIGHT if line.correct else WRONG
        parts += [(line.given or "(empty)", f"bold underline {colour}"), segment]
    return _para(join(*parts), "fb-stem")


def answer_widgets(item: Item, e: Explanation) -> list[Widget]:
    """The per-type 'your answer against the right one' block, rendered from `e`."""
    out: list[Widget] = []
    if isinstance(item, ClozeItem):
        out.append(_filled_in(item, e))
    if isinstance(item, OrderItem):
        out.append(_para(join(("Your order", "bold underline"))))
    if isinstance(item, BowtieItem):  # column by column, as the question showed them
        for name, title in COLUMNS:
            out.append(_para(join((title, "bold underline")), "fb-text fb-gap"))
            out += [OptionVerdictRow(line) for line in e.options if line.group == name]
    else:
        out += [OptionVerdictRow(line) for line in e.options]
    out += [KeyRow(line) for line in e.keys]
    if isinstance(item, OrderItem) and not all(line.correct for line in e.keys):
        out.append(_para(join(("Correct order", "bold underline")), "fb-text fb-gap"))
        for place, text in enumerate(item.items):
            out.append(Hanging(join((f"{place + 1}.", "dim")), lit(text), indent=6))
    return out


class PartFeedback(Vertical):
    """One part of a case: its heading and score, any update, its answer and explanation."""

    DEFAULT_CSS = """
    PartFeedback { height: auto; margin: 1 0 0 0; padding: 0 0 0 1; border-left: thick $panel; }
    PartFeedback > .part-head { text-style: bold; color: $accent; }
    PartFeedback > .update { background: $warning 15%; }
    """

    def __init__(self, n: int, total: int, part: Item, explained: Explanation) -> None:
        super().__init__()
        self.n, self.total, self.part, self.explained = n, total, part, explained

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
        yield _para(verdict_line(self.explained.score))
        yield from answer_widgets(part, self.explained)
        yield _para(self.explained.rationale, "fb-text fb-explain")


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
        layout: Layout,
        schedule: str | None = None,
        details_later: bool = False,
        id: str | None = None,
    ) -> None:
        """`details_later`: the verdict and schedule go on screen first and the rest
        (answer, explanation, sources) is mounted by `mount_details` after that first
        frame, so the learner reads the verdict without waiting for the whole block."""
        super().__init__(id=id)
        self.details_later = details_later
        self.details_mounted = False
        self._set(bank, item, response, score, layout, schedule)

    def _set(
        self,
        bank: Bank,
        item: Item,
        response: Response,
        score: Score,
        layout: Layout,
        schedule: str | None,
    ) -> None:
        self.bank = bank
        self.item = item
        self.score = score
        self.explained = explain(item, response, score, layout)
        self.schedule = schedule

    def compose(self) -> ComposeResult:
        yield Static(verdict_line(self.score), classes="fb-verdict", id="verdict")
        if self.schedule:
            yield Static(_capital(self.schedule), classes="fb-schedule", id="schedule")
        if not self.details_later:
            yield from self.details()

    def show(
        self,
        bank: Bank,
        item: Item,
        response: Response,
        score: Score,
        *,
        layout: Layout,
        schedule: str,
    ) -> None:
        """Another answer in this view (built with `details_later` and a schedule, details
        cleared): verdict and schedule change in place; `mount_details` adds the rest."""
        self._set(bank, item, response, score, layout, schedule)
        self.query_one("#verdict", Static).update(verdict_line(score))
        self.query_one("#schedule", Static).update(_capital(schedule))

    async def mount_details(self) -> None:
        """With `details_later`: the rest, once the verdict is on screen (its screen says when)."""
        if self.details_later and not self.details_mounted:
            self.details_mounted = True
            await self.mount_all(list(self.details()))

    def clear_details(self) -> AwaitRemove:
        """Remove what `mount_details` added (the view is hidden, ready for `show`)."""
        self.details_mounted = False
        head = {"verdict", "schedule"}
        return self.remove_children([w for w in self.children if w.id not in head])

    def details(self) -> Iterator[Widget]:
        """Everything below the verdict and schedule."""
        item, e = self.item, self.explained
        if isinstance(item, CaseItem):
            vignette = Static(lit(item.vignette), classes="fb-vignette")
            vignette.border_title = "Patient"
            yield vignette
            for n, (part, said) in enumerate(zip(item.parts, e.parts, strict=True)):
                yield PartFeedback(n, len(item.parts), part, said)
        else:
            if not isinstance(item, ClozeItem):  # a cloze shows its sentence filled in below
                yield _para(item.stem, "fb-stem")
            yield from answer_widgets(item, e)
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
