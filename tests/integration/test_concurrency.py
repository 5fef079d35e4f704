"""Two processes answering on the same profile at once both keep every answer."""

from __future__ import annotations

import subprocess
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from engine_cli import BANK, REPO, answered, command, env, integrity, log, run


@pytest.mark.parametrize("modes", [("study", "practice"), ("study", "study")])
def test_two_processes_on_one_profile_keep_every_answer(
    tmp_path: Path, modes: tuple[str, str]
) -> None:
    first = run(tmp_path, "study", "--plain", *BANK, "--profile", "shared", input="q\n")
    assert first.returncode == 0, first.stderr
    procs = [
        subprocess.Popen(
            command(mode, "--plain", *BANK, "--profile", "shared", "--seed", str(seed)),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, env=env(tmp_path), cwd=REPO,
        )
        for seed, mode in enumerate(modes)
    ]  # fmt: skip
    # Both get all their answers at once and race each other, sharing the same cards.
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda p: p.communicate("1\n2\n" * 8, timeout=60), procs))
    for p, (_out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
        assert "Traceback" not in err
    confirmed = [answered(out) for out, _err in results]
    rows = log(tmp_path)
    assert integrity(tmp_path) == "ok"
    assert all(not undone for _cid, _mode, undone in rows)
    # Every answer either process confirmed is in the log, once per confirmation.
    for mode in set(modes):
        mine = [c for c, m in zip(confirmed, modes, strict=True) if m == mode]
        assert Counter(cid for cid, m, _u in rows if m == mode) == sum(
            map(Counter, mine), Counter()
        )
    if modes == ("study", "practice"):
        # Neither lost a turn; study also asks its misses again (learning steps).
        assert len(confirmed[1]) == 8 and len(confirmed[0]) >= 8
    else:
        assert sum(map(len, confirmed)) >= 8  # they share the 8 new cards between them
