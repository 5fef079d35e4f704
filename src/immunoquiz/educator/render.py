"""A ClassReport as terminal text, CSV files, JSON or one self-contained HTML page.

Learner names, question and option texts and file names are data from outside: the
terminal text goes through `terminal.printable` (via clip/pad), CSV cells that a
spreadsheet would run as a formula are neutralised, HTML escapes every value, and
JSON is strict (no NaN or Infinity).
"""

from __future__ import annotations

import io
import json
import math
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from immunoquiz.educator.analysis import (
    BLANK,
    FULL,
    PARTIAL,
    WRONG,
    ClassReport,
    ItemRow,
    LearnerRow,
)
from immunoquiz.records import asdict
from immunoquiz.terminal import clip, pad, printable, width

SYMBOL = {FULL: "✓", PARTIAL: "◐", WRONG: "✗", BLANK: "·"}
LEGEND = "✓ full marks  ◐ partial  ✗ wrong  · blank (not answered)"
WHICH = {
    "first": "each learner's first attempt",
    "last": "each learner's last attempt",
    "best": "each learner's best attempt",
    "all": "every attempt",
}


def fmt(x: float | None, digits: int = 0) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def pct(x: float | None) -> str:
    """A percentage with Moodle's 2 decimals, unit included."""
    return "-" if x is None else f"{x:.2f}%"


def _pass(passed: bool | None) -> str:
    return "-" if passed is None else ("pass" if passed else "FAIL")


def _result(r: LearnerRow) -> str:
    return _pass(r.passed) + (", time up" if r.timed_out else "")


def _points(x: float) -> str:
    return f"{x:g}" if float(x).is_integer() else f"{x:.2f}"


# --- terminal -----------------------------------------------------------------------


def _row(cells: list[str], widths: list[int], right: set[int]) -> str:
    return "  ".join(
        pad(c, w, right=i in right) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
    ).rstrip()


def _fit(
    headers: list[str], rows: list[list[str]], total: int, flex: dict[int, int], right: set[int]
) -> list[str]:
    """A table that fits `total` columns; nothing ever wraps. The `flex` columns (index ->
    minimum width) give up width in the order listed: each down to its minimum, then the
    next; values cut short end with an ellipsis."""
    widths = [
        max([width(printable(h))] + [width(printable(r[i])) for r in rows])
        for i, h in enumerate(headers)
    ]
    excess = sum(widths) + 2 * (len(widths) - 1) - total
    for i, least in flex.items():
        if excess <= 0:
            break
        cut = min(excess, max(0, widths[i] - least))
        widths[i] -= cut
        excess -= cut
    rule = ["-" * w for w in widths]
    return [_row(headers, widths, right), _row(rule, widths, set())] + [
        _row(r, widths, right) for r in rows
    ]


def _wrapped(text: str, total: int, indent: str = "") -> list[str]:
    return _lines(text, total, indent, indent or "  ")  # file names stay whole where they fit


def _lines(text: str, total: int, first: str, rest: str) -> list[str]:
    """`text` on one line (newlines become spaces) wrapped to `total` columns."""
    lines = textwrap.wrap(
        printable(text),
        total,
        initial_indent=first,
        subsequent_indent=rest,
        break_on_hyphens=False,
    )
    # textwrap counts characters; wide (CJK) ones take two columns: cut what still overflows
    return [clip(line, total) for line in lines] or [first.rstrip()]


def to_text(report: ClassReport, columns: int = 80) -> str:
    """The report for a terminal `columns` wide: no line is ever longer."""
    t = report.test
    out: list[str] = []
    out += _wrapped(f"{report.title}: class report", columns)
    counted = f"{t.attempts} attempts counted" if t.attempts != t.learners else ""
    out += _wrapped(
        f"{t.learners} learners, {t.items} items, maximum {_points(t.max)} points. "
        f"Counted: {WHICH.get(report.attempts_counted, report.attempts_counted)}"
        + (f" ({counted})." if counted else "."),
        columns,
    )
    out.append("")
    out += _wrapped(
        f"Mean {pct(t.mean_percent)}  median {pct(t.median_percent)}  "
        f"standard deviation {pct(t.sd_percent)} (as % of the maximum mark)",
        columns,
    )
    se = (
        f"{_points(round(t.standard_error, 2))} points ({pct(t.standard_error_percent)} of max)"
        if t.standard_error is not None
        else "-"
    )
    out += _wrapped(
        f"CIC {pct(t.cic)}  error ratio {pct(t.error_ratio)}  standard error {se}", columns
    )
    if t.pass_mark is not None:
        out.append(
            clip(f"Pass mark {t.pass_mark:g}% (the session's): {t.passed} of "
                 f"{t.attempts} passed", columns)
        )  # fmt: skip
    for warning in report.warnings:
        out += _wrapped(f"! {warning}", columns, "")
    out.append("")

    out.append("Learners")
    show_attempt = report.attempts_counted == "all" or any(r.attempt != 1 for r in report.learners)
    headers = ["name", "score", "%", "result", "time"]
    if show_attempt:
        headers.insert(1, "try")
    rows = []
    for r in report.learners:
        row = [
            r.label,
            f"{_points(r.score)}/{_points(r.max)} pts",
            pct(r.percent),
            _result(r),
            f"{r.minutes:.0f} min",
        ]
        if show_attempt:
            row.insert(1, str(r.attempt))
        rows.append(row)
    out += _fit(headers, rows, columns, {0: 12}, {1, 2, 4} if not show_attempt else {1, 2, 3, 5})
    out.append("")

    out.append("Items (F facility, D discrimination, DE discriminative efficiency)")
    rows = [
        [
            str(i.number),
            i.question or i.id,
            i.answer or "?",
            pct(i.facility),
            pct(i.discrimination),
            pct(i.efficiency),
        ]
        for i in report.items
    ]
    out += _fit(["#", "question", "answer key", "F", "D", "DE"], rows, columns,
                {2: 18, 1: 16}, {0, 3, 4, 5})  # fmt: skip
    flagged = [i for i in report.items if i.flags]
    if flagged:
        out.append("")
        out.append("Worth a look")
        for i in flagged:
            out += _wrapped(f"{i.number:>3}  " + "; ".join(i.flags), columns)
    out.append("")

    out += _grid(report, columns)
    out.append("")

    choice = [i for i in report.items if i.option_counts]
    out.append("Answers, item by item (✓ marks the key; n: learners who picked it)")
    for i in report.items:
        # here the question (up to 3 lines) and the key are wrapped, not cut
        asked = _lines(i.question or i.id, columns, f"{i.number:>3}  ", " " * 5)
        if len(asked) > 3:
            asked = asked[:2] + [
                clip(asked[2] + " " + " ".join(a.strip() for a in asked[3:]), columns)
            ]
        out += asked
        out.append(clip(f"     {i.id} ({i.type}); {_tally(i)}", columns))
        if i in choice:
            for o in i.options:
                mark = "✓" if o.correct else " "
                out.append(clip(f"     {mark} {o.picked_by:>3}  {o.label}", columns))
        if not i.options or not any(o.correct for o in i.options):
            out += _lines(f"key: {i.answer or 'unknown'}", columns, " " * 5, " " * 10)

    if report.open_attempts:
        out.append("")
        out.append("Open attempts (not counted)")
        out += _fit(
            ["name", "try", "status", "answered", "started (UTC)"],
            [
                [
                    o.name,
                    str(o.attempt),
                    o.status.replace("_", " "),
                    f"{o.answered} of {o.items}",
                    _when(o.started),
                ]
                for o in report.open_attempts
            ],
            columns,
            {0: 12},
            {1},
        )
    if report.skipped:
        out.append("")
        out.append(clip(f"{len(report.skipped)} file(s) skipped; the reasons are listed above.",
                        columns))  # fmt: skip
    for note in report.notes:
        out += _wrapped(f"note: {note}", columns)
    return "\n".join(line.rstrip() for line in out) + "\n"


def _when(iso: str) -> str:
    """ "2026-11-24T09:00:00+00:00" as "2026-11-24 09:00" (the files hold UTC times)."""
    return iso[:16].replace("T", " ")


def _tally(i: ItemRow) -> str:
    parts = [f"{i.full} full"]
    if i.partial:
        parts.append(f"{i.partial} partial")
    parts.append(f"{i.wrong} wrong")
    if i.blank:
        parts.append(f"{i.blank} blank")
    return ", ".join(parts)


def _grid(report: ClassReport, columns: int) -> list[str]:
    """Learners by items, items as numbered columns, in blocks that fit `columns`."""
    out = _wrapped("Who got what (columns are the item numbers above)", columns)
    out += _wrapped(LEGEND, columns)
    if not report.items:
        return out
    cell = len(str(report.items[-1].number)) + 1
    name_w = min(24, max(width(printable(r.label)) for r in report.learners))
    name_w = max(4, min(name_w, columns - 1 - cell))
    per_block = max(1, (columns - name_w) // cell)
    numbers = [i.number for i in report.items]
    for start in range(0, len(numbers), per_block):
        block = numbers[start : start + per_block]
        out.append("")
        out.append(" " * name_w + "".join(f"{n:>{cell}}" for n in block))
        for r in report.learners:
            marks = {c.item: SYMBOL[c.mark] for c in r.cells}
            out.append(pad(r.label, name_w) + "".join(f"{marks[n]:>{cell}}" for n in block))
    return out


# --- CSV ----------------------------------------------------------------------------


def safe_cell(value: Any) -> Any:
    """Stop a spreadsheet from running a cell as a formula (CSV injection).

    A number such as "-50.0" (a negative discrimination) and the "-" of a missing
    statistic stay as they are: neither can run, and quoting would turn them into text.
    """
    if not isinstance(value, str) or value[:1] not in ("=", "+", "-", "@", "\t", "\r"):
        return value
    if value == "-" or _is_number(value):
        return value
    return "'" + value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text and text.lower().lstrip("+-") not in ("inf", "nan", "infinity")


def _csv(header: list[str], rows: Iterator[tuple[Any, ...]]) -> str:
    import csv

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows([safe_cell(c) for c in row] for row in rows)
    return buf.getvalue()


def _num(x: float | None, digits: int = 2) -> str:
    """A CSV number: empty when undefined, so a spreadsheet sees a blank, not text."""
    return "" if x is None else f"{x:.{digits}f}"


def to_csv_tables(report: ClassReport) -> dict[str, str]:
    """One table per file: learners, items, options, responses (long form)."""
    learners = _csv(
        ["learner", "learner_id", "attempt", "status", "score", "max", "percent", "result",
         "timed_out", "minutes"],
        (
            (r.name, r.learner_id, r.attempt, r.status, r.score, r.max, _num(r.percent),
             _pass(r.passed), r.timed_out, _num(r.minutes, 1))
            for r in report.learners
        ),
    )  # fmt: skip
    items = _csv(
        ["number", "item", "type", "topic", "question", "answer_key", "n", "max", "facility",
         "discrimination", "discriminative_efficiency", "sd", "full", "partial", "wrong",
         "not_answered", "flags"],
        (
            (i.number, i.id, i.type, i.topic, i.question, i.answer, i.n, i.max,
             _num(i.facility), _num(i.discrimination), _num(i.efficiency), _num(i.sd, 3),
             i.full, i.partial, i.wrong, i.blank, "; ".join(i.flags))
            for i in report.items
        ),
    )  # fmt: skip
    options = _csv(
        ["number", "item", "option", "correct", "picked_by"],
        (
            (i.number, i.id, o.label, "" if o.correct is None else o.correct, o.picked_by)
            for i in report.items
            for o in i.options
        ),
    )
    responses = _csv(
        ["learner", "item", "score", "max", "response", "learner_id", "attempt", "number",
         "mark"],
        (
            (r.name, report.items[c.item - 1].id, c.score, c.max, c.response, r.learner_id,
             r.attempt, c.item, c.mark)
            for r in report.learners
            for c in r.cells
        ),
    )  # fmt: skip
    return {
        "learners.csv": learners,
        "items.csv": items,
        "options.csv": options,
        "responses.csv": responses,
    }


def write_csv_dir(report: ClassReport, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in to_csv_tables(report).items():
        path = folder / name
        path.write_text(text, encoding="utf-8", newline="")
        written.append(path)
    return written


# --- JSON ---------------------------------------------------------------------------


def _finite(value: Any) -> Any:
    """NaN and Infinity become null: strict JSON readers reject them."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def to_json(report: ClassReport) -> str:
    doc = asdict(report)
    for row, learner in zip(doc["learners"], report.learners, strict=True):
        row["percent"] = learner.percent
    doc["legend"] = {FULL: SYMBOL[FULL], PARTIAL: SYMBOL[PARTIAL], WRONG: SYMBOL[WRONG],
                     BLANK: SYMBOL[BLANK]}  # fmt: skip
    return json.dumps(_finite(doc), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


# --- HTML ---------------------------------------------------------------------------


def _bar(value: float | None, lo: float = 0, hi: float = 100, width_px: int = 160) -> str:
    """An inline SVG bar; negative values (discrimination) grow left from the middle."""
    if value is None:
        return "<span class=na>-</span>"
    if lo < 0:
        mid = width_px / 2
        w = min(abs(value), hi) / hi * mid
        x = mid if value >= 0 else mid - w
        colour = "#2b7a3d" if value >= 0 else "#b3261e"
        return (
            f'<svg width="{width_px}" height="12" role="img" aria-label="{value:.2f}">'
            f'<line x1="{mid}" x2="{mid}" y1="0" y2="12" stroke="#888"/>'
            f'<rect x="{x:.1f}" y="2" width="{w:.1f}" height="8" fill="{colour}"/></svg>'
        )
    w = max(0.0, min(value, hi)) / hi * width_px if hi else 0
    return (
        f'<svg width="{width_px}" height="12" role="img" aria-label="{value:.2f}">'
        f'<rect x="0" y="2" width="{width_px}" height="8" fill="#eee"/>'
        f'<rect x="0" y="2" width="{w:.1f}" height="8" fill="#1f5fa8"/></svg>'
    )


def _item_html(i: ItemRow) -> str:
    from html import escape as e  # the HTML and CSV modules only when asked for

    opts = ""
    if i.options:
        top = max(o.picked_by for o in i.options) or 1
        opts = (
            "<table class=opts><tr><th>key</th><th>picked by</th><th>option</th></tr>"
            + "".join(
                f"<tr class={'key' if o.correct else 'other'}>"
                f"<td>{'✓ key' if o.correct else ''}</td>"
                f"<td>{o.picked_by} {_bar(o.picked_by, 0, top, 60)}</td><td>{e(o.label)}</td></tr>"
                for o in i.options
            )
            + "</table>"
        )
    key = (
        ""
        if i.options and any(o.correct for o in i.options)
        else (f"<p class=answer><b>Answer key:</b> {e(i.answer) if i.answer else 'unknown'}</p>")
    )
    flags = "".join(f"<span class=flag>{e(f)}</span>" for f in i.flags)
    question = e(i.question).replace("\n", "<br>") if i.question else "<i>question not recorded</i>"
    return (
        f"<tr id=item-{i.number}><td class=num>{i.number}</td>"
        f"<td><p class=q>{question}</p><small><code>{e(i.id)}</code> &middot; {e(i.type)} &middot; "
        f"{e(i.topic)} &middot; {e(_tally(i))}</small>{key}{opts}</td>"
        f"<td>{pct(i.facility)}<br>{_bar(i.facility)}</td>"
        f"<td>{pct(i.discrimination)}<br>{_bar(i.discrimination, -100)}</td>"
        f"<td>{pct(i.efficiency)}<br>{_bar(i.efficiency, -100)}</td><td>{flags}</td></tr>"
    )


def _grid_html(report: ClassReport) -> str:
    from html import escape as e

    head = "".join(
        f'<th scope=col title="{e(i.question or i.id)}"><a href="#item-{i.number}">{i.number}</a></th>'
        for i in report.items
    )
    rows = []
    for r in report.learners:
        cells = []
        for c in r.cells:
            item = report.items[c.item - 1]
            said = c.response or "not answered"
            tip = (
                f"{c.item}. {item.question or item.id}\n"
                f"{r.name}: {said} ({_points(c.score)}/{_points(c.max)})"
            )
            cells.append(
                f'<td class="m-{c.mark}" title="{e(tip)}">{SYMBOL[c.mark]}'
                f"<span class=sr> {e(c.mark)}: {e(said)}</span></td>"
            )
        rows.append(
            f"<tr><th scope=row>{e(r.label)}</th>{''.join(cells)}"
            f"<td class=tot>{pct(r.percent)}</td></tr>"
        )
    return f"<table class=grid><tr><th>Learner</th>{head}<th>Total</th></tr>{''.join(rows)}</table>"


def to_html(report: ClassReport) -> str:
    from html import escape as e

    t = report.test
    show_attempt = report.attempts_counted == "all" or any(r.attempt != 1 for r in report.learners)
    learners = "".join(
        f"<tr><td>{e(r.label)}</td>"
        + (f"<td>{r.attempt}</td>" if show_attempt else "")
        + f"<td class=nw>{_points(r.score)}/{_points(r.max)} points</td><td>{pct(r.percent)}<br>{_bar(r.percent)}</td>"
        f"<td class=nw>{e(_result(r))}</td><td class=nw>{r.minutes:.0f} min</td>"
        f"<td>{e(', '.join(f'{k} {pct(v.percent)}' for k, v in r.by_topic.items()))}</td>"
        f"<td>{e(', '.join(f'{k} {pct(v.percent)}' for k, v in r.by_step.items()))}</td></tr>"
        for r in report.learners
    )
    open_rows = "".join(
        f"<tr><td>{e(o.name)}</td><td>{o.attempt}</td><td>{e(o.status.replace('_', ' '))}</td>"
        f"<td class=nw>{o.answered} of {o.items}</td><td class=nw>{e(_when(o.started))}</td><td><code>{e(o.path)}</code></td></tr>"
        for o in report.open_attempts
    )
    open_html = (
        "<h2>Open attempts (not counted)</h2><table><tr><th>Learner</th><th>Attempt</th>"
        f"<th>Status</th><th>Answered</th><th>Started (UTC)</th><th>File</th></tr>{open_rows}</table>"
        if open_rows
        else ""
    )
    warnings = "".join(f"<p class=warn>{e(w)}</p>" for w in report.warnings)
    skipped = "".join(f"<li><code>{e(s)}</code></li>" for s in report.skipped)
    notes = "".join(f"<li>{e(n)}</li>" for n in report.notes)
    pass_line = (
        f"<p class=pass>Pass mark {t.pass_mark:g}% (the session's): <b>{t.passed}</b> of "
        f"{t.attempts} passed.</p>"
        if t.pass_mark is not None
        else ""
    )
    se = (
        f"{_points(round(t.standard_error, 2))} points ({pct(t.standard_error_percent)} of the maximum mark)"
        if t.standard_error is not None
        else "-"
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(report.title)}: class report</title>
<style>
body {{ font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #222; }}
table {{ border-collapse: collapse; width: 100%; margin: 1rem 0 2rem; }}
th, td {{ text-align: left; vertical-align: top; padding: .35rem .6rem; border-bottom: 1px solid #ddd; }}
th {{ background: #f4f4f4; }}
td.num {{ font-weight: 600; }} td.nw {{ white-space: nowrap; }}
p.q {{ margin: 0 0 .2rem; font-weight: 500; }}
.flag {{ display: inline-block; background: #fdecea; color: #8a1c14; border-radius: 3px; padding: 0 .4rem; margin: 0 .2rem .2rem 0; font-size: 90%; }}
table.opts {{ width: auto; margin: .4rem 0 0; font-size: 90%; }}
table.opts td, table.opts th {{ padding: .1rem .5rem; border: 0; background: none; }}
tr.key td {{ background: #e6f4ea; font-weight: 600; }}
.answer {{ margin: .3rem 0 0; background: #e6f4ea; padding: .2rem .4rem; display: inline-block; }}
.na {{ color: #999; }} dl {{ display: grid; grid-template-columns: max-content auto; gap: .2rem 1rem; }}
dt {{ font-weight: 600; }}
.warn {{ background: #fff4e5; border-left: 4px solid #e8a33d; padding: .4rem .8rem; }}
table.grid {{ width: auto; }}
table.grid td, table.grid th {{ text-align: center; padding: .25rem .45rem; border: 1px solid #fff; }}
table.grid th[scope=row] {{ text-align: left; }}
table.grid td.m-full {{ background: #2b7a3d; color: #fff; }}
table.grid td.m-partial {{ background: #f2c14e; color: #222; }}
table.grid td.m-wrong {{ background: #b3261e; color: #fff; }}
table.grid td.m-blank {{ background: #ddd; color: #555; }}
table.grid td.tot {{ background: none; text-align: right; }}
.sr {{ position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }}
</style></head><body>
<h1>{e(report.title)}: class report</h1>
<dl>
<dt>Learners</dt><dd>{t.learners} ({t.attempts} attempts counted: {e(WHICH.get(report.attempts_counted, report.attempts_counted))})</dd>
<dt>Items</dt><dd>{t.items} (maximum {_points(t.max)} points)</dd>
<dt>Mean / median</dt><dd>{pct(t.mean_percent)} / {pct(t.median_percent)} of the maximum mark (standard deviation {pct(t.sd_percent)})</dd>
<dt>Internal consistency (CIC)</dt><dd>{pct(t.cic)} &middot; error ratio {pct(t.error_ratio)} &middot; standard error {se}</dd>
</dl>
{pass_line}
{warnings}
<h2>Who got what</h2>
<p>{e(LEGEND)}. Hover a square for the question and the learner's answer; the numbers lead to the items below.</p>
{_grid_html(report)}
<h2>Items</h2>
<p>F: facility index (% of the marks the class earned). D: discrimination index (item-rest
correlation &times; 100). DE: discriminative efficiency (D relative to the best these marks
allow). Flags point at items worth reviewing: DE under 15, nearly everyone or nobody right,
options nobody picked. The key is marked in green.</p>
<table><tr><th>#</th><th>Question, answer key and options picked</th><th>F</th><th>D</th><th>DE</th><th>Flags</th></tr>
{"".join(_item_html(i) for i in report.items)}
</table>
<h2>Learners</h2>
<table><tr><th>Name</th>{"<th>Attempt</th>" if show_attempt else ""}<th>Score</th><th>%</th><th>Result</th><th>Time</th><th>By topic</th><th>By clinical-judgment step</th></tr>
{learners}
</table>
{open_html}
{f"<h2>Files skipped</h2><ul>{skipped}</ul>" if skipped else ""}
{f"<h2>Notes</h2><ul>{notes}</ul>" if notes else ""}
</body></html>
"""
