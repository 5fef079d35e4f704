"""Session files: a valid one resolves to the same items every time; broken ones
get one located line per problem."""

from pathlib import Path

from immunoquiz.banks.model import Bank, Option, SingleItem
from immunoquiz.educator.session_file import load_session

BANK = Bank(
    id="demo",
    title="Demo",
    topic="checkpoints",
    questions=tuple(
        SingleItem(
            id=f"q{i}",
            explanation="e",
            prompt=f"Question {i}?",
            options=(Option("right", True), Option("wrong", why="no")),
            level="application" if i % 2 else "recall",
        )
        for i in range(8)
    ),
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "week.yaml"
    path.write_text(text)
    return path


def test_a_valid_session_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """format: 1
session:
  title: Week 3 check
  items: [demo/q0]
  draw:
    - {count: 2, level: application}
  seed: 42
  time_limit: 15
  feedback: immediate
  shuffle: false
  pass_mark: 70
""",
    )
    spec, problems = load_session(path, [BANK])
    assert problems == []
    assert spec is not None
    assert (spec.title, spec.time_limit, spec.feedback, spec.shuffle, spec.pass_mark) == (
        "Week 3 check",
        15,
        "immediate",
        False,
        70.0,
    )
    assert len(spec.content_hash) == 64 and spec.items[0].item == "q0"
    assert spec.draws[0].count == 2 and spec.draws[0].level == "application"


def test_every_problem_is_reported_with_its_line_and_column(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """format: 1
session:
  title: Week 3 check
  items: [demo/q0, demo/nope, q3]
  draw:
    - {count: 2, levle: application}
    - {count: 40}
  time_limit: soon
  feedback: later
  pass_mark: 150
""",
    )
    spec, problems = load_session(path, [BANK])
    assert spec is None
    lines = [str(p).removeprefix(str(path) + ":") for p in problems]
    assert lines == [
        "4:31: an item is written 'bank-id/item-id', not 'q3'",
        "6:18: unknown key 'levle' in draw 1 (did you mean 'level'?)",
        "8:15: 'time_limit' in the session must be a whole number of 1 or more, not 'soon'",
        "9:13: 'feedback' in the session cannot be 'later': use one of end, immediate",
        "10:14: 'pass_mark' is a percentage from 1 to 100, not 150",
    ]


def test_selection_problems_are_located_too(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "format: 1\nsession:\n  title: T\n  items:\n    - demo/nope\n  draw:\n    - count: 40\n",
    )
    _, problems = load_session(path, [BANK])
    assert [str(p).removeprefix(str(path) + ":") for p in problems] == [
        "5:7: bank 'demo' has no item 'nope'",
        "7:7: draw of 40 (any item) finds only 8 unused matching items",
    ]


def test_not_yaml_and_tags_are_refused_like_banks(tmp_path: Path) -> None:
    path = write(tmp_path, "format: 1\nsession: !!python/object:os.system {title: x}\n")
    _, problems = load_session(path, [BANK])
    assert len(problems) == 1 and "tag" in problems[0].message and problems[0].line == 2
