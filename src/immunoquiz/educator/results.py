"""Results files: one JSON file per learner attempt at an exam session.

A results file is self-contained (it holds option texts and picks), so a report
can be made on any machine without the banks. The format is documented in
docs/sessions.md; `read_results` checks every field it relies on and turns a
bad file into one plain sentence instead of an exception.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

RESULTS_FORMAT = "immunoquiz-results"
RESULTS_VERSION = 1


@dataclass(frozen=True)
class PartResult:
    """A scored part of a case, kept for per-step breakdowns."""

    id: str
    step: str | None
    score: float
    max: float


@dataclass(frozen=True)
class ItemResult:
    id: str  # "bank-id/item-id"
    type: str
    topic: str
    step: str | None
    score: float
    max: float
    seconds: float
    response: dict[str, Any] | None  # Response.to_json(), None when unanswered
    # For choice items: option labels in bank order and the indices picked.
    options: tuple[str, ...] = ()
    picked: tuple[int, ...] = ()
    parts: tuple[PartResult, ...] = ()


@dataclass(frozen=True)
class Attempt:
    session_title: str
    session_hash: str
    learner: str
    started: datetime
    ended: datetime
    items: tuple[ItemResult, ...]
    pass_mark: float | None = None  # percent
    banks: dict[str, str] = field(default_factory=dict)  # bank id -> content hash
    timed_out: bool = False
    path: str = ""

    @property
    def score(self) -> float:
        return sum(i.score for i in self.items)

    @property
    def max(self) -> float:
        return sum(i.max for i in self.items)


@dataclass(frozen=True)
class ResultsProblem:
    path: str
    message: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}" if self.line else self.path
        return f"{where}: {self.message}"


def slug(text: str) -> str:
    """A filename-safe, readable fragment of a title or learner name."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40] or "x"


def attempt_to_json(attempt: Attempt) -> dict[str, Any]:
    return {
        "format": RESULTS_FORMAT,
        "version": RESULTS_VERSION,
        "session": {
            "title": attempt.session_title,
            "hash": attempt.session_hash,
            "pass_mark": attempt.pass_mark,
        },
        "banks": dict(attempt.banks),
        "learner": attempt.learner,
        "started": attempt.started.isoformat(),
        "ended": attempt.ended.isoformat(),
        "timed_out": attempt.timed_out,
        "items": [
            {
                "id": i.id,
                "type": i.type,
                "topic": i.topic,
                "step": i.step,
                "score": i.score,
                "max": i.max,
                "seconds": round(i.seconds, 3),
                "response": i.response,
                "options": list(i.options),
                "picked": list(i.picked),
                "parts": [
                    {"id": p.id, "step": p.step, "score": p.score, "max": p.max} for p in i.parts
                ],
            }
            for i in attempt.items
        ],
    }


def write_results(attempt: Attempt, directory: Path) -> Path:
    """Write atomically under a name no other learner's file can take.

    The name carries session, learner and start time for humans; a numeric
    suffix settles the (rare) collision of two identical names, and O_EXCL on
    the final link means two machines writing to one shared folder never
    overwrite each other.
    """
    directory.mkdir(parents=True, exist_ok=True)
    stamp = attempt.started.strftime("%Y%m%dT%H%M%S")
    base = f"{slug(attempt.session_title)}--{slug(attempt.learner)}--{stamp}"
    data = json.dumps(attempt_to_json(attempt), indent=2, ensure_ascii=False) + "\n"
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".results-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        for n in range(1000):
            target = directory / (f"{base}.json" if n == 0 else f"{base}-{n + 1}.json")
            try:
                os.link(tmp, target)  # fails if target exists: never overwrite
            except FileExistsError:
                continue
            except OSError:
                # No hard links here (FAT/exFAT USB sticks): claim the name exclusively.
                try:
                    fd_target = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
                except FileExistsError:
                    continue
                with os.fdopen(fd_target, "w", encoding="utf-8") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
            return target
        raise OSError(f"no free results file name for {base} in {directory}")
    finally:
        os.unlink(tmp)


class _Bad(Exception):
    pass


def _get(data: dict[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    if key not in data:
        raise _Bad(f"missing '{key}'")
    value = data[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise _Bad(f"'{key}' has the wrong type")
    return value


def _time(text: str, key: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise _Bad(f"'{key}' is not an ISO date-time") from exc
    if value.tzinfo is None:
        raise _Bad(f"'{key}' has no time zone")
    return value


def _number(data: dict[str, Any], key: str) -> float:
    return float(_get(data, key, (int, float)))


def attempt_from_json(data: Any, path: str = "") -> Attempt:
    """Parse one results document; raises ValueError with a plain sentence."""
    try:
        if not isinstance(data, dict) or data.get("format") != RESULTS_FORMAT:
            raise _Bad("not an immunoquiz results file")
        if data.get("version") != RESULTS_VERSION:
            raise _Bad(f"results version {data.get('version')!r} is not supported")
        session = _get(data, "session", dict)
        items = []
        for raw in _get(data, "items", list):
            if not isinstance(raw, dict):
                raise _Bad("an item entry is not an object")
            response = raw.get("response")
            if response is not None and not isinstance(response, dict):
                raise _Bad(f"item {raw.get('id')!r}: 'response' has the wrong type")
            parts = tuple(
                PartResult(
                    str(_get(p, "id", str)),
                    p.get("step") if isinstance(p.get("step"), str) else None,
                    _number(p, "score"),
                    _number(p, "max"),
                )
                for p in raw.get("parts", [])
                if isinstance(p, dict)
            )
            items.append(
                ItemResult(
                    id=_get(raw, "id", str),
                    type=_get(raw, "type", str),
                    topic=_get(raw, "topic", str),
                    step=raw.get("step") if isinstance(raw.get("step"), str) else None,
                    score=_number(raw, "score"),
                    max=_number(raw, "max"),
                    seconds=float(raw.get("seconds") or 0.0),
                    response=response,
                    options=tuple(str(o) for o in raw.get("options", [])),
                    picked=tuple(int(i) for i in raw.get("picked", [])),
                    parts=parts,
                )
            )
        ids = [i.id for i in items]
        if len(set(ids)) != len(ids):
            raise _Bad("an item appears twice")
        for item in items:
            if not 0 <= item.score <= item.max:
                raise _Bad(f"item {item.id!r}: score {item.score} is outside 0..{item.max}")
            if any(not 0 <= p < len(item.options) for p in item.picked):
                raise _Bad(f"item {item.id!r}: a picked option does not exist")
        pass_mark = session.get("pass_mark")
        return Attempt(
            session_title=_get(session, "title", str),
            session_hash=_get(session, "hash", str),
            learner=_get(data, "learner", str).strip() or "(no name)",
            started=_time(_get(data, "started", str), "started"),
            ended=_time(_get(data, "ended", str), "ended"),
            items=tuple(items),
            pass_mark=float(pass_mark) if isinstance(pass_mark, (int, float)) else None,
            banks={str(k): str(v) for k, v in (data.get("banks") or {}).items()},
            timed_out=bool(data.get("timed_out", False)),
            path=path,
        )
    except _Bad as exc:
        raise ValueError(str(exc)) from None
    except (TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise ValueError(f"malformed results file ({exc})") from None


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given; folders searched recursively for *.json, sorted."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*.json") if q.is_file()))
        else:
            out.append(p)
    return out


@dataclass
class LoadedResults:
    attempts: list[Attempt]
    problems: list[ResultsProblem]
    notes: list[str]  # things done on purpose, e.g. an earlier attempt replaced


def read_results(
    paths: list[Path], *, session_hash: str | None = None, session_items: list[str] | None = None
) -> LoadedResults:
    """Read, check and de-duplicate results files; bad files are reported and skipped.

    Without `session_hash`, the session is the one most files belong to; without
    `session_items`, its items are those present in most of its files.
    """
    problems: list[ResultsProblem] = []
    notes: list[str] = []
    parsed: list[Attempt] = []
    for path in expand_paths(paths):
        where = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            problems.append(ResultsProblem(where, "no such file (skipped)"))
            continue
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(ResultsProblem(where, f"cannot read: {exc} (skipped)"))
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            problems.append(
                ResultsProblem(where, f"not valid JSON: {exc.msg} (skipped)", exc.lineno, exc.colno)
            )
            continue
        except RecursionError:
            problems.append(
                ResultsProblem(where, "not a results file: nested too deeply (skipped)")
            )
            continue
        try:
            parsed.append(attempt_from_json(data, where))
        except ValueError as exc:
            problems.append(ResultsProblem(where, f"{exc} (skipped)"))

    if not parsed:
        return LoadedResults([], problems, notes)

    if session_hash is None:
        counts: dict[str, int] = {}
        for a in parsed:
            counts[a.session_hash] = counts.get(a.session_hash, 0) + 1
        session_hash = max(counts, key=lambda h: (counts[h], -_first(parsed, h)))
    same = []
    for a in parsed:
        if a.session_hash != session_hash:
            problems.append(
                ResultsProblem(
                    a.path,
                    f"belongs to a different session ({a.session_title!r}, "
                    f"hash {a.session_hash[:12]}) (skipped)",
                )
            )
        else:
            same.append(a)

    # The session hash covers the session file only: an edited bank changes what its
    # items mean, so results taken with another version are kept out of this report.
    versions: dict[tuple[tuple[str, str], ...], int] = {}
    for a in same:
        version: tuple[tuple[str, str], ...] = tuple(sorted(a.banks.items()))
        versions[version] = versions.get(version, 0) + 1
    usual = dict(max(versions.items(), key=lambda kv: kv[1])[0]) if versions else {}
    current = []
    for a in same:
        changed = sorted(b for b, h in a.banks.items() if usual.get(b, h) != h)
        if changed:
            problems.append(
                ResultsProblem(
                    a.path,
                    f"was taken with another version of bank '{changed[0]}' than most "
                    "results (skipped)",
                )
            )
        else:
            current.append(a)
    same = current

    if session_items is None:
        tally: dict[str, int] = {}
        for a in same:
            for item in a.items:
                tally[item.id] = tally.get(item.id, 0) + 1
        session_items = [i for i, n in tally.items() if n * 2 > len(same)]
    known = set(session_items)
    checked = []
    for a in same:
        ids = {i.id for i in a.items}
        unknown = [i.id for i in a.items if i.id not in known]
        missing = [i for i in session_items if i not in ids]
        if unknown:
            problems.append(
                ResultsProblem(a.path, f"item {unknown[0]!r} is not in this session (skipped)")
            )
        elif missing:
            problems.append(
                ResultsProblem(a.path, f"item {missing[0]!r} of this session is missing (skipped)")
            )
        else:
            checked.append(a)

    latest: dict[str, Attempt] = {}
    for a in checked:
        key = a.learner.casefold()
        earlier = latest.get(key)
        if earlier is None:
            latest[key] = a
            continue
        keep, drop = (a, earlier) if a.ended >= earlier.ended else (earlier, a)
        latest[key] = keep
        notes.append(
            f"{drop.path}: {drop.learner} has a later attempt in {keep.path}; keeping the latest"
        )
    attempts = sorted(latest.values(), key=lambda a: a.learner.casefold())
    return LoadedResults(attempts, problems, notes)


def _first(attempts: list[Attempt], session_hash: str) -> int:
    return next(i for i, a in enumerate(attempts) if a.session_hash == session_hash)
