"""Whatever an author does to a valid bank, the loader answers with located problems.

Random edits of `all_types.yaml` (deleted, repeated and swapped lines, junk keys,
values of the wrong type, truncation, stray bytes and tabs) must either load or
raise BankError: never another exception, never a traceback for the user.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from immunoquiz.banks import BankError, parse_bank

SOURCE = (Path(__file__).parent.parent / "data" / "valid" / "all_types.yaml").read_bytes()
LINES = SOURCE.split(b"\n")

VALUES = [
    b"123",
    b"-1",
    b"1.5",
    b"true",
    b"yes",
    b'"no"',
    b"~",
    b"",
    b"[]",
    b"{}",
    b"[a, [b]]",
    b"{text: x}",
    b"!!python/object:os.system x",
    b"!custom x",
    b"*nowhere",
    b"&a x",
    b"'{{'",
    b'"\\e[31m"',
    b"2024-01-01",
    b"<<: {}",
]

edit = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, len(LINES) - 1)),
    st.tuples(st.just("repeat"), st.integers(0, len(LINES) - 1)),
    st.tuples(st.just("swap"), st.integers(0, len(LINES) - 1), st.integers(0, len(LINES) - 1)),
    st.tuples(st.just("junk_key"), st.integers(0, len(LINES) - 1), st.sampled_from(VALUES)),
    st.tuples(st.just("value"), st.integers(0, len(LINES) - 1), st.sampled_from(VALUES)),
    st.tuples(st.just("truncate_line"), st.integers(0, len(LINES) - 1), st.integers(0, 40)),
    st.tuples(st.just("tab"), st.integers(0, len(LINES) - 1)),
    st.tuples(st.just("bytes"), st.integers(0, len(SOURCE)), st.binary(min_size=1, max_size=4)),
    st.tuples(st.just("cut"), st.integers(0, len(SOURCE))),
)


def apply(data: bytes, change: tuple) -> bytes:
    kind = change[0]
    if kind == "bytes":
        return data[: change[1]] + change[2] + data[change[1] :]
    if kind == "cut":
        return data[: change[1]]
    lines = data.split(b"\n")
    i = change[1] % len(lines)
    line = lines[i]
    indent = line[: len(line) - len(line.lstrip(b" -"))].replace(b"-", b" ")
    if kind == "delete":
        del lines[i]
    elif kind == "repeat":
        lines.insert(i, line)
    elif kind == "swap":
        j = change[2] % len(lines)
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "junk_key":
        lines.insert(i, indent + b"junk: " + change[2])
    elif kind == "value":
        key, sep, _ = line.partition(b": ")
        lines[i] = key + b": " + change[2] if sep else indent + change[2]
    elif kind == "truncate_line":
        lines[i] = line[: change[2]]
    elif kind == "tab":
        lines[i] = b"\t" + line
    return b"\n".join(lines)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(edit, min_size=1, max_size=3))
def test_edited_bank_loads_or_reports_problems(changes: list[tuple]) -> None:
    data = SOURCE
    for change in changes:
        data = apply(data, change)
    try:
        parse_bank(data, "edited.yaml")
    except BankError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.line >= 1 and p.col >= 1
            assert "\n" not in p.message and "\x1b" not in p.message
