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
RESULTS_VERSION = 2  # what is written; version 1 files stay readable
READABLE_VERSIONS = (1, 2)
OPEN_STATUSES = ("in_progress", "interrupted")
FINAL_STATUSES = ("submitted", "time_up", "ended_by_educator")


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
    flagged: bool = False


@dataclass(frozen=True)
class AttemptResult:
    """One results file, parsed (or about to be written): what an attempt recorded."""

    session_title: str
    session_hash: str
    learner: str  # display name
    started: datetime
    ended: datetime | None  # None while the attempt is open
    items: tuple[ItemResult, ...]
    pass_mark: float | None = None  # percent
    banks: dict[str, str] = field(default_factory=dict)  # bank id -> content hash
    timed_out: bool = False
    path: str = ""
    learner_id: str = ""  # profile id (exam) or server-made id (class); "" in version 1
    attempt: int = 1  # 1, 2, ... for this learner and session
    status: str = "submitted"  # one of OPEN_STATUSES or FINAL_STATUSES
    deadline: datetime | None = None

    @property
    def final(self) -> bool:
        return self.status in FINAL_STATUSES

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


def learner_id_of(attempt: AttemptResult) -> str:
    """The learner id a file is filed under (version 1 files: derived from the name)."""
    return attempt.learner_id or slug(attempt.learner)


def results_name(session_title: str, learner_id: str, attempt: int) -> str:
    """`<session-slug>--<learner-id-slug>--a<attempt>.json`: never the display name."""
    return f"{slug(session_title)}--{slug(learner_id)}--a{attempt}.json"


def attempt_to_json(attempt: AttemptResult) -> dict[str, Any]:
    """The version-2 document (docs/sessions.md, "Results files")."""
    return {
        "format": RESULTS_FORMAT,
        "version": RESULTS_VERSION,
        "session": {
            "title": attempt.session_title,
            "hash": attempt.session_hash,
            "pass_mark": attempt.pass_mark,
        },
        "banks": dict(attempt.banks),
        "learner": {"id": learner_id_of(attempt), "name": attempt.learner},
        "attempt": attempt.attempt,
        "status": attempt.status,
        "started": attempt.started.isoformat(),
        "deadline": attempt.deadline.isoformat() if attempt.deadline else None,
        "ended": attempt.ended.isoformat() if attempt.ended else None,
        "timed_out": attempt.status == "time_up" or attempt.timed_out,
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
                "flagged": i.flagged,
            }
            for i in attempt.items
        ],
    }


def _dumps(attempt: AttemptResult) -> str:
    # allow_nan=False: a NaN would make the file unreadable by strict JSON readers.
    return json.dumps(attempt_to_json(attempt), indent=2, ensure_ascii=False, allow_nan=False)


def _temp_copy(directory: Path, data: str) -> str:
    """`data` in a new, fsynced file of `directory` (created with the process umask)."""
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".results-", suffix=".tmp")
    try:
        # mkstemp makes the file 0600; results are for the educator: honour the umask.
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data + "\n")
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def replace_results(attempt: AttemptResult, path: Path) -> Path:
    """Write `attempt` to `path` atomically: unique temp file, fsync, rename over.

    A reader (or a crash) sees either the previous version or this one, never half.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_copy(path.parent, _dumps(attempt))
    try:
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return path


def claim_results(attempt: AttemptResult, path: Path) -> bool:
    """Create `path` with `attempt` only if no file has that name; False if one does.

    Two processes starting the same attempt number race here: exactly one wins.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_copy(path.parent, _dumps(attempt))
    try:
        os.link(tmp, path)  # fails if the name exists: never overwrite
        return True
    except FileExistsError:
        return False
    except OSError:
        # No hard links here (FAT/exFAT USB sticks): claim the name exclusively.
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
        except FileExistsError:
            return False
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(_dumps(attempt) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        return True
    finally:
        os.unlink(tmp)


def write_results(attempt: AttemptResult, directory: Path) -> Path:
    """Write a new results file under a name no other file has (a suffix if taken).

    For one-off writers (tests, imports); an exam attempt keeps its own file up
    to date with `replace_results`.
    """
    base = results_name(attempt.session_title, learner_id_of(attempt), attempt.attempt)
    stem = base.removesuffix(".json")
    for n in range(1000):
        target = directory / (base if n == 0 else f"{stem}-{n + 1}.json")
        if claim_results(attempt, target):
            return target
    raise OSError(f"no free results file name for {stem} in {directory}")


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


def attempt_from_json(data: Any, path: str = "") -> AttemptResult:
    """Parse one results document; raises ValueError with a plain sentence."""
    try:
        if not isinstance(data, dict) or data.get("format") != RESULTS_FORMAT:
            raise _Bad("not an immunoquiz results file")
        version = data.get("version")
        if version not in READABLE_VERSIONS:
            raise _Bad(f"results version {version!r} is not supported")
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
                    flagged=raw.get("flagged") is True,
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
        timed_out = bool(data.get("timed_out", False))
        if version == 1:
            learner = _get(data, "learner", str).strip() or "(no name)"
            learner_id, number = "", 1
            status = "time_up" if timed_out else "submitted"
            ended: datetime | None = _time(_get(data, "ended", str), "ended")
            deadline = None
        else:
            who = _get(data, "learner", dict)
            learner = _get(who, "name", str).strip() or "(no name)"
            learner_id = _get(who, "id", str)
            number = _get(data, "attempt", int)
            status = _get(data, "status", str)
            if status not in OPEN_STATUSES + FINAL_STATUSES:
                raise _Bad(f"unknown status {status!r}")
            ended = None if data.get("ended") is None else _time(_get(data, "ended", str), "ended")
            if ended is None and status in FINAL_STATUSES:
                raise _Bad(f"a {status} attempt has no 'ended' time")
            raw_deadline = data.get("deadline")
            deadline = None if raw_deadline is None else _time(str(raw_deadline), "deadline")
        return AttemptResult(
            session_title=_get(session, "title", str),
            session_hash=_get(session, "hash", str),
            learner=learner,
            started=_time(_get(data, "started", str), "started"),
            ended=ended,
            items=tuple(items),
            pass_mark=float(pass_mark) if isinstance(pass_mark, (int, float)) else None,
            banks={str(k): str(v) for k, v in (data.get("banks") or {}).items()},
            timed_out=status == "time_up",
            path=path,
            learner_id=learner_id,
            attempt=number,
            status=status,
            deadline=deadline,
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
    attempts: list[AttemptResult]
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
    parsed: list[AttemptResult] = []
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
            one = attempt_from_json(data, where)
        except ValueError as exc:
            problems.append(ResultsProblem(where, f"{exc} (skipped)"))
            continue
        if one.final:
            parsed.append(one)
        else:
            notes.append(f"{where}: {one.learner}'s attempt is open ({one.status}); not counted")

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

    latest: dict[str, AttemptResult] = {}
    for a in checked:
        key = a.learner_id or a.learner.casefold()
        earlier = latest.get(key)
        if earlier is None:
            latest[key] = a
            continue
        keep, drop = (a, earlier) if _ended(a) >= _ended(earlier) else (earlier, a)
        latest[key] = keep
        notes.append(
            f"{drop.path}: {drop.learner} has a later attempt in {keep.path}; keeping the latest"
        )
    attempts = sorted(latest.values(), key=lambda a: a.learner.casefold())
    return LoadedResults(attempts, problems, notes)


def _ended(attempt: AttemptResult) -> datetime:
    return attempt.ended or attempt.started


def _first(attempts: list[AttemptResult], session_hash: str) -> int:
    return next(i for i, a in enumerate(attempts) if a.session_hash == session_hash)
