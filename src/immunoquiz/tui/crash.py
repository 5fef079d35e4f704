"""An unexpected error ends the app with one line, never a traceback on the user's screen.

Textual prints a full Rich traceback when an app crashes. For a trainee that is noise
and fear: the traceback goes to crash.log in the cache dir instead, and the app keeps
one sentence, `crash_message`, which the entry points print after the screen is
restored. `IMMUNOQUIZ_DEBUG=1` brings back Textual's own report.
"""

from __future__ import annotations

import os
import traceback
from typing import Any

from textual.app import App

from immunoquiz.basics import utc_now
from immunoquiz.paths import cache_dir


class OneLineCrash(App[Any]):
    """Mixed into our apps ahead of `App`; replaces Textual's crash report."""

    crash_message: str | None = None

    def _fatal_error(self) -> None:
        error = self._exception
        if os.environ.get("IMMUNOQUIZ_DEBUG") or error is None:
            super()._fatal_error()
            return
        where = _save_traceback(error)
        detail = f" (details in {where})" if where else ""
        self.crash_message = (
            f"immunoquiz: unexpected error: {type(error).__name__}: {error}{detail}"
        )
        self.bell()
        self._close_messages_no_wait()


def _save_traceback(error: BaseException) -> str | None:
    """Append the traceback to crash.log in the cache dir; None if that cannot be written."""
    path = cache_dir() / "crash.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"--- {utc_now().isoformat()}\n")
            fh.write("".join(traceback.format_exception(error)))
    except OSError:
        return None
    return str(path)
