"""Loading bank files: one (`load`), many (`load_many`), or bundled plus extra ones.

PyYAML and the builder are imported on a cache miss only: a warm start reads JSON.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable

from immunoquiz import paths
from immunoquiz.banks import cache
from immunoquiz.banks.discover import bank_files
from immunoquiz.banks.limits import MAX_BYTES
from immunoquiz.banks.model import Bank
from immunoquiz.banks.problems import BankError, Problem
from immunoquiz.basics import collector_held
from immunoquiz.special_files import special_file_reason

PathLike = str | os.PathLike[str]


def load(path: PathLike, *, use_cache: bool = True) -> Bank:
    """The bank in one file; raises BankError listing every problem in it."""
    name = os.fspath(path)
    data = _read(name)
    digest = _digest(data)
    # parsing allocates hundreds of thousands of objects in a burst, freed by refcount
    with collector_held():
        if use_cache:
            bank = cache.get(digest, name)
            if bank is not None:
                return bank
        bank = parse_bank(data, name, content_hash=digest)
    if use_cache:
        cache.put(digest, bank)
    return bank


def parse_bank(data: bytes, path: str, *, content_hash: str = "") -> Bank:
    """The bank in a file's bytes, without the cache; raises BankError."""
    from immunoquiz.banks.build import build
    from immunoquiz.banks.yaml_nodes import parse

    root = parse(data, path)
    digest = content_hash or _digest(data)
    return build(root, path, content_hash=digest, has_escapes=b"\\" in data)


def load_many(
    paths_: Iterable[PathLike], *, use_cache: bool = True
) -> tuple[list[Bank], list[Problem]]:
    """Every valid bank the paths name (folders searched recursively), and every problem:
    those of each file, then banks that reuse another bank's id (the later one is dropped).
    """
    files, problems = bank_files(paths_)
    return _load_files(files, problems, use_cache)


def bundled_and_extra(
    extra_paths: Iterable[PathLike] | None = None, *, use_cache: bool = True
) -> tuple[list[Bank], list[Problem]]:
    """The banks shipped with immunoquiz plus those named by `--banks`."""
    files, problems = bundled_and_extra_files(extra_paths)
    return _load_files(files, problems, use_cache)


def bundled_and_extra_files(
    extra_paths: Iterable[PathLike] | None = None,
) -> tuple[list[str], list[Problem]]:
    """The files `bundled_and_extra` reads, in order, and problems with the paths."""
    bundled = paths.bundled_banks_dir()
    files, problems = bank_files([bundled] if bundled.is_dir() else [], empty_ok=True)
    extra_files, extra_problems = bank_files(extra_paths or [])
    seen = {os.path.realpath(f) for f in files}
    files += [f for f in extra_files if os.path.realpath(f) not in seen]
    return files, problems + extra_problems


def lacking_cache(files: Iterable[str]) -> list[str]:
    """The files whose parsed bank the cache lacks. Unreadable and too big ones are left
    out: loading them says what is wrong."""
    missing = []
    for name in files:
        try:
            data = _read(name)
        except BankError:
            continue
        if len(data) <= MAX_BYTES and not cache.entry_path(_digest(data)).is_file():
            missing.append(name)
    return missing


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _load_files(
    files: list[str], problems: list[Problem], use_cache: bool
) -> tuple[list[Bank], list[Problem]]:
    banks: list[Bank] = []
    owner: dict[str, Bank] = {}
    # The loaded banks live as long as the program: frozen, the collector leaves their
    # objects (thousands per bank) out of every later pass, instead of walking them
    # first in the young-generation pass each load() set off as it ended (~2 ms for the
    # bundled banks from the cache), then again in the older generations' passes.
    with collector_held(freeze=True):
        for file in files:
            try:
                bank = load(file, use_cache=use_cache)
            except BankError as exc:
                problems.extend(exc.problems)
                continue
            first = owner.get(bank.id)
            if first is not None:
                problems.append(
                    Problem(
                        bank.path,
                        bank.id_line or 1,
                        bank.id_col or 1,
                        f"bank id '{bank.id}' is already used by {first.path}; "
                        "each bank needs its own id (progress is kept per bank id)",
                    )
                )
                continue
            owner[bank.id] = bank
            banks.append(bank)
    return banks, sorted(problems)


def _read(path: str) -> bytes:
    reason = special_file_reason(path)
    if reason:
        raise BankError([Problem(path, 1, 1, reason)])
    try:
        with open(path, "rb") as f:
            # Never read more than enough to know it is too big; asking read() for the
            # limit itself would allocate the whole limit for every small bank.
            size = os.fstat(f.fileno()).st_size
            return f.read(min(size, MAX_BYTES) + 1 if size else MAX_BYTES + 1)
    except FileNotFoundError:
        message = "no such file"
    except IsADirectoryError:
        message = "this is a folder, not a bank file"
    except PermissionError:
        message = "the file cannot be read (permission denied)"
    except OSError as exc:
        message = f"the file cannot be read ({exc.strerror or exc})"
    raise BankError([Problem(path, 1, 1, message)])
