"""Where a class check keeps what must survive a restart, and the lock on its results folder.

The state folder (mode 0700, under the data folder, never inside the results
folder the educator shares) holds the signing key, the class code, the roster
with the hashes of the learners' tokens, and the times the server was up. The
results folder holds the results files (one per attempt, written by the attempt
engine) and the learners' problem reports; a lock file there keeps a second
`class` process away.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from immunoquiz.records import dataclass, field

STATE_FILE = "class.json"
LOCK_FILE = ".immunoquiz-class.lock"
PROBLEMS_FILE = "problem-reports.jsonl"


class ClassStateError(Exception):
    """A class that cannot start or resume; the message is one line for the educator."""


@dataclass
class LearnerRecord:
    id: str
    name: str
    token_hash: str
    attempt: int
    joined: str  # ISO-8601 UTC
    extra_minutes: float = 0.0  # extensions given before the learner started
    removed: bool = False


@dataclass
class ClassRecord:
    session_hash: str
    session_title: str
    results_dir: str
    code: str
    key: str
    created: str
    status: str = "open"  # "open" | "ended"
    heartbeat: str = ""  # last time the server was known to be up
    downtime: list[dict[str, Any]] = field(default_factory=list)
    learners: list[LearnerRecord] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["learners"] = [dict(rec.__dict__) for rec in self.learners]
        return {"format": "immunoquiz-class", "version": 1, **data}

    @classmethod
    def from_json(cls, data: Any) -> ClassRecord:
        if not isinstance(data, dict) or data.get("format") != "immunoquiz-class":
            raise ValueError("not an immunoquiz class state file")
        fields = {k: v for k, v in data.items() if k not in ("format", "version")}
        learners = [LearnerRecord(**rec) for rec in fields.pop("learners", [])]
        return cls(**fields, learners=learners)


def state_dir_for(data_dir: Path, results_dir: Path) -> Path:
    """One state folder per results folder: `class --resume` finds it again from the folder."""
    digest = hashlib.sha256(str(results_dir.resolve()).encode()).hexdigest()[:16]
    return data_dir / "classes" / digest


def _private_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)  # the signing key lives here: the educator's eyes only


def write_json_atomic(path: Path, data: dict[str, Any], mode: int | None = None) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, allow_nan=False, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


class ClassFolder:
    """The lock on the results folder plus the state folder; close() releases the lock."""

    def __init__(self, results_dir: Path, state_dir: Path) -> None:
        self.results_dir = results_dir
        self.state_dir = state_dir
        self._lock: TextIO | None = None

    @property
    def state_path(self) -> Path:
        return self.state_dir / STATE_FILE

    def lock(self) -> None:
        try:
            self.results_dir.mkdir(parents=True, exist_ok=True)
            fh = open(self.results_dir / LOCK_FILE, "a+", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise ClassStateError(
                f"cannot use the results folder {self.results_dir}: {exc.strerror or exc}"
            ) from None
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            raise ClassStateError(
                f"another `immunoquiz class` is already serving {self.results_dir}: "
                "stop it first, or use another --results-dir"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        self._lock = fh

    def close(self) -> None:
        if self._lock is not None:
            fcntl.flock(self._lock.fileno(), fcntl.LOCK_UN)
            self._lock.close()
            self._lock = None

    def load(self) -> ClassRecord | None:
        try:
            text = self.state_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise ClassStateError(f"cannot read {self.state_path}: {exc.strerror}") from None
        try:
            return ClassRecord.from_json(json.loads(text))
        except (ValueError, TypeError) as exc:
            raise ClassStateError(f"{self.state_path}: damaged class state ({exc})") from None

    def save(self, record: ClassRecord) -> None:
        _private_dir(self.state_dir)
        write_json_atomic(self.state_path, record.to_json(), mode=0o600)

    def add_problem_report(self, entry: dict[str, Any]) -> None:
        """Append one learner's report on a question (a line of JSON) to the results folder."""
        line = json.dumps(entry, ensure_ascii=False, allow_nan=False) + "\n"
        with open(self.results_dir / PROBLEMS_FILE, "a", encoding="utf-8") as fh:
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
