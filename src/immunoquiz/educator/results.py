"""Results files: one JSON file per learner attempt at an exam session.

A results file is self-contained (it holds option texts and picks), so a report
can be made on any machine without the banks. The format is documented in
docs/sessions.md; `read_results` checks every field it relies on and turns a
bad file into one plain sentence instead of an exception.
"""

from __future__ import annotations

import json
import math
import os
import re
import unicodedata
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from immunoquiz.records import dataclass, field
from immunoquiz.special_files import FileTooLarge, NotRegularFile, read_regular

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
    # What the item asked and its answer key, when the writer records them (optional;
    # the report fills them from the banks otherwise). `key`: indices into `options`.
    question: str = ""
    answer: str = ""
    key: tuple[int, ...] = ()
    # A case's parts answered so far (Response.to_json() each) while the item has no
    # response yet: an open attempt keeps them across a restart. Never in a final file.
    draft: tuple[dict[str, Any], ...] = ()


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
                # the question and its key make a final file readable without the banks;
                # a draft never holds the key, whoever can read the results folder
                **(_key_fields(i) if attempt.final else {}),
                **({"draft": list(i.draft)} if i.draft and not attempt.final else {}),
            }
            for i in attempt.items
        ],
    }


def _key_fields(item: ItemResult) -> dict[str, Any]:
    """The optional question and answer-key keys, written only when the writer set them."""
    fields: dict[str, Any] = {}
    if item.question:
        fields["question"] = item.question
    if item.answer:
        fields["answer"] = item.answer
    if item.key:
        fields["key"] = list(item.key)
    return fields


def _dumps(attempt: AttemptResult) -> str:
    """The file's text: one top-level key per line, and one line per item.

    Easy to read and diff, and every value goes through json's C encoder (`indent`
    would turn it off): the file is rewritten after every answer.
    """
    doc = attempt_to_json(attempt)
    items = doc.pop("items")
    lines = [f"  {_json(key)}: {_json(value)}," for key, value in doc.items()]
    rows = ",\n".join(f"    {_json(item)}" for item in items)
    return "{\n" + "\n".join(lines) + '\n  "items": [\n' + rows + "\n  ]\n}"


def _json(value: Any) -> str:
    # allow_nan=False: a NaN would make the file unreadable by strict JSON readers.
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _temp_copy(directory: Path, data: str) -> str:
    """`data` in a new, fsynced file of `directory`, named uniquely.

    One open with O_EXCL and mode 0666 (the kernel applies the process umask: results
    are for the educator), one write, one fsync: the least a durable answer costs.
    """
    payload = (data + "\n").encode("utf-8")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    while True:
        # os.urandom(8).hex() is secrets.token_hex(8), without importing secrets
        tmp = os.path.join(directory, f".results-{os.urandom(8).hex()}.tmp")
        try:
            fd = os.open(tmp, flags, 0o666)
            break
        except FileExistsError:
            continue
    try:
        try:
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def _in_folder(path: Path, data: str) -> str:
    """`_temp_copy` beside `path`, making the folder only when it is missing."""
    try:
        return _temp_copy(path.parent, data)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        return _temp_copy(path.parent, data)


def replace_results(attempt: AttemptResult, path: Path) -> Path:
    """Write `attempt` to `path` atomically: unique temp file, fsync, rename over.

    A reader (or a crash) sees either the previous version or this one, never half.
    """
    tmp = _in_folder(path, _dumps(attempt))
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
    tmp = _in_folder(path, _dumps(attempt))
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


# ---------------------------------------------------------------------------------------
# Reading: every file is checked before it counts, so one crafted or broken file is
# skipped with its reason instead of spoiling the class's figures.

MAX_RESULTS_BYTES = 5_000_000  # a 200-item attempt is ~200 kB; more is not a results file
MAX_MARK = 1000.0  # no item is worth more; beyond this a number is not a mark
MAX_SECONDS = 7 * 24 * 3600.0  # a week on one item or attempt is not a real duration
MAX_ATTEMPT = 10_000
_LEARNER_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_TOLERANCE = 1e-6  # fractional (pairs) scoring leaves float noise in sums

ATTEMPT_CHOICES = ("first", "last", "best", "all")


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


def _number(data: dict[str, Any], key: str, lo: float = 0.0, hi: float = MAX_MARK) -> float:
    """A finite number in lo..hi: NaN, Infinity and 1e308 never reach a mean."""
    value = float(_get(data, key, (int, float)))
    if not math.isfinite(value):
        raise _Bad(f"'{key}' is not a finite number")
    if not lo <= value <= hi:
        raise _Bad(f"'{key}' {value:g} is outside {lo:g}..{hi:g}")
    return value


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def _indices(raw: Any, key: str, size: int) -> tuple[int, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or any(type(i) is not int for i in raw):
        raise _Bad(f"'{key}' is not a list of option numbers")
    if any(not 0 <= i < size for i in raw) or len(set(raw)) != len(raw):
        raise _Bad(f"'{key}' names an option that does not exist, or one twice")
    return tuple(raw)


def _part(raw: Any) -> PartResult:
    if not isinstance(raw, dict):
        raise _Bad("a case part is not an object")
    part = PartResult(
        _get(raw, "id", str),
        raw.get("step") if isinstance(raw.get("step"), str) else None,
        _number(raw, "score"),
        _number(raw, "max"),
    )
    if part.score > part.max + _TOLERANCE:
        raise _Bad(f"case part {part.id!r}: score {part.score:g} is above its max {part.max:g}")
    return part


def _item(raw: Any) -> ItemResult:
    if not isinstance(raw, dict):
        raise _Bad("an item entry is not an object")
    item_id = _get(raw, "id", str)
    try:
        response = raw.get("response")
        if response is not None and not isinstance(response, dict):
            raise _Bad("'response' has the wrong type")
        options = raw.get("options", [])
        if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
            raise _Bad("'options' is not a list of texts")
        parts = tuple(_part(p) for p in (raw.get("parts") or []))
        draft = raw.get("draft") or []
        if not isinstance(draft, list) or not all(isinstance(d, dict) for d in draft):
            raise _Bad("'draft' is not a list of part answers")
        score, max_ = _number(raw, "score"), _number(raw, "max")
        if max_ <= 0:
            raise _Bad("'max' must be above 0")
        if score > max_ + _TOLERANCE:
            raise _Bad(f"score {score:g} is above its max {max_:g}")
        if parts and (
            abs(sum(p.max for p in parts) - max_) > _TOLERANCE
            or abs(sum(p.score for p in parts) - score) > _TOLERANCE
        ):
            raise _Bad("the case parts' scores do not add up to the item's score")
        seconds = raw.get("seconds")
        return ItemResult(
            id=item_id,
            type=_get(raw, "type", str),
            topic=_get(raw, "topic", str),
            step=raw.get("step") if isinstance(raw.get("step"), str) else None,
            score=min(score, max_),
            max=max_,
            seconds=0.0 if seconds is None else _number(raw, "seconds", 0.0, MAX_SECONDS),
            response=response,
            options=tuple(options),
            picked=_indices(raw.get("picked"), "picked", len(options)),
            parts=parts,
            flagged=raw.get("flagged") is True,
            question=_text(raw, "question"),
            answer=_text(raw, "answer"),
            key=_indices(raw.get("key"), "key", len(options)),
            draft=tuple(draft),
        )
    except _Bad as exc:
        raise _Bad(f"item {item_id!r}: {exc}") from None


def attempt_from_json(data: Any, path: str = "") -> AttemptResult:
    """Parse one results document (version 1 or 2); raises ValueError with a plain sentence."""
    try:
        if not isinstance(data, dict) or data.get("format") != RESULTS_FORMAT:
            raise _Bad("not an immunoquiz results file")
        version = data.get("version")
        if type(version) is not int or version not in READABLE_VERSIONS:
            raise _Bad(f"results version {version!r} is not supported")
        session = _get(data, "session", dict)
        items = tuple(_item(raw) for raw in _get(data, "items", list))
        ids = [i.id for i in items]
        if len(set(ids)) != len(ids):
            raise _Bad("an item appears twice")
        pass_mark = session.get("pass_mark")
        if pass_mark is not None:
            pass_mark = _number(session, "pass_mark", 0.0, 100.0)
        started = _time(_get(data, "started", str), "started")
        timed_out = data.get("timed_out", False) is True
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
            if not _LEARNER_ID.fullmatch(learner_id):
                raise _Bad("the learner id is not made of a-z, 0-9 and -")
            number = _get(data, "attempt", int)
            if not 1 <= number <= MAX_ATTEMPT:
                raise _Bad(f"attempt number {number} is outside 1..{MAX_ATTEMPT}")
            status = _get(data, "status", str)
            if status not in OPEN_STATUSES + FINAL_STATUSES:
                raise _Bad(f"unknown status {status!r}")
            ended = None if data.get("ended") is None else _time(_get(data, "ended", str), "ended")
            if ended is None and status in FINAL_STATUSES:
                raise _Bad(f"a {status} attempt has no 'ended' time")
            raw_deadline = data.get("deadline")
            deadline = None if raw_deadline is None else _time(str(raw_deadline), "deadline")
        if ended is not None:
            length = (ended - started).total_seconds()
            if length < 0:
                raise _Bad("the attempt ends before it starts (negative duration)")
            if length > MAX_SECONDS:
                raise _Bad("the attempt lasts over a week")
        return AttemptResult(
            session_title=_get(session, "title", str),
            session_hash=_get(session, "hash", str),
            learner=learner,
            started=started,
            ended=ended,
            items=items,
            pass_mark=pass_mark,
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


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def load_file(path: Path) -> AttemptResult:
    """One results file, checked: special files and oversized files are refused unread.

    Raises ValueError (a plain sentence, possibly with `lineno`/`colno` attributes for a
    JSON syntax error) or OSError.
    """
    data = read_regular(path, limit=MAX_RESULTS_BYTES)
    try:
        doc = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None
    except RecursionError:
        raise ValueError("not a results file: nested too deeply") from None
    return attempt_from_json(doc, str(path))


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given; folders searched recursively for *.json (hidden names skipped), sorted.

    Symlinked folders are not followed (no loops); special files found are returned so
    the reader reports them rather than skipping them silently.
    """
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            found: list[Path] = []
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [Path(root, n) for n in names if n.endswith(".json") and n[:1] != "."]
            out.extend(sorted(found))
        else:
            out.append(p)
    return out


@dataclass(frozen=True)
class SessionFacts:
    """What the report takes from the session, never from one file."""

    title: str
    hash: str
    pass_mark: float | None
    items: tuple[str, ...] = ()  # the session's item ids in order, when known


@dataclass
class LoadedResults:
    attempts: list[AttemptResult]  # the final attempts that count, by learner then number
    problems: list[ResultsProblem]
    notes: list[str]  # things done on purpose, e.g. an attempt not counted
    open: list[AttemptResult] = field(default_factory=list)  # in progress or interrupted
    session: SessionFacts | None = None
    which: str = "first"  # which attempts count: one of ATTEMPT_CHOICES
    same_name: dict[str, list[str]] = field(default_factory=dict)  # name -> learner ids


def read_results(
    paths: list[Path],
    *,
    session: SessionFacts | None = None,
    session_hash: str | None = None,
    session_items: list[str] | None = None,
    which: str = "first",
) -> LoadedResults:
    """Read, check and select results files; bad files are reported and skipped.

    The session (hash, pass mark) is `session` when the caller read the session file;
    otherwise the one most files belong to, and its pass mark the one those files agree
    on: a file that claims the same session with another pass mark is skipped. Without
    known items, a session's items are those present in most of its files.
    """
    if which not in ATTEMPT_CHOICES:
        raise ValueError(f"--attempts must be one of {', '.join(ATTEMPT_CHOICES)}")
    problems: list[ResultsProblem] = []
    notes: list[str] = []
    parsed: list[AttemptResult] = []
    for path in expand_paths(paths):
        where = str(path)
        try:
            parsed.append(load_file(path))
        except FileNotFoundError:
            problems.append(ResultsProblem(where, "no such file (skipped)"))
        except (NotRegularFile, FileTooLarge) as exc:
            problems.append(ResultsProblem(where, f"{exc} (skipped)"))
        except OSError as exc:
            problems.append(ResultsProblem(where, f"cannot read: {exc.strerror or exc} (skipped)"))
        except json.JSONDecodeError as exc:
            problems.append(
                ResultsProblem(where, f"not valid JSON: {exc.msg} (skipped)", exc.lineno, exc.colno)
            )
        except ValueError as exc:
            problems.append(ResultsProblem(where, f"{exc} (skipped)"))

    if not parsed:
        return LoadedResults([], problems, notes, which=which)

    if session is None:
        if session_hash is None:
            finals = [a for a in parsed if a.final] or parsed
            counts = Counter(a.session_hash for a in finals)
            session_hash = max(counts, key=lambda h: (counts[h], -_first(finals, h)))
        ours = [a for a in parsed if a.session_hash == session_hash]
        marks = Counter(a.pass_mark for a in ours if a.final) or Counter(a.pass_mark for a in ours)
        pass_mark = max(marks, key=lambda m: (marks[m], -_first_mark(ours, m)))
        session = SessionFacts(ours[0].session_title, session_hash, pass_mark)
    if session.items and session_items is None:
        session_items = list(session.items)

    same: list[AttemptResult] = []
    for a in parsed:
        if a.session_hash != session.hash:
            problems.append(
                ResultsProblem(
                    a.path,
                    f"belongs to a different session ({a.session_title!r}, "
                    f"hash {a.session_hash[:12]}) (skipped)",
                )
            )
        elif a.pass_mark != session.pass_mark:
            problems.append(
                ResultsProblem(
                    a.path,
                    f"records pass mark {_mark(a.pass_mark)} but its session's is "
                    f"{_mark(session.pass_mark)} (skipped)",
                )
            )
        else:
            same.append(a)

    # The session hash covers the session file only: an edited bank changes what its
    # items mean, so results taken with another version are kept out of this report.
    versions: Counter[tuple[tuple[str, str], ...]] = Counter(
        tuple(sorted(a.banks.items())) for a in same
    )
    usual = dict(versions.most_common(1)[0][0]) if versions else {}
    current: list[AttemptResult] = []
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

    finals = [a for a in current if a.final]
    opened = [a for a in current if not a.final]
    if session_items is None:
        tally = Counter(i.id for a in finals for i in a.items)
        session_items = [i for i, n in tally.items() if n * 2 > len(finals)]
    known = set(session_items)
    checked: list[AttemptResult] = []
    for a in finals:
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

    attempts = _select(checked, which, notes)
    names: dict[str, set[str]] = {}
    for a in [*attempts, *opened]:
        names.setdefault(a.learner.casefold(), set()).add(learner_id_of(a))
    same_name: dict[str, list[str]] = {
        next(a.learner for a in attempts + opened if a.learner.casefold() == k): sorted(ids)
        for k, ids in names.items()
        if len(ids) > 1
    }
    for name, twins in same_name.items():
        notes.append(
            f"{len(twins)} different learners are called {name!r} (ids {', '.join(twins)}); "
            "each is kept and shown with their id"
        )
    opened.sort(key=lambda a: (a.learner.casefold(), learner_id_of(a), a.attempt))
    return LoadedResults(attempts, problems, notes, opened, session, which, same_name)


def _select(checked: list[AttemptResult], which: str, notes: list[str]) -> list[AttemptResult]:
    """The attempts that count: per learner id, the first, last or best, or all of them."""
    by_learner: dict[str, list[AttemptResult]] = {}
    for a in checked:
        by_learner.setdefault(learner_id_of(a), []).append(a)
    chosen: list[AttemptResult] = []
    for group in by_learner.values():
        # attempt numbers order a learner's attempts; version-1 files (all "1") by time
        group.sort(key=lambda a: (a.attempt, a.started, a.path))
        numbers = [a.attempt for a in group]
        if len(set(numbers)) != len(numbers):
            for twin in group[1:]:
                if twin.attempt == group[0].attempt and twin.learner_id:
                    notes.append(
                        f"{twin.path}: a second file for {twin.learner}'s attempt "
                        f"{twin.attempt}; attempts are taken in order of their start time"
                    )
        if which == "all" or len(group) == 1:
            chosen += group
            continue
        if which == "first":
            keep = group[0]
        elif which == "last":
            keep = group[-1]
        else:  # best: the highest score, the earlier attempt on a tie
            keep = max(group, key=lambda a: (a.score, -group.index(a)))
        chosen.append(keep)
        others = ", ".join(os.path.basename(a.path) for a in group if a is not keep)
        notes.append(
            f"{keep.learner} made {len(group)} attempts; counting the {which} "
            f"({os.path.basename(keep.path)}), not {others}"
        )
    return sorted(chosen, key=lambda a: (a.learner.casefold(), learner_id_of(a), a.attempt))


def _mark(pass_mark: float | None) -> str:
    return "none" if pass_mark is None else f"{pass_mark:g}%"


def _first(attempts: list[AttemptResult], session_hash: str) -> int:
    return next(i for i, a in enumerate(attempts) if a.session_hash == session_hash)


def _first_mark(attempts: list[AttemptResult], pass_mark: float | None) -> int:
    return next(i for i, a in enumerate(attempts) if a.pass_mark == pass_mark)
