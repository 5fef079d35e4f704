"""A cold cache filled by a forked child while the TUI starts: the same banks and the
same problems (FILE:LINE:COL) come out of the load that follows."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from immunoquiz.banks import bundled_and_extra

DATA = Path(__file__).parent.parent / "data"

# A fresh interpreter: the child is forked only where no other thread runs (pytest's
# workers have some), as at the TUI's start.
SCRIPT = """
import sys
from pathlib import Path
from immunoquiz.banks import bundled_and_extra, cache, prefill
wait = prefill.start(sys.argv[1:])
wait()
print(len(list(cache.cache_root().glob("*.bank"))))
banks, problems = bundled_and_extra(sys.argv[1:])
print(len(banks))
for p in problems:
    print(p)
"""


def test_the_child_fills_the_cache_and_problems_read_as_before(
    tmp_path: Path, isolated_dirs: dict[str, Path]
) -> None:
    valid = tmp_path / "all_types.yaml"
    shutil.copy(DATA / "valid" / "all_types.yaml", valid)
    broken = tmp_path / "broken.yaml"
    broken.write_text(valid.read_text().replace("correct: true", "corect: true", 1))
    banks, problems = bundled_and_extra([str(valid), str(broken)], use_cache=False)
    assert problems  # the broken bank is reported

    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(valid), str(broken)],
        capture_output=True, text=True, check=True, env=os.environ,
    ).stdout.splitlines()  # fmt: skip

    entries, loaded, *lines = out
    # every valid bank (the bundled ones and ours) was cached by the child: the broken
    # one is never cached, and is reported exactly as a load without any cache reports it
    assert int(entries) == len(banks)
    assert int(loaded) == len(banks)
    assert lines == [str(p) for p in problems]


# `immunoquiz study` starts the prefill and the backend's opening before Textual is
# imported and hands the backend to the trainer: its banks come from the filled cache.
STUDY = """
import sys
from immunoquiz.tui import opening
print(sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich")))
from immunoquiz.banks import cache
from immunoquiz.cli import main
from immunoquiz.tui.app import ImmunoquizApp

def run(self):
    self.backend.run_sync(lambda: None)  # after the opening, which went first
    print(len(list(cache.cache_root().glob("*.bank"))), len(self.backend.banks))
    return 0

ImmunoquizApp.run = run
sys.exit(main(["study", "--banks", sys.argv[1]]))
"""


def test_the_study_command_prefills_before_the_trainer_opens(
    tmp_path: Path, isolated_dirs: dict[str, Path]
) -> None:
    valid = tmp_path / "all_types.yaml"
    shutil.copy(DATA / "valid" / "all_types.yaml", valid)
    banks, problems = bundled_and_extra([str(valid)], use_cache=False)
    assert not problems

    out = subprocess.run(
        [sys.executable, "-c", STUDY, str(valid)],
        capture_output=True, text=True, check=True, env=os.environ,
    ).stdout.splitlines()  # fmt: skip

    # what the command starts first imports no Textual (that is the point of it)
    assert out == ["[]", f"{len(banks)} {len(banks)}"]
