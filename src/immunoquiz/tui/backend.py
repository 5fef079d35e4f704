"""The TUI's one door to the engine: every store and bank call runs off the UI thread.

SQLite connections belong to the thread that opened them, so the store is
opened, used and closed on ONE worker thread (a single-thread executor) and
the screens `await` each call. The UI never blocks on disk: a slow disk shows
as a short wait on the screen, not a frozen terminal.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from immunoquiz.banks.model import Bank, Item
from immunoquiz.basics import utc_now
from immunoquiz.records import dataclass, field
from immunoquiz.store import Store
from immunoquiz.study import settings as cfg
from immunoquiz.study.clock import Clock
from immunoquiz.study.session import open_session

if TYPE_CHECKING:
    from immunoquiz.responses import Response
    from immunoquiz.store import Profile, ReviewRow
    from immunoquiz.study import (
        Card,
        Filters,
        HomeSummary,
        Mode,
        Outcome,
        QueueCounts,
        Rerating,
        Session,
        Stats,
        Summary,
    )
    from immunoquiz.study import browse as browsing

P = ParamSpec("P")
T = TypeVar("T")

LAST_USED = "tui.last_used"  # per-profile setting: when the TUI last opened it


@dataclass
class LoadedBanks:
    banks: list[Bank] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one printable line each


def load_banks(extra: Sequence[str] | None) -> LoadedBanks:
    """Bundled banks plus `--banks` paths, via the loader; problems as printable lines.

    Tolerates the loader answering with a list, a (banks, problems) pair or an
    object with `.banks` / `.problems`, and a loader raising BankError.
    """
    from immunoquiz import banks as bank_package

    loader = getattr(bank_package, "bundled_and_extra", None)
    if loader is None:
        return LoadedBanks([], ["immunoquiz: the bank loader is not available in this build"])
    try:
        result: Any = loader(list(extra or []))
    except Exception as exc:  # BankError and friends: one line per problem, never a traceback
        problems = getattr(exc, "problems", None)
        if problems:
            return LoadedBanks([], [str(p) for p in problems])
        return LoadedBanks([], [f"immunoquiz: cannot load banks: {exc}"])
    if isinstance(result, tuple) and len(result) == 2:
        found, problems = result
    elif hasattr(result, "banks"):
        found, problems = result.banks, getattr(result, "problems", [])
    else:
        found, problems = result, []
    return LoadedBanks(list(found), [str(p) for p in problems or []])


def subset_bank(bank: Bank, items: Iterable[Item]) -> Bank:
    """The same bank holding only `items` (card ids unchanged): to revisit a session's misses."""
    keep = {item.id for item in items}
    return dataclasses.replace(bank, questions=tuple(q for q in bank.questions if q.id in keep))


class Backend:
    """Store, banks and sessions behind one worker thread; every method is awaitable."""

    def __init__(self, data_dir: Path, clock: Clock = utc_now) -> None:
        self.data_dir = Path(data_dir)
        self.clock = clock
        self.store: Store | None = None
        self.banks: list[Bank] = []
        self.problems: list[str] = []
        self._store_problems_shown = 0
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="immunoquiz-store")
        self._opening: Future[None] | None = None

    # -- plumbing ------------------------------------------------------------------

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, lambda: fn(*args, **kwargs))

    def run_sync(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Same thread, but waited for (before the app starts or after it stops)."""
        return self._pool.submit(fn, *args, **kwargs).result()

    def now(self) -> datetime:
        return self.clock().astimezone(UTC)

    # -- opening and closing -------------------------------------------------------

    def _open(
        self,
        extra: Sequence[str] | None,
        given: Sequence[Bank] | None,
        prefilled: Callable[[], None] | None = None,
    ) -> None:
        self.store = Store.open(self.data_dir)
        if given is not None:
            self.banks = list(given)
        else:
            if prefilled is not None:
                prefilled()  # the banks the cache lacked are in it now (if they parse)
            loaded = load_banks(extra)
            self.banks, self.problems = loaded.banks, loaded.problems

    def begin_open(self, extra: Sequence[str] | None, given: Sequence[Bank] | None) -> None:
        """Start opening the store and loading banks on the worker (once), so it goes on
        while the caller does other things; `open` waits for it."""
        if self._opening is None:
            prefilled = None
            if given is None:
                # Before the worker thread exists: a cold cache is filled by a forked
                # child on another core, not on a thread that takes turns with the UI.
                from immunoquiz.banks import prefill

                prefilled = prefill.start(extra)
            self._opening = self._pool.submit(self._open, extra, given, prefilled)

    async def open(self, extra: Sequence[str] | None, given: Sequence[Bank] | None) -> None:
        """Open the store and load banks; StoreError if the progress file is unusable."""
        self.begin_open(extra, given)
        assert self._opening is not None
        await asyncio.wrap_future(self._opening)

    def _close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    def close(self) -> None:
        try:
            self.run_sync(self._close)
        finally:
            self._pool.shutdown(wait=True)

    def new_store_problems(self) -> list[str]:
        """Rows of the progress file that could not be read and were skipped, each
        returned once (the store notes them while the worker reads)."""
        if self.store is None:
            return []
        new = self.store.problems[self._store_problems_shown :]
        self._store_problems_shown += len(new)
        return list(new)

    def _need_store(self) -> Store:
        if self.store is None:
            raise RuntimeError("the store is not open")
        return self.store

    # -- profiles ------------------------------------------------------------------

    async def profiles(self) -> list[Profile]:
        return await self.run(lambda: self._need_store().profiles())

    async def get_profile(self, name: str) -> Profile | None:
        return await self.run(lambda: self._need_store().get_profile(name))

    async def create_profile(self, name: str) -> Profile:
        """ValueError (a plain reason) if the name is unusable or taken."""
        return await self.run(lambda: self._need_store().create_profile(name, self.now()))

    def _last_used(self) -> Profile | None:
        store = self._need_store()
        best: tuple[str, Profile] | None = None
        for profile in store.profiles():
            stamp = store.get_setting(profile, LAST_USED) or ""
            if best is None or stamp > best[0]:
                best = (stamp, profile)
        return best[1] if best else None

    async def last_used_profile(self) -> Profile | None:
        return await self.run(self._last_used)

    async def touch_profile(self, profile: Profile) -> None:
        await self.run(
            lambda: self._need_store().set_setting(profile, LAST_USED, self.now().isoformat())
        )

    async def get_setting(self, profile: Profile, key: str) -> str | None:
        return await self.run(lambda: self._need_store().get_setting(profile, key))

    async def set_setting(self, profile: Profile, key: str, value: str) -> None:
        await self.run(lambda: self._need_store().set_setting(profile, key, value))

    async def study_settings(self, profile: Profile) -> dict[str, str]:
        """Every study setting's value (the default where unset), by name."""
        return await self.run(lambda: cfg.read_all(self._need_store(), profile))

    async def save_setting(self, profile: Profile, setting: cfg.Setting, value: str) -> str:
        """Validate and store; SettingError (naming the allowed values) if refused."""
        return await self.run(lambda: cfg.write(self._need_store(), profile, setting, value))

    # -- numbers -------------------------------------------------------------------

    # The statistics, marks and browse modules are imported on the worker, by the first
    # call that needs them: a start straight into a question needs none of them.

    async def stats(self, profile: Profile) -> Stats:
        def run() -> Stats:
            from immunoquiz.study.statistics import stats

            return stats(self._need_store(), profile, self.banks, self.now())

        return await self.run(run)

    async def home(self, profile: Profile, *, new_limit: int | None = None) -> HomeSummary:
        """What the home screen shows, in one read (see `study.home`)."""

        def run() -> HomeSummary:
            from immunoquiz.study.home import home_summary

            return home_summary(
                self._need_store(), profile, self.banks, self.now(), new_limit=new_limit
            )

        return await self.run(run)

    def _picker_marks(self, profile: Profile) -> tuple[dict[str, frozenset[str]], frozenset[str]]:
        from immunoquiz.study.marks import marked_cards

        store = self._need_store()
        return marked_cards(store, profile, self.now()), frozenset(store.suspended(profile))

    async def picker_marks(
        self, profile: Profile
    ) -> tuple[dict[str, frozenset[str]], frozenset[str]]:
        """The learner's marked cards (recent misses, flagged) and suspended cards, for the
        practice picker's counts."""
        return await self.run(self._picker_marks, profile)

    # -- browsing ------------------------------------------------------------------

    async def browse(self, profile: Profile, query: browsing.Query) -> list[browsing.Entry]:
        def run() -> list[browsing.Entry]:
            from immunoquiz.study.browse import entries

            return entries(self._need_store(), profile, self.banks, self.now(), query)

        return await self.run(run)

    async def card_history(self, profile: Profile, card_id: str) -> list[ReviewRow]:
        def run() -> list[ReviewRow]:
            from immunoquiz.study.browse import history

            return history(self._need_store(), profile, card_id)

        return await self.run(run)

    async def suspend(self, profile: Profile, card_id: str) -> None:
        await self.run(lambda: self._need_store().suspend(profile, card_id, self.now()))

    async def unsuspend(self, profile: Profile, card_id: str) -> None:
        await self.run(lambda: self._need_store().unsuspend(profile, card_id))

    async def flag(self, profile: Profile, card: Card, note: str) -> None:
        """ValueError (a plain reason) for a note the store refuses."""
        from immunoquiz.study.browse import flag_for

        flag = flag_for(card, note, self.now())
        await self.run(lambda: self._need_store().flag(profile, flag))

    async def unflag(self, profile: Profile, card_id: str) -> None:
        await self.run(lambda: self._need_store().unflag(profile, card_id))

    # -- sessions ------------------------------------------------------------------

    async def open_session(
        self,
        profile: Profile,
        mode: Mode,
        filters: Filters,
        *,
        banks: Sequence[Bank] | None = None,
        new_limit: int | None = None,
        seed: int | None = None,
    ) -> Session:
        chosen = self.banks if banks is None else list(banks)
        return await self.run(
            lambda: open_session(
                self._need_store(),
                profile,
                chosen,
                mode=mode,
                filters=filters,
                now=self.clock,
                new_limit=new_limit,
                seed=seed,
            )
        )

    async def counts(self, session: Session) -> QueueCounts:
        return await self.run(session.counts)

    async def next_with_counts(self, session: Session) -> tuple[Card | None, QueueCounts]:
        """The next card and the counts beside it, in one trip to the store thread."""
        return await self.run(lambda: (session.next(), session.counts()))

    async def next_due(self, session: Session) -> datetime | None:
        return await self.run(session.next_due)

    async def answer(
        self, session: Session, card: Card, response: Response, duration_s: float | None
    ) -> Outcome:
        return await self.run(session.answer, card, response, duration_s)

    async def rerate(self, session: Session, outcome: Outcome, rating: Rerating) -> Outcome:
        return await self.run(session.rerate, outcome, rating)

    async def override(self, session: Session, outcome: Outcome) -> Outcome:
        return await self.run(session.override, outcome)

    async def undo(self, session: Session) -> Card | None:
        return await self.run(session.undo)

    async def summary(self, session: Session) -> Summary:
        return await self.run(session.summary)
