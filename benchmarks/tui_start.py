"""How fast the study TUI starts and answers, against Textual baselines from the same run.

    .venv/bin/python benchmarks/tui_start.py [--runs 5]

Prints medians of several runs:

- start: wall time from spawning `python` to the first question being on screen
  (headless, bundled banks, a fresh data dir, `immunoquiz study --bank ...` style
  start), against spawning `python` that imports `textual.app` and runs an empty
  App until its first screen is up. Both processes exit as soon as they got there.
  Shown with a cold bank cache (first start after install or a bank edit) and warm.
  Both processes read compiled .pyc files, as after `pip install` (`--as-is` keeps
  this environment's bytecode settings instead, e.g. PYTHONDONTWRITEBYTECODE=1).
- answer -> feedback: from the learner's Enter to the feedback screen's verdict
  being on screen (scored, scheduled, committed to SQLite, screen up), against
  pushing a one-line screen on an empty app the same way; then to the whole
  feedback (answer against the key, explanation, sources) being laid out; and from
  Enter on the feedback to the next question being drawn. "On screen" is the first
  frame drawn after the key with the widget laid out in it.

Ratios near 1 mean immunoquiz adds little to what Textual itself costs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

EMPTY_APP = """
from textual.app import App
from textual.widgets import Static

class Empty(App):
    def compose(self):
        yield Static("ready")
    def on_mount(self):
        self.call_after_refresh(self.exit)

Empty().run(headless=True)
"""

FIRST_QUESTION = """
import sys
from pathlib import Path
from immunoquiz.study import Filters, utc_now
from immunoquiz.tui.opening import begin
# as `immunoquiz study` does (commands/study.py): the store and banks open while
# Textual is imported
backend = begin(Path(sys.argv[1]), None, utc_now)
from immunoquiz.tui.app import ImmunoquizApp
from immunoquiz.tui.screens.question import QuestionScreen

class Timed(ImmunoquizApp):
    def on_mount(self):  # runs after ImmunoquizApp.on_mount (Textual calls both)
        self.set_interval(0.002, self._check)

    def _check(self):
        # The question's own widget laid out, then one more frame drawn: as the empty app
        # exits after the frame that draws its Static (a card alone is not on screen yet).
        screen = self.screen
        if isinstance(screen, QuestionScreen) and screen.card is not None and any(
            w.region.height > 0 for w in screen.query("#answer")
        ):
            self.call_after_refresh(self.exit)

app = Timed(data_dir=Path(sys.argv[1]), profile_name="bench", start="study",
            filters=Filters(topics=frozenset({"checkpoints"})), backend=backend)
app.run(headless=True)
assert app.return_code in (0, None), app.error
"""


# CPU seconds (user + system) of each spawned run, beside its wall time: on a shared,
# loaded machine the wall ratio is mostly the neighbours; the CPU ratio is ours.
CPU: dict[str, list[float]] = {}


def spawn(code: str, *args: str, env: dict[str, str], label: str = "") -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], check=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    CPU.setdefault(label, []).append(used)
    return wall


def start_times(runs: int, as_is: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, IMMUNOQUIZ_CACHE=str(Path(tmp) / "cache"))
        env.pop("IMMUNOQUIZ_NOW", None)
        if as_is:
            print("bytecode: as this environment runs it (PYTHONDONTWRITEBYTECODE etc. kept)")
        else:
            # As installed: pip compiles every module, so every start reads .pyc files,
            # Textual's and ours alike. One start of each compiles them into `tmp`.
            print("bytecode: as installed (.pyc of every module, written by a first start)")
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
            spawn(EMPTY_APP, env=env)
            first = dict(env, IMMUNOQUIZ_CACHE=str(Path(tmp) / "compile-cache"))
            spawn(FIRST_QUESTION, str(Path(tmp) / "compile"), env=first)
        spawn(FIRST_QUESTION, str(Path(tmp) / "w"), env=env)  # fills the cache
        # Interleaved rounds (empty, cold, warm, ...): a machine that drifts during the run
        # (another process, CPU frequency) moves the baseline and ours alike.
        baseline: list[float] = []
        cold: list[float] = []
        warm: list[float] = []
        for n in range(runs):
            baseline.append(spawn(EMPTY_APP, env=env, label="empty"))
            cold.append(
                spawn(
                    FIRST_QUESTION,
                    str(Path(tmp) / f"c{n}"),
                    env=dict(env, IMMUNOQUIZ_CACHE=str(Path(tmp) / f"cold{n}")),
                    label="cold bank cache",
                )
            )
            warm.append(
                spawn(FIRST_QUESTION, str(Path(tmp) / f"w{n}"), env=env, label="warm bank cache")
            )
    b = statistics.median(baseline)
    print(f"empty Textual app, spawn -> first screen   {b * 1000:7.0f} ms")
    for label, values in (("cold bank cache", cold), ("warm bank cache", warm)):
        m = statistics.median(values)
        print(f"immunoquiz first question ({label})  {m * 1000:7.0f} ms   ratio {m / b:4.2f}")
    c = statistics.median(CPU["empty"])
    print(f"cpu (user+sys) empty Textual app          {c * 1000:7.0f} ms")
    for label in ("cold bank cache", "warm bank cache"):
        m = statistics.median(CPU[label])
        print(f"cpu (user+sys) first question ({label}) {m * 1000:5.0f} ms   ratio {m / c:4.2f}")


async def feedback_latency(runs: int) -> None:
    from textual import events
    from textual.app import App
    from textual.screen import Screen
    from textual.widgets import Static

    sys.path.insert(0, str(ROOT / "tests" / "tui"))
    from sample_banks import SINGLE, SOURCES  # noqa: PLC0415

    from immunoquiz.banks.model import Bank
    from immunoquiz.study import Filters
    from immunoquiz.tui.app import ImmunoquizApp
    from immunoquiz.tui.messages import StartSession
    from immunoquiz.tui.screens.feedback import FeedbackScreen
    from immunoquiz.tui.screens.question import QuestionScreen

    async def until(predicate, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
        end = time.perf_counter() + timeout
        while not predicate():
            if time.perf_counter() > end:
                raise TimeoutError(repr(predicate))
            await asyncio.sleep(0.0005)

    def laid_out(screen, selector: str) -> bool:  # type: ignore[no-untyped-def]
        return any(w.region.height > 0 for w in screen.query(selector))

    class Frames:
        """When each frame was drawn, and what was on it: a widget's region alone can be
        the last showing's (a screen kept mounted keeps its layout until it is drawn
        again), so "on screen" means a frame drawn after the key, with it laid out."""

        def __init__(self, app: App, **checks) -> None:  # type: ignore[no-untyped-def,type-arg]
            self.checks = checks
            self.seen: dict[str, tuple[float, float]] = {}
            draw = app._display

            def display(screen, update):  # type: ignore[no-untyped-def]
                draw(screen, update)
                if update is None or screen is not app.screen:
                    return
                now = (time.perf_counter(), time.process_time())
                for name, check in self.checks.items():
                    if name not in self.seen and check(screen):
                        self.seen[name] = now

            app._display = display  # type: ignore[method-assign]

        def reset(self) -> tuple[float, float]:
            self.seen.clear()
            return time.perf_counter(), time.process_time()

        async def wait(self, name: str) -> tuple[float, float]:
            await until(lambda: name in self.seen)
            return self.seen[name]

    class Plain(Screen):
        def compose(self):  # type: ignore[no-untyped-def]
            yield Static("next", id="there")

    class Empty(App):
        def compose(self):  # type: ignore[no-untyped-def]
            yield Static("ready")

    baseline, baseline_cpu = [], []
    app = Empty()
    async with app.run_test(headless=True) as pilot:
        frames = Frames(app, up=lambda s: isinstance(s, Plain) and laid_out(s, "#there"))
        for _ in range(runs):
            start, cpu = frames.reset()
            app.call_later(app.push_screen, Plain())
            wall_at, cpu_at = await frames.wait("up")
            baseline.append(wall_at - start)
            baseline_cpu.append(cpu_at - cpu)
            app.pop_screen()
            await pilot.pause()

    bank = Bank(
        id="bench",
        title="Bench",
        topic="checkpoints",
        questions=tuple(type(SINGLE)(**{**SINGLE.__dict__, "id": f"q{n}"}) for n in range(runs)),
        sources=SOURCES,
    )
    measured, complete, measured_cpu, onward, onward_cpu = [], [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        ours = ImmunoquizApp(data_dir=Path(tmp), banks=[bank], profile_name="bench", seed=1)
        async with ours.run_test(headless=True, size=(80, 24)) as pilot:
            asked: list[object] = []  # the question widgets answered

            def next_question(screen) -> bool:  # type: ignore[no-untyped-def]
                # the screen's own widget for the next question, in the frame (not the
                # last one's, still mounted while the next card is read)
                widget = screen.widget if isinstance(screen, QuestionScreen) else None
                return widget is not None and widget not in asked and widget.region.height > 0

            frames = Frames(
                ours,
                verdict=lambda s: isinstance(s, FeedbackScreen) and laid_out(s, "#verdict"),
                whole=lambda s: isinstance(s, FeedbackScreen) and laid_out(s, ".fb-explain"),
                question=next_question,
            )
            await until(lambda: ours.ready)
            await ours.start_session(StartSession("study", Filters()))
            for n in range(runs):
                await until(lambda: isinstance(ours.screen, QuestionScreen) and ours.screen.card)
                await pilot.pause()  # the question's widgets mount and take focus
                asked.append(ours.screen.widget)  # type: ignore[attr-defined]
                await pilot.press("1")
                await pilot.pause()
                start, cpu = frames.reset()
                # The key goes in as a terminal would send it; no waiting for idle.
                ours._driver.send_message(events.Key("enter", "\r"))
                wall_at, cpu_at = await frames.wait("verdict")
                measured.append(wall_at - start)
                measured_cpu.append(cpu_at - cpu)
                # the rest (answer against the key, explanation, sources) follows
                wall_at, _ = await frames.wait("whole")
                complete.append(wall_at - start)
                await pilot.pause()
                start, cpu = frames.reset()
                ours._driver.send_message(events.Key("enter", "\r"))
                if n + 1 < runs:  # Enter on the feedback: the next question, drawn
                    wall_at, cpu_at = await frames.wait("question")
                    onward.append(wall_at - start)
                    onward_cpu.append(cpu_at - cpu)
    b, m = statistics.median(baseline), statistics.median(measured)
    print(f"empty app, push a one-line screen         {b * 1000:7.1f} ms")
    print(f"immunoquiz answer -> feedback on screen    {m * 1000:7.1f} ms   ratio {m / b:4.2f}")
    b, m = statistics.median(baseline_cpu), statistics.median(measured_cpu)
    print(f"cpu (process) push a one-line screen       {b * 1000:7.1f} ms")
    print(f"cpu (process) answer -> feedback on screen {m * 1000:7.1f} ms   ratio {m / b:4.2f}")
    b = statistics.median(baseline)
    c = statistics.median(complete)
    print(f"immunoquiz answer -> whole feedback laid out {c * 1000:5.1f} ms   ratio {c / b:4.2f}")
    m, c = statistics.median(onward), statistics.median(onward_cpu)
    print(f"immunoquiz feedback -> next question drawn {m * 1000:7.1f} ms   ratio {m / b:4.2f}")
    b = statistics.median(baseline_cpu)
    print(f"cpu (process) feedback -> next question    {c * 1000:7.1f} ms   ratio {c / b:4.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--as-is",
        action="store_true",
        help="start with this environment's bytecode settings (e.g. PYTHONDONTWRITEBYTECODE=1 "
        "in a checkout: immunoquiz compiled at every start) instead of as installed",
    )
    parser.add_argument(
        "--only", choices=("start", "feedback"), help="measure one of the two (default: both)"
    )
    args = parser.parse_args()
    if args.only != "feedback":
        start_times(args.runs, args.as_is)
    if args.only != "start":
        asyncio.run(feedback_latency(args.runs))


if __name__ == "__main__":
    main()
