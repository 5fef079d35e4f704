"""`immunoquiz browse` and `immunoquiz flags`: what a trainee reads, what is saved, exit codes."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from immunoquiz.banks import load
from immunoquiz.cli import main
from immunoquiz.responses import SingleResponse
from immunoquiz.store import Store
from immunoquiz.study import open_session

NOW = "2026-11-27T09:00:00+00:00"
BANK = """\
format: 1
bank:
  id: demo
  title: Demo bank
  topic: checkpoints
  sources:
    ref1: {cite: "Test citation"}
questions:
  - id: pd1
    type: single
    prompt: "Where is PD-1 expressed? [b]not markup[/b]"
    shuffle: false
    options:
      - {text: On activated T cells, correct: true}
      - {text: On platelets}
    explanation: PD-1 is on T cells.
    sources: [ref1]
  - id: her2
    type: true_false
    tags: [tnbc]
    statement: Trastuzumab has a role in TNBC.
    answer: false
    explanation: TNBC is HER2-negative.
    sources: [ref1]
"""


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run `immunoquiz --banks demo.yaml ARGS`; (exit code, stdout, stderr)."""
    (tmp_path / "demo.yaml").write_text(BANK, encoding="utf-8")
    monkeypatch.setenv("IMMUNOQUIZ_NOW", NOW)
    monkeypatch.setenv("TZ", "UTC")
    with Store.open(Path(str(tmp_path / "iq-home"))) as store:
        store.create_profile("Ana")

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--banks", str(tmp_path / "demo.yaml"), *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def saved(tmp_path: Path) -> tuple[set[str], list[tuple[str, str, int | None]]]:
    with Store.open(tmp_path / "iq-home") as store:
        ana = store.get_profile("Ana")
        assert ana is not None
        return store.suspended(ana), [(f.card_id, f.note, f.line) for f in store.flags(ana)]


def test_search_lists_matches_with_their_state(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("browse", "--search", "pd-1 EXPRESSED")
    assert code == 0
    assert "1 of" in out and "demo/pd1  new" in out
    assert "Where is PD-1 expressed? [b]not markup[/b]" in out
    code, out, _ = cli("browse", "--tag", "tnbc", "--json")
    assert code == 0
    listed = json.loads(out)
    assert [(e["id"], e["state"], e["next_due"], e["stability"]) for e in listed] == [
        ("demo/her2", "new", None, None)
    ]


def test_suspend_unsuspend_and_the_state_filter(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("browse", "demo/her2", "--suspend")
    assert (code, out.strip()) == (0, "Suspended demo/her2.")
    assert saved(tmp_path)[0] == {"demo/her2"}
    code, out, _ = cli("browse", "--state", "suspended")
    assert "demo/her2  suspended" in out and "demo/pd1" not in out
    code, out, _ = cli("study", "--plain", "--bank", "demo", "--ids")
    assert "demo/her2" not in out, "a suspended question is never asked"
    code, out, _ = cli("browse", "demo/her2", "--unsuspend")
    assert code == 0 and "Unsuspended demo/her2" in out
    assert saved(tmp_path)[0] == set()


def test_flag_with_a_note_and_list_flags(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("browse", "demo/pd1", "--flag", "  ")
    assert code == 1 and "the note is empty" in err
    assert saved(tmp_path)[1] == []
    code, out, _ = cli("browse", "demo/pd1", "--flag", "option 2 is also seen")
    assert code == 0 and "Flagged demo/pd1" in out
    assert saved(tmp_path)[1] == [("demo/pd1", "option 2 is also seen", 9)]
    code, out, _ = cli("flags")
    assert code == 0
    assert f"demo/pd1  {tmp_path / 'demo.yaml'}:9" in out
    assert "Note (2026-11-27 09:00): option 2 is also seen" in out
    code, out, _ = cli("flags", "--json")
    doc = json.loads(out)
    assert doc["format"] == "immunoquiz-flags" and doc["profile"] == "Ana"
    assert [(f["id"], f["line"], f["note"]) for f in doc["flags"]] == [
        ("demo/pd1", 9, "option 2 is also seen")
    ]


def test_export_for_the_educator(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("browse", "demo/her2", "--flag", "HER2-low changes the answer")
    code, out, _ = cli("flags", "--export", str(tmp_path / "flags.md"))
    assert code == 0 and "Wrote 1 flagged question(s)" in out
    text = (tmp_path / "flags.md").read_text(encoding="utf-8")
    assert "# Questions flagged by Ana" in text
    assert f"- Where: {tmp_path / 'demo.yaml'}:18" in text
    assert "- Note: HER2-low changes the answer" in text
    code, _, _ = cli("flags", "--export", str(tmp_path / "flags.json"))
    doc = json.loads((tmp_path / "flags.json").read_text(encoding="utf-8"))
    assert doc["flags"][0]["bank_file"] == str(tmp_path / "demo.yaml")
    code, _, err = cli("flags", "--export", str(tmp_path / "missing" / "flags.md"))
    assert code == 1 and err.count("\n") == 1 and "cannot write the export" in err


def test_one_question_shows_its_history(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("browse", "demo/pd1")
    assert code == 0 and "History: no answers yet" in out
    when = datetime.fromisoformat(NOW)
    with Store.open(tmp_path / "iq-home") as store:
        ana = store.get_profile("Ana")
        assert ana is not None
        s = open_session(store, ana, [load(tmp_path / "demo.yaml")], now=lambda: when)
        card = s.next()
        assert card is not None and card.card_id == "demo/pd1"
        s.answer(card, SingleResponse(0), 3.0)
    code, out, _ = cli("browse", "demo/pd1")
    assert "demo/pd1  learning  next due 2026-11-27 09:10  stability" in out
    assert "2026-11-27 09:00  study    1/1  Good" in out
    code, out, _ = cli("browse", "demo/pd1", "--json")
    assert json.loads(out)["history"] == [
        {"date": NOW, "mode": "study", "points": 1.0, "max": 1.0, "rating": "Good"}
    ]


def test_errors_are_one_line_with_the_right_exit_code(cli) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("browse", "demo/nope", "--suspend")
    assert code == 1 and err.count("\n") == 1 and "no question with id 'demo/nope'" in err
    code, _, err = cli("browse", "--suspend")
    assert code == 2 and "need a question's ID" in err
    with pytest.raises(SystemExit) as exc:
        cli("browse", "--state", "sleeping")
    assert exc.value.code == 2
