"""The plain line-mode session: print a question, read answer lines, save, print feedback.

For screen-reader users, dumb terminals and scripts. Output is plain text only
(never an ANSI code). An answer's feedback is printed only after it is saved,
so a learner (or a script) that has seen feedback can rely on it being on disk.
`q`, Ctrl-C or the end of input end the session cleanly.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

from immunoquiz.banks.model import (
    BowtieItem,
    CaseItem,
    ClozeItem,
    Item,
    MatchItem,
    MultipleItem,
    OrderItem,
    SingleItem,
    TrueFalseItem,
)
from immunoquiz.basics import plural
from immunoquiz.plain import parse, render
from immunoquiz.plain.display import BOWTIE_PREFIX, Display
from immunoquiz.plain.parse import AnswerError
from immunoquiz.plain.syntax import help_text
from immunoquiz.plain.syntax import hint as syntax_hint
from immunoquiz.plain.text import safe
from immunoquiz.present import incomplete, layout
from immunoquiz.records import dataclass, field
from immunoquiz.responses import (
    BowtieResponse,
    CaseResponse,
    ClozeResponse,
    MatchResponse,
    MultipleResponse,
    OrderResponse,
    Response,
    SingleResponse,
    TrueFalseResponse,
)
from immunoquiz.scheduling import describe_interval
from immunoquiz.scoring import validate_response
from immunoquiz.store import StoreError
from immunoquiz.study import Outcome, Session
from immunoquiz.study.session import Rerating


class _Quit(Exception):
    pass


class _Undo(Exception):
    pass


@dataclass
class Console:
    """Line in, lines out. `interactive` (a terminal on stdin) adds a '> ' prompt."""

    inp: TextIO
    out: TextIO
    interactive: bool = False

    def say(self, *lines: str) -> None:
        for line in lines:
            self.out.write(line + "\n")
        self.out.flush()

    def read(self) -> str | None:
        """One line without its newline; None at end of input."""
        if self.interactive:
            self.out.write("> ")
        self.out.flush()
        line = self.inp.readline()
        if not line:
            return None
        return line.rstrip("\r\n")


def tolerate_unencodable_text() -> None:
    """A dumb terminal with an ASCII locale must not crash on an accented letter."""
    for stream in (sys.stdout, sys.stdin):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


@dataclass
class PlainSession:
    session: Session
    console: Console
    rng: random.Random
    number: int = 0
    last: Outcome | None = None
    last_display: Display | None = None
    show_ids: bool = False
    # The order each card's options were last shown in: an undone answer is asked
    # again in the same order, so "2" still means the same option.
    displays: dict[str, Display] = field(default_factory=dict)
    shown_for: dict[int, Display] = field(default_factory=dict)  # by review id

    # --- reading, with the commands every prompt understands --------------------------

    def _line(self, item: Item, *, blank: bool = False) -> str:
        """The next answer line, after handling any command typed instead.

        In a fill-in blank single letters are answers (choice labels), so only
        `?`, `q` and the words undo/easy/help/quit are commands there.
        """
        while True:
            line = self.console.read()
            if line is None:
                raise _Quit
            command = line.strip().casefold()
            if blank and len(command) == 1 and command not in "?q":
                return line
            if command in ("q", "quit", "exit"):
                raise _Quit
            if command in ("?", "help"):
                self.console.say(help_text(), "")
                if hint := syntax_hint(item):
                    self.console.say(hint)
                continue
            if command in ("u", "undo"):
                raise _Undo
            if command in ("e", "easy"):
                self._rerate("easy")
                continue
            if command in ("h", "hard"):
                self._rerate("hard")
                continue
            if command in ("o", "override"):
                self._override()
                continue
            return line

    def _rerate(self, rating: Rerating) -> None:
        last = self.last
        if last is None or last.mode != "study" or not last.score.full:
            self.console.say(f"Only a fully correct answer in study mode can be marked {rating}.")
            return
        if last.rating is not None and last.rating.name.casefold() == rating:
            self.console.say(f"Your last answer is already marked {rating}.")
            return
        try:
            self.last = self.session.rerate(last, rating)
        except StoreError as exc:
            self.console.say(f"Could not save: {exc}")
            return
        self.console.say(f"Marked your last answer as {rating}; {self.last.interval_text}.")

    def _override(self) -> None:
        last = self.last
        if last is None or last.mode != "study" or not self.session.can_override(last):
            self.console.say(
                "Only a typed answer just marked wrong in study mode can be overridden."
            )
            return
        try:
            self.last = self.session.override(last)
        except StoreError as exc:
            self.console.say(f"Could not save: {exc}")
            return
        self.console.say(
            f"Counted your last answer as right (saved as your override); "
            f"{self.last.interval_text}."
        )

    def _ask(self, item: Item, reader: Callable[[], Response]) -> Response:
        """Ask until the answer parses and fits the item; explain each refusal."""
        while True:
            try:
                response = reader()
            except AnswerError as exc:
                self.console.say(f"Not understood: {exc} Type ? for help.")
                continue
            if reason := validate_response(item, response):
                self.console.say(f"Not accepted: {reason}. Type ? for help.")
                continue
            if hint := incomplete(item, response):  # no answer without a choice
                self.console.say(f"Not accepted: {hint} Type ? for help.")
                continue
            return response

    def collect(self, item: Item, display: Display) -> Response:
        """Read a whole answer for `item` (several lines for cloze, bow-tie and cases)."""

        def line() -> str:
            return self._line(item)

        if isinstance(item, SingleItem):
            return self._ask(item, lambda: SingleResponse(parse.parse_single(line(), display)))
        if isinstance(item, MultipleItem):
            return self._ask(item, lambda: MultipleResponse(parse.parse_multiple(line(), display)))
        if isinstance(item, TrueFalseItem):
            return self._ask(item, lambda: TrueFalseResponse(parse.parse_true_false(line())))
        if isinstance(item, OrderItem):
            return self._ask(item, lambda: OrderResponse(parse.parse_order(line(), display)))
        if isinstance(item, MatchItem):
            return self._ask(item, lambda: MatchResponse(parse.parse_match(line(), item, display)))
        if isinstance(item, ClozeItem):
            return self._cloze(item, display)
        if isinstance(item, BowtieItem):
            return self._ask(item, lambda: self._bowtie(item, display))
        if isinstance(item, CaseItem):
            return self._case(item, display)
        raise AnswerError(f"plain mode cannot ask a {item.type} item")

    def _case(self, item: CaseItem, display: Display) -> CaseResponse:
        """Part by part; `u` goes back one part and keeps the parts before it. On the
        first part, `u` undoes the previous question's answer, as everywhere else."""
        parts: list[Response] = []
        while len(parts) < len(item.parts):
            i = len(parts)
            self.console.say(*render.case_part(i, item, display))
            try:
                parts.append(self.collect(item.parts[i], display.parts[i]))
            except _Undo:
                if not parts:
                    raise
                parts.pop()
                self.console.say(f"Back to part {i} of {len(item.parts)}; your other answers stay.")
        return CaseResponse(tuple(parts))

    def _cloze(self, item: ClozeItem, display: Display) -> ClozeResponse:
        answers = []
        for i, blank in enumerate(item.blanks):
            shown = display.lists.get(f"choices{i}")
            if len(item.blanks) > 1:
                self.console.say(f"Blank {i + 1}:")
            while True:
                try:
                    answers.append(parse.parse_blank(self._line(item, blank=True), blank, shown))
                    break
                except AnswerError as exc:
                    self.console.say(f"Not understood: {exc}")
        return ClozeResponse(tuple(answers))

    def _bowtie(self, item: BowtieItem, display: Display) -> BowtieResponse:
        picks = parse.parse_bowtie_line(line := self._line(item), item, display)
        if picks is None:  # three lines: this one held the condition
            picks = {"conditions": parse.parse_bowtie_group(line, "conditions", display)}
            for name in ("actions", "parameters"):
                self.console.say(f"Now the {name} ({BOWTIE_PREFIX[name]}), pick 2:")
                while True:
                    try:
                        picks[name] = parse.parse_bowtie_group(self._line(item), name, display)
                        break
                    except AnswerError as exc:
                        self.console.say(f"Not understood: {exc}")
        return BowtieResponse(picks["conditions"], picks["actions"], picks["parameters"])

    # --- the session loop ---------------------------------------------------------------

    def run(self) -> bool:
        """Serve until nothing is left or the learner quits. True if they quit."""
        s = self.session
        while (card := s.next()) is not None:
            self.number += 1
            # a new layout per showing, except an undone answer asked again as it was
            display = self.displays.pop(card.card_id, None) or layout(
                card.item, self.rng.getrandbits(64)
            )
            self.console.say(
                "", *render.question(self.number, card.bank, card.item, display,
                                     show_ids=self.show_ids),
            )  # fmt: skip
            started = time.monotonic()
            try:
                response = self.collect(card.item, display)
            except _Quit:
                return True
            except _Undo:
                self._undo()
                continue
            try:
                outcome = s.answer(card, response, round(time.monotonic() - started, 3))
            except StoreError as exc:
                self.console.say(f"Could not save this answer: {exc}", "Ending the session.")
                return True
            self.last, self.last_display = outcome, display
            self.shown_for[outcome.review_id] = display
            self.console.say(*render.feedback(outcome, display))
            if outcome.mode == "study" and outcome.score.full:
                self.console.say("Right. Type h if you were unsure (hard), e if it was easy.")
            elif s.can_override(outcome):
                self.console.say("Type o (or override) if your typed answer was in fact right.")
        return False

    def _undo(self) -> None:
        history = self.session.history
        undone = history[-1] if history else None
        try:
            card = self.session.undo()
        except StoreError as exc:
            self.console.say(f"Could not undo: {exc}")
            return
        if card is None or undone is None:
            self.console.say("Nothing to undo in this session.")
            return
        if shown := self.shown_for.pop(undone.review_id, None):
            self.displays[card.card_id] = shown
        self.last = self.session.history[-1] if self.session.history else None
        self.console.say(
            f"Undid your answer to: {question_text(card.item)} It is asked again, "
            "its options in the same order."
        )
        if self.session.undo_notice:
            self.console.say(self.session.undo_notice)


def question_text(item: Item, limit: int = 120) -> str:
    """An item's question on one line, shortened at a word: what a learner recognises."""
    text = " ".join(safe(item.stem).split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def when_text(now: datetime, due: datetime) -> str:
    """'in 3 hours (2026-11-28 12:00)' in the learner's local time."""
    relative = describe_interval(now, due).removeprefix("next review ")
    return f"{relative} ({due.astimezone():%Y-%m-%d %H:%M})"


def summary_lines(session: Session) -> list[str]:
    s = session.summary()
    if not s.answered:
        return ["No answers this session."]
    minutes, seconds = divmod(round(s.elapsed_s), 60)
    share = f" ({round(100 * s.points / s.max)}%)" if s.max else ""
    lines = [
        f"Session summary: {s.answered} answered, {render.num(s.points)} of "
        f"{render.num(s.max)} points{share}, {minutes} min {seconds} s.",
    ]
    if s.by_topic:
        lines.append("By topic: " + "; ".join(
            f"{safe(t)} {v.answered} answered, {render.num(v.points)}/{render.num(v.max)}"
            for t, v in sorted(s.by_topic.items())
        ))  # fmt: skip
    if s.by_step:
        lines.append("By step: " + "; ".join(
            f"{safe(t)} {render.num(v.points)}/{render.num(v.max)}"
            for t, v in sorted(s.by_step.items())
        ))  # fmt: skip
    if s.to_revisit:
        lines.append("To revisit:")
        lines += [f"  {n}. {question_text(c.item)}" for n, c in enumerate(s.to_revisit, 1)]
    if s.in_learning:
        lines.append("Still learning (each comes back a few minutes after a miss):")
        lines += [f"  {n}. {question_text(c.item)}" for n, c in enumerate(s.in_learning, 1)]
    lines.append("Every answer is saved.")
    return lines


def run_plain(
    session: Session,
    console: Console,
    *,
    practice_factory: Callable[[], Session] | None = None,
    seed: int | None = None,
    show_ids: bool = False,
) -> int:
    """Run a whole plain session (and an offered practice round). Returns the exit code."""
    rng = random.Random(seed)
    if not session.catalog:
        console.say("No questions match your choice of banks and filters: nothing to ask.")
        return 0
    counts = session.counts()
    if session.mode == "study":
        intro = f"Study session: {counts.due} due now, {counts.new} new available today."
    else:
        intro = f"Practice session: {counts.new} items; your schedule is not changed."
    console.say(intro + " Type ? for help, q to quit.")
    plain = PlainSession(session, console, rng, show_ids=show_ids)
    try:
        quit_ = plain.run()
    except KeyboardInterrupt:
        quit_ = True
    console.say("", *summary_lines(session))
    if quit_ or session.mode != "study":
        if session.mode == "practice" and not quit_:
            console.say("You have practised every matching item.")
        return 0
    due = session.next_due()
    now = session.now()
    if due is None:
        console.say("Nothing is due now, and no new items are left.")
    else:
        console.say(f"Nothing is due now. The next card is due {when_text(now, due)}.")
    if practice_factory is None:
        return 0
    console.say(f"Practise these {plural(len(session.catalog), 'question')} anyway? Type y to "
                "start a practice round (your schedule is not changed), anything else to "
                "finish.")  # fmt: skip
    reply = console.read()
    if reply is None or reply.strip().casefold() not in ("y", "yes"):
        return 0
    return run_plain(practice_factory(), console, seed=seed, show_ids=show_ids)
