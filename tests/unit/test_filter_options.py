"""`--tag a,b` means "tagged a or b" everywhere: plain mode and the TUI read the
filter options through one function, with comma lists and repeats alike."""

from __future__ import annotations

import io
import re

import pytest

from immunoquiz.cli import build_parser, main
from immunoquiz.commands.filters import filters_from_args
from immunoquiz.study import Filters


def new_available(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO("q\n"))
    assert main(["study", "--plain", "--new-limit", "500", *args]) == 0
    found = re.search(r"(\d+) new available", capsys.readouterr().out)
    assert found, "no session header"
    return int(found.group(1))


def test_comma_list_and_repeats_mean_the_same(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    her2 = new_available(["--tag", "her2"], monkeypatch, capsys)
    gut = new_available(["--tag", "gut"], monkeypatch, capsys)
    both = new_available(["--tag", "her2,gut"], monkeypatch, capsys)
    assert her2 > 0 and gut > 0
    assert both == new_available(["--tag", "her2", "--tag", "gut"], monkeypatch, capsys)
    assert both > max(her2, gut)  # either tag, not one tag named "her2,gut"


def test_one_reading_of_the_options() -> None:
    args = build_parser().parse_args(
        ["practice", "--tag", "a, b", "--tag", "c", "--level", "recall,analysis", "--bank", "x"]
    )
    assert filters_from_args(args) == Filters(
        banks=frozenset({"x"}),
        tags=frozenset({"a", "b", "c"}),
        levels=frozenset({"recall", "analysis"}),
    )
    assert filters_from_args(build_parser().parse_args(["study"])).empty


def test_an_unknown_level_in_a_list_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args(["study", "--level", "recall,guessing"])
    assert done.value.code == 2
    assert "invalid choice: 'guessing'" in capsys.readouterr().err


def test_the_tui_gets_the_same_filters(monkeypatch: pytest.MonkeyPatch) -> None:
    from immunoquiz.tui.app import ImmunoquizApp

    seen: list[Filters] = []

    def run(self: ImmunoquizApp) -> int:
        seen.append(self.start_filters)
        return 0

    monkeypatch.setattr(ImmunoquizApp, "run", run)
    assert main(["study", "--tag", "her2,gut", "--step", "take-action"]) == 0
    assert seen == [Filters(tags=frozenset({"her2", "gut"}), steps=frozenset({"take-action"}))]
