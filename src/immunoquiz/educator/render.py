"""A ClassReport as a terminal table, CSV, JSON or one self-contained HTML page.

Learner names and option texts are data from outside: CSV cells that a
spreadsheet would run as a formula are neutralised, HTML is escaped.
"""

from __future__ import annotations

import csv
import html
import io
import json
from dataclasses import asdict
from typing import Any

from immunoquiz.educator.analysis import ClassReport, ItemRow


def fmt(x: float | None, digits: int = 0) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def _pass(passed: bool | None) -> str:
    return "-" if passed is None else ("pass" if passed else "FAIL")


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def to_text(report: ClassReport) -> str:
    t = report.test
    out = [f"{report.title}: {t.learners} learners, {t.items} items"]
    out.append(
        f"mean {fmt(t.mean_percent)}%  median {fmt(t.median_percent)}%  sd {fmt(t.sd_percent)}%  "
        f"CIC {fmt(t.cic, 1)}  error ratio {fmt(t.error_ratio, 1)}  SE {fmt(t.standard_error, 2)}"
    )
    if t.pass_mark is not None:
        out.append(f"pass mark {t.pass_mark:g}%: {t.passed} of {t.learners} passed")
    out.append("")
    out.append("Learners")
    out += _table(
        ["name", "score", "%", "result", "min", "by topic"],
        [
            [
                r.name,
                f"{r.score:g}/{r.max:g}",
                fmt(r.percent),
                _pass(r.passed) + (" (time out)" if r.timed_out else ""),
                fmt(r.minutes),
                ", ".join(f"{k} {fmt(v.percent)}%" for k, v in r.by_topic.items()),
            ]
            for r in report.learners
        ],
    )
    out.append("")
    out.append("Items (F facility, D discrimination, DE discriminative efficiency, all %)")
    out += _table(
        ["item", "type", "F", "D", "DE", "flags"],
        [
            [
                i.id,
                i.type,
                fmt(i.facility),
                fmt(i.discrimination),
                fmt(i.efficiency),
                "; ".join(i.flags),
            ]
            for i in report.items
        ],
    )
    choice = [i for i in report.items if i.option_counts]
    if choice:
        out.append("")
        out.append("Options picked (learners)")
        for i in choice:
            out.append(f"  {i.id}")
            for label, n in i.option_counts:
                out.append(f"    {n:>3}  {label}")
    for note in report.notes:
        out.append(f"note: {note}")
    return "\n".join(out) + "\n"


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


def to_csv(report: ClassReport) -> str:
    """Three tables in one file, a blank row apart: items, options picked, learners."""
    buf = io.StringIO()
    w = csv.writer(buf)

    def rows(header: list[str], body: list[tuple[Any, ...]]) -> None:
        w.writerow(header)
        w.writerows([safe_cell(c) for c in row] for row in body)

    rows(
        [
            "item",
            "type",
            "topic",
            "n",
            "max",
            "facility",
            "discrimination",
            "discriminative_efficiency",
            "sd",
            "flags",
        ],
        [
            (
                i.id,
                i.type,
                i.topic,
                i.n,
                i.max,
                fmt(i.facility, 1),
                fmt(i.discrimination, 1),
                fmt(i.efficiency, 1),
                fmt(i.sd, 3),
                "; ".join(i.flags),
            )
            for i in report.items
        ],
    )
    w.writerow([])
    rows(
        ["item", "option", "picked_by"],
        [(i.id, label, n) for i in report.items for label, n in i.option_counts],
    )
    w.writerow([])
    rows(
        ["learner", "score", "max", "percent", "result", "timed_out", "minutes"],
        [
            (
                r.name,
                r.score,
                r.max,
                fmt(r.percent, 1),
                _pass(r.passed),
                r.timed_out,
                fmt(r.minutes, 1),
            )
            for r in report.learners
        ],
    )
    return buf.getvalue()


def to_json(report: ClassReport) -> str:
    return json.dumps(asdict(report), indent=2, ensure_ascii=False) + "\n"


def _bar(value: float | None, lo: float = 0, hi: float = 100, width: int = 160) -> str:
    """An inline SVG bar; negative values (discrimination) grow left from the middle."""
    if value is None:
        return "<span class=na>-</span>"
    if lo < 0:
        mid = width / 2
        w = abs(value) / hi * mid
        x = mid if value >= 0 else mid - w
        colour = "#2b7a3d" if value >= 0 else "#b3261e"
        return (
            f'<svg width="{width}" height="12" role="img" aria-label="{value:.0f}">'
            f'<line x1="{mid}" x2="{mid}" y1="0" y2="12" stroke="#888"/>'
            f'<rect x="{x:.1f}" y="2" width="{w:.1f}" height="8" fill="{colour}"/></svg>'
        )
    w = max(0.0, min(value, hi)) / hi * width
    return (
        f'<svg width="{width}" height="12" role="img" aria-label="{value:.0f}">'
        f'<rect x="0" y="2" width="{width}" height="8" fill="#eee"/>'
        f'<rect x="0" y="2" width="{w:.1f}" height="8" fill="#1f5fa8"/></svg>'
    )


def _item_html(i: ItemRow) -> str:
    e = html.escape
    opts = ""
    if i.option_counts:
        top = max(n for _, n in i.option_counts) or 1
        opts = (
            "<ul class=opts>"
            + "".join(
                f"<li>{_bar(n, 0, top, 80)} {n} &middot; {e(label)}</li>"
                for label, n in i.option_counts
            )
            + "</ul>"
        )
    flags = "".join(f"<span class=flag>{e(f)}</span>" for f in i.flags)
    return (
        f"<tr><td><code>{e(i.id)}</code><br><small>{e(i.type)} &middot; {e(i.topic)}</small>{opts}</td>"
        f"<td>{fmt(i.facility)}<br>{_bar(i.facility)}</td>"
        f"<td>{fmt(i.discrimination)}<br>{_bar(i.discrimination, -100)}</td>"
        f"<td>{fmt(i.efficiency)}<br>{_bar(i.efficiency, -100)}</td><td>{flags}</td></tr>"
    )


def to_html(report: ClassReport) -> str:
    e = html.escape
    t = report.test
    learners = "".join(
        f"<tr><td>{e(r.name)}</td><td>{r.score:g}/{r.max:g}</td><td>{fmt(r.percent)}%<br>{_bar(r.percent)}</td>"
        f"<td>{_pass(r.passed)}{' (time out)' if r.timed_out else ''}</td>"
        f"<td>{e(', '.join(f'{k} {fmt(v.percent)}%' for k, v in r.by_topic.items()))}</td>"
        f"<td>{e(', '.join(f'{k} {fmt(v.percent)}%' for k, v in r.by_step.items()))}</td></tr>"
        for r in report.learners
    )
    notes = "".join(f"<li>{e(n)}</li>" for n in report.notes)
    pass_line = (
        f"<p>Pass mark {t.pass_mark:g}%: <b>{t.passed}</b> of {t.learners} passed.</p>"
        if t.pass_mark is not None
        else ""
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(report.title)}: class report</title>
<style>
body {{ font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; color: #222; }}
table {{ border-collapse: collapse; width: 100%; margin: 1rem 0 2rem; }}
th, td {{ text-align: left; vertical-align: top; padding: .35rem .6rem; border-bottom: 1px solid #ddd; }}
th {{ background: #f4f4f4; }}
.flag {{ display: inline-block; background: #fdecea; color: #8a1c14; border-radius: 3px; padding: 0 .4rem; margin: 0 .2rem .2rem 0; font-size: 90%; }}
ul.opts {{ list-style: none; padding: 0; margin: .3rem 0 0; font-size: 90%; }}
.na {{ color: #999; }} dl {{ display: grid; grid-template-columns: max-content auto; gap: .2rem 1rem; }}
dt {{ font-weight: 600; }}
</style></head><body>
<h1>{e(report.title)}</h1>
<dl>
<dt>Learners</dt><dd>{t.learners}</dd><dt>Items</dt><dd>{t.items} (maximum {t.max:g} points)</dd>
<dt>Mean / median</dt><dd>{fmt(t.mean_percent)}% / {fmt(t.median_percent)}% (sd {fmt(t.sd_percent)}%)</dd>
<dt>Internal consistency (CIC)</dt><dd>{fmt(t.cic, 1)} &middot; error ratio {fmt(t.error_ratio, 1)} &middot; standard error {fmt(t.standard_error, 2)} points</dd>
</dl>
{pass_line}
<h2>Items</h2>
<p>F: facility index (% of the marks the class earned). D: discrimination index (item-rest
correlation &times; 100). DE: discriminative efficiency (D relative to the best these marks
allow). Flags point at items worth reviewing: DE under 15, nearly everyone or nobody right,
options nobody picked.</p>
<table><tr><th>Item and options picked</th><th>F</th><th>D</th><th>DE</th><th>Flags</th></tr>
{"".join(_item_html(i) for i in report.items)}
</table>
<h2>Learners</h2>
<table><tr><th>Name</th><th>Score</th><th>%</th><th>Result</th><th>By topic</th><th>By clinical-judgment step</th></tr>
{learners}
</table>
{f"<h2>Notes</h2><ul>{notes}</ul>" if notes else ""}
</body></html>
"""
