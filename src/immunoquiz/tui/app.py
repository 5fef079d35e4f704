"""The study TUI: `immunoquiz` with no arguments opens it.

`ImmunoquizApp` owns the backend (store + banks on one worker thread), the
current profile and the themes; screens do the rest, reaching the app only
through `host.Trainer` and `messages`. `commands/study.py` turns the command
line into the app's arguments and runs it.

Only the home and question screens are imported up front; the others when first
opened, so they cost nothing before the first question is on screen.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from immunoquiz.banks.model import Bank
from immunoquiz.store import Profile, StoreError
from immunoquiz.study import Filters, utc_now
from immunoquiz.study import settings as cfg
from immunoquiz.study.clock import Clock
from immunoquiz.tui.backend import Backend
from immunoquiz.tui.crash import OneLineCrash
from immunoquiz.tui.messages import SettingsSaved, StartSession
from immunoquiz.tui.screens.home import HomeScreen
from immunoquiz.tui.screens.question import QuestionScreen
from immunoquiz.tui.text import human, narrowing_label
from immunoquiz.tui.themes import (
    DEFAULT_THEME,
    HIGH_CONTRAST,
    HIGH_CONTRAST_THEME,
    setting_for,
    theme_for,
    toggled,
)

if TYPE_CHECKING:
    from immunoquiz.study import Mode


class ImmunoquizApp(OneLineCrash, App[int]):
    """The trainer. Construct with `banks=` to skip the loader (tests, benchmarks)."""

    # Absolute, so subclasses defined elsewhere (tests, benchmarks) find it too.
    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "immunoquiz"

    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark,f1", "help", "Help", key_display="?"),
        Binding("ctrl+t", "toggle_contrast", "Contrast", show=False),
    ]

    def __init__(
        self,
        *,
        data_dir: Path,
        banks: Sequence[Bank] | None = None,
        extra_banks: Sequence[str] | None = None,
        profile_name: str | None = None,
        start: Mode | None = None,
        filters: Filters | None = None,
        new_limit: int | None = None,
        clock: Clock = utc_now,
        seed: int | None = None,
        backend: Backend | None = None,
    ) -> None:
        """`backend`: one already opening (`tui.opening.begin`, as `immunoquiz study`
        starts it before importing Textual); without it the app makes its own."""
        super().__init__()
        self.backend = backend if backend is not None else Backend(data_dir, clock)
        self.given_banks = banks
        self.extra_banks = extra_banks
        self.profile_name = profile_name
        self.start = start
        self.start_filters = filters or Filters()
        self.new_limit = new_limit
        self.seed = seed
        self.profile: Profile | None = None
        self.error: str | None = None  # printed by run_app once the terminal is back
        self.ready = False

    # -- start-up ----------------------------------------------------------------

    @property
    def straight_to_session(self) -> bool:
        """The command line says what to study: the first screen is a question, not home."""
        return self.start in ("study", "practice") and not self.start_filters.empty

    async def run_async(self, *args: Any, **kwargs: Any) -> int | None:
        # Every object made so far (modules, classes, functions: Textual's and ours) lives
        # as long as the process; frozen, the collector stops walking them again and
        # again (one full pass over them took ~60 ms during start-up, and again at exit).
        gc.freeze()
        # The store opens and the banks load on the worker while Textual starts up.
        self.backend.begin_open(self.extra_banks, self.given_banks)
        return await super().run_async(*args, **kwargs)

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST_THEME)
        self.theme = DEFAULT_THEME
        self.push_screen(HomeScreen(build_when_shown=self.straight_to_session))
        self.run_worker(self._start(), name="start", exclusive=True)

    def _show_store_problems(self) -> None:
        new = self.backend.new_store_problems()
        for line in new[:3]:
            self.notify(
                line, title="Progress file: skipped (see immunoquiz doctor)",
                severity="warning", markup=False, timeout=10,
            )  # fmt: skip
        if len(new) > 3:
            self.notify(
                f"…and {len(new) - 3} more: run `immunoquiz doctor`",
                severity="warning", markup=False,
            )  # fmt: skip

    async def _start(self) -> None:
        try:
            await self.backend.open(self.extra_banks, self.given_banks)
        except StoreError as exc:
            self.error = f"immunoquiz: {exc}"
            self.exit(1, return_code=1)
            return
        for line in self.backend.problems[:5]:
            self.notify(line, title="Bank problem", severity="warning", markup=False, timeout=8)
        if len(self.backend.problems) > 5:
            more = len(self.backend.problems) - 5
            self.notify(f"…and {more} more: run `immunoquiz validate`", severity="warning")
        # Unreadable rows turn up as screens read the store: say each once.
        self.set_interval(1.0, self._show_store_problems)
        profile = await self._initial_profile()
        self.ready = True
        if profile is None:
            from immunoquiz.tui.screens.profile import ProfileScreen

            known = await self.backend.profiles()
            if isinstance(self.screen, HomeScreen):
                await self.screen.waiting_for_profile()
            self.push_screen(ProfileScreen(known, first_run=not known), self._first_profile)
            return
        await self._begin(profile)

    async def _first_profile(self, profile: Profile | None) -> None:
        if profile is None:
            self.exit(0)
            return
        await self._begin(profile)

    async def _begin(self, profile: Profile) -> None:
        await self.use_profile(profile, touch=False)
        # `immunoquiz practice` with no filters asks what to practise; plain `immunoquiz`
        # or `immunoquiz study` opens the home screen unless filters say what to study.
        if self.start == "practice" and self.start_filters.empty:
            await self.action_practise()
        elif self.straight_to_session and self.start is not None:
            label = filters_label(self.start_filters, self.backend.banks)
            await self.start_session(StartSession(self.start, self.start_filters, label=label))
        elif isinstance(self.screen, HomeScreen):
            await self.screen.reload()
        # "Last used" (which profile opens next time) is written after the first
        # screen's own store calls, so its commit does not hold them up.
        await self.backend.touch_profile(profile)

    async def _initial_profile(self) -> Profile | None:
        if self.profile_name:
            found = await self.backend.get_profile(self.profile_name)
            if found is not None:
                return found
            try:
                return await self.backend.create_profile(self.profile_name)
            except ValueError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return None
        known = await self.backend.profiles()
        if len(known) == 1:
            return known[0]
        if known:
            return await self.backend.last_used_profile()
        return None

    async def use_profile(self, profile: Profile, *, touch: bool = True) -> None:
        self.profile = profile
        if touch:
            await self.backend.touch_profile(profile)
        values = await self.backend.study_settings(profile)
        self.apply_theme(values[cfg.THEME.name])
        for screen in self.screen_stack:
            refresh = getattr(screen, "on_profile_changed", None)
            if refresh is not None:
                refresh()

    # -- sessions ----------------------------------------------------------------

    async def on_start_session(self, request: StartSession) -> None:
        await self.start_session(request)

    async def start_session(self, request: StartSession) -> None:
        """Open the session asked for over the current screens."""
        if self.profile is None:
            return
        session = await self.backend.open_session(
            self.profile, request.mode, request.filters, banks=request.banks,
            new_limit=self.new_limit, seed=self.seed,
        )  # fmt: skip
        # the first card is read before the screen goes up, so it is drawn once, whole
        first = await self.backend.next_with_counts(session)
        await self.push_screen(QuestionScreen(session, label=request.label, first=first))

    # -- actions -----------------------------------------------------------------

    def _home(self) -> HomeScreen | None:
        return next((s for s in self.screen_stack if isinstance(s, HomeScreen)), None)

    async def _back_home(self) -> None:
        home = self._home()
        while home is not None and self.screen is not home and len(self.screen_stack) > 2:
            await self.pop_screen()

    async def action_study(self) -> None:
        if self.ready:
            await self._back_home()
            await self.start_session(StartSession("study", Filters(), label="All banks"))

    async def action_practise(self) -> None:
        if not self.ready:
            return

        from immunoquiz.tui.screens.practice import PracticeScreen

        async def chosen(choice: tuple[Filters, str] | None) -> None:
            if choice is not None:
                await self.start_session(StartSession("practice", choice[0], label=choice[1]))

        if self.profile is None:
            return
        marked, suspended = await self.backend.picker_marks(self.profile)
        screen = PracticeScreen(self.backend.banks, marked, suspended=suspended)
        await self.push_screen(screen, chosen)

    async def action_browse(self) -> None:
        from immunoquiz.tui.screens.browse import BrowseScreen

        if self.ready and self.profile is not None and not isinstance(self.screen, BrowseScreen):
            await self._back_home()
            await self.push_screen(BrowseScreen())

    async def action_stats(self) -> None:
        if self.ready and self.profile is not None:
            from immunoquiz.tui.screens.stats import StatsScreen

            await self.push_screen(StatsScreen())

    async def action_profile(self) -> None:
        if not self.ready:
            return
        known = await self.backend.profiles()
        from immunoquiz.tui.screens.profile import ProfileScreen

        async def chosen(profile: Profile | None) -> None:
            if profile is not None:
                await self.use_profile(profile)
                home = self._home()
                if home is not None:
                    await home.reload()

        await self.push_screen(ProfileScreen(known, current=self.profile), chosen)

    def action_help(self) -> None:
        from immunoquiz.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def apply_theme(self, name: str) -> None:
        """A theme setting's value ("dark", "light", "high-contrast") on screen."""
        theme = theme_for(name)
        if theme != self.theme:
            self.theme = theme

    def on_settings_saved(self, message: SettingsSaved) -> None:
        self.apply_theme(message.values[cfg.THEME.name])

    async def action_toggle_contrast(self) -> None:
        self.theme = toggled(self.theme)
        self.notify(
            "High-contrast theme on" if self.theme == HIGH_CONTRAST else "Default theme on",
            timeout=2,
        )
        if self.profile is not None:
            await self.backend.save_setting(self.profile, cfg.THEME, setting_for(self.theme))

    async def action_settings(self) -> None:
        if self.ready and self.profile is not None:
            values = await self.backend.study_settings(self.profile)
            from immunoquiz.tui.screens.settings import SettingsScreen

            await self.push_screen(SettingsScreen(values))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield SystemCommand("Study", "Study what is due, then new items (s)", self.action_study)
        yield SystemCommand(
            "Practise", "Cram a topic, tag, level or clinical-judgment step (p)",
            self.action_practise,
        )  # fmt: skip
        yield SystemCommand(
            "Browse", "Search questions; suspend, practise or flag one (b)", self.action_browse
        )
        yield SystemCommand("Statistics", "Mastery, reviews, due forecast (t)", self.action_stats)
        yield SystemCommand(
            "Settings", "New items and reviews a day, retention, learn-ahead, theme (,)",
            self.action_settings,
        )  # fmt: skip
        yield SystemCommand("Profile", "Switch trainee or create one (c)", self.action_profile)
        yield SystemCommand("Help", "Every key of every screen (?)", self.action_help)
        yield SystemCommand(
            "High-contrast theme", "Toggle the high-contrast colours (ctrl+t)",
            self.action_toggle_contrast,
        )  # fmt: skip
        yield SystemCommand(
            "Quit", "Leave immunoquiz; your progress is saved (q)", self.action_quit
        )
        # Textual's own entries (screenshot, key panel, theme picker by Textual name)
        # are developer tools, left out on purpose.

    # -- shutting down -------------------------------------------------------------

    async def action_quit(self) -> None:
        self.exit(0)

    def on_unmount(self) -> None:
        self.backend.close()


def filters_label(filters: Filters, banks: Sequence[Bank]) -> str:
    """'TNBC · Take action' for a session title (bank ids shown as their titles)."""
    titles = {bank.id: bank.title for bank in banks}
    parts = [titles.get(b, b) for b in sorted(filters.banks)]
    for values in (filters.topics, filters.steps, filters.levels):
        parts += [human(v) for v in sorted(values)]
    parts += [f"#{t}" for t in sorted(filters.tags)]
    return " · ".join([*parts, *narrowing_label(filters)]) or "All banks"
