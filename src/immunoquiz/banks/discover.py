"""Which bank files a list of paths names: files as given, folders searched recursively."""

from __future__ import annotations

import os
from collections.abc import Iterable

from immunoquiz.banks.problems import Problem
from immunoquiz.special_files import special_file_reason

BANK_SUFFIXES = (".yaml", ".yml")


def bank_files(
    paths: Iterable[str | os.PathLike[str]], *, empty_ok: bool = False
) -> tuple[list[str], list[Problem]]:
    """Bank files in the order to load them, and problems with paths that name none.

    A file is taken whatever its name; a folder contributes its `*.yaml`/`*.yml` files
    (sorted, recursively, skipping hidden names such as editor lock files and `.git`).
    A file reached twice (named, and inside a named folder) is listed once.
    """
    files: list[str] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for given in paths:
        path = os.fspath(given)
        if os.path.isdir(path):
            found = _walk(path)
            if not found and not empty_ok:
                problems.append(Problem(path, 1, 1, "no bank files (.yaml or .yml) in this folder"))
        elif os.path.exists(path):
            found = [path]
        else:
            problems.append(Problem(path, 1, 1, "no such file or folder"))
            continue
        for file in found:
            reason = special_file_reason(file)
            if reason:  # a FIFO would hang the loader, /dev/zero would eat memory
                problems.append(Problem(file, 1, 1, reason))
                continue
            real = os.path.realpath(file)
            if real not in seen:
                seen.add(real)
                files.append(file)
    return files, problems


def _walk(folder: str) -> list[str]:
    found: list[str] = []
    for root, dirs, names in os.walk(folder):  # does not follow symlinked folders: no loops
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(
            os.path.join(root, n)
            for n in sorted(names)
            if n.endswith(BANK_SUFFIXES) and not n.startswith(".")
        )
    return found
