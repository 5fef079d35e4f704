"""An unexpected error never shows a traceback: one line on screen, details in a log."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import settle
from sample_banks import small_bank


async def test_an_unexpected_error_ends_with_one_line_and_a_log(make_app, capsys) -> None:
    app = make_app([small_bank()])
    with pytest.raises(ZeroDivisionError):
        async with app.run_test() as pilot:
            await settle(pilot)
            app.call_later(lambda: 1 / 0)
            await pilot.pause()
    log = Path(os.environ["IMMUNOQUIZ_CACHE"]) / "crash.log"
    assert app.crash_message == (
        f"immunoquiz: unexpected error: ZeroDivisionError: division by zero (details in {log})"
    )
    assert app._exit_renderables == []  # what Textual would have printed: nothing
    assert "Traceback" not in capsys.readouterr().err
    assert "Traceback (most recent call last)" in log.read_text()
    assert app.return_code == 1
