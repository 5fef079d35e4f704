"""`immunoquiz class --plain`: the educator's dashboard as one line per event.

For a screen reader or a headless server: plain text only, never an escape code.
Commands are read from standard input, one per line; when input ends (a service or
background start) the class keeps running. `help` lists the commands.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Callable
from typing import TextIO

from immunoquiz.educator.classroom import ClassError, Classroom, Event
from immunoquiz.plain.text import safe

COMMANDS = """\
Commands (one per line):
  status                 the roster: each learner's id, name, state, answers, flags
  items                  live facility per question
  extend all MINUTES     more time for everyone (also those not started yet)
  extend ID MINUTES      more time for one learner
  approve REQUEST resume let a rejoin in to continue their attempt (old pass stops working)
  approve REQUEST new    let a rejoin in with a new attempt
  remove ID              end one learner's attempt (their answers are kept)
  timeup                 let the attempts paused by a server stop finish as time up
  end                    end the check now: every attempt is submitted
  quit                   stop serving; the class stays open: continue it with --resume
  help                   this list"""


class PlainDashboard:
    def __init__(
        self,
        room: Classroom,
        out: TextIO,
        report: Callable[[], str],
    ) -> None:
        self.room = room
        self.out = out
        self.report = report
        self.stop = asyncio.Event()

    def say(self, text: str) -> None:
        self.out.write(safe(text) + "\n")
        self.out.flush()

    def on_event(self, event: Event) -> None:
        stamp = event.at.strftime("%H:%M:%S")
        who = f" [{event.learner_id}]" if event.learner_id else ""
        self.say(f"{stamp}{who} {event.text}")
        if event.kind == "rejoin":
            for request in self.room.pending_rejoins():
                if request.learner_id == event.learner_id:
                    self.say(
                        f"  to let them in: approve {request.id} resume  (or: approve "
                        f"{request.id} new)"
                    )

    def intro(self, urls: list[str]) -> None:
        room = self.room
        self.say(f"Class check: {room.spec.title}")
        for url in urls:
            self.say(f"Join at: {url}")
        self.say(f"Class code: {room.code}")
        if room.spec.feedback == "immediate":
            self.say(
                "Warning: this session shows feedback after each question, so the answers "
                "can be seen by the room before everyone has submitted."
            )
        minutes = room.last_downtime_minutes()
        if minutes:
            self.say(
                f"The server was down for about {minutes} min. To give that time back: "
                f"extend all {minutes}"
            )
        if room.held:
            self.say(
                f"Paused: {room.held_text()}. Type: extend all {max(minutes, 1)}  "
                "(the paused continue), or: timeup"
            )
        self.say("Type help for the commands.")

    def status(self) -> None:
        room = self.room
        if not room.learners:
            self.say("No one has joined yet.")
        for learner in room.learners.values():
            attempt = learner.attempt
            answered = len(attempt.answers) if attempt else 0
            flagged = len(attempt.flagged) if attempt else 0
            self.say(
                f"{learner.id}  {learner.name}  {room.status_of(learner)}  "
                f"answered {answered}/{len(room.questions)}  flagged {flagged}"
            )
        for request in room.pending_rejoins():
            self.say(f"waiting: {request.name} (request {request.id})")

    def items(self) -> None:
        for n, value in enumerate(self.room.facility(), start=1):
            shown = "no answers yet" if value is None else f"facility {round(100 * value)}%"
            self.say(f"question {n}: {shown}")

    async def command(self, line: str) -> None:
        words = line.split()
        if not words:
            return
        room = self.room
        verb, args = words[0].lower(), words[1:]
        try:
            if verb == "help":
                self.say(COMMANDS)
            elif verb == "status":
                self.status()
            elif verb == "items":
                self.items()
            elif verb == "extend" and len(args) == 2:
                minutes = float(args[1])
                who = None if args[0].lower() == "all" else args[0]
                count = await asyncio.to_thread(room.extend, who, minutes)
                self.say(f"extended {count} attempt(s) by {minutes:g} min")
            elif verb == "approve" and len(args) == 2:
                await asyncio.to_thread(room.approve, args[0], args[1].lower())
            elif verb == "remove" and len(args) == 1:
                await asyncio.to_thread(room.remove, args[0])
            elif verb == "timeup":
                count = await asyncio.to_thread(room.finish_held)
                self.say(f"{count} paused attempt(s) finished as time up")
            elif verb == "end":
                await asyncio.to_thread(room.end_now)
                self.say(self.report())
            elif verb == "quit":
                self.stop.set()
            else:
                self.say(f"unknown command: {line.strip()} (type help)")
        except ValueError:
            self.say(f"not a number of minutes: {line.strip()}")
        except ClassError as exc:
            self.say(f"cannot do that: {exc}")

    async def read_commands(self, source: TextIO | None = None) -> None:
        """Commands from standard input until it ends; then the class simply goes on.

        A daemon thread reads the lines, so a process stopped by a signal never waits
        for a line that will not come.
        """
        source = source or sys.stdin
        loop = asyncio.get_running_loop()
        lines: asyncio.Queue[str] = asyncio.Queue()

        def pump() -> None:
            for line in iter(source.readline, ""):
                loop.call_soon_threadsafe(lines.put_nowait, line)
            loop.call_soon_threadsafe(lines.put_nowait, "")

        threading.Thread(target=pump, name="dashboard-input", daemon=True).start()
        while not self.stop.is_set():
            line = await lines.get()
            if not line:
                # End of input: keep serving until a signal stops the process. No one is
                # left to decide about paused attempts: they finish as time up.
                if self.room.held:
                    count = await asyncio.to_thread(self.room.finish_held)
                    self.say(f"no commands can come: {count} paused attempt(s) finished as time up")
                return
            await self.command(line)
