"""How fast the commands that don't open the TUI start, against `python -c pass`.

    PYTHONPATH=src .venv/bin/python benchmarks/commands.py [--runs 9]

Spawns each command as a user runs it (`immunoquiz COMMAND`, the console script's
own code) and prints, per command, the median wall time of the whole process, its
ratio to `python -c pass` spawned in the same run, the median CPU time (user+sys)
and whether the command imported Textual (it must not; read from `-X importtime`).

- validate: the bundled banks, warm bank cache (and, on a line apart, --no-cache:
  every bank parsed from YAML);
- stats: a profile with answers in it (made first through `study --plain`);
- report: tests/data/class6, a class's results files;
- study --plain: time to the first question printed (its answer hint line), the
  answer then being `q` so the process ends.

Every process reads compiled .pyc files, as after `pip install` (written by a first,
untimed run of each command into a temporary PYTHONPYCACHEPREFIX), and the bank
cache is warm (filled by that first run), in a data and cache folder of its own.
Target: <= 150 ms each on an idle machine. On a loaded one, the CPU column is ours.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# what the `immunoquiz` console script runs
SCRIPT = "import sys\nfrom immunoquiz.cli import main\nsys.exit(main())"

COMMANDS: dict[str, list[str]] = {
    "validate": ["validate"],
    "stats": ["--profile", "bench", "stats"],
    "report": ["report", str(ROOT / "tests" / "data" / "class6")],
    "study --plain": ["--profile", "bench", "study", "--plain", "--seed", "1"],
}
EXTRA: dict[str, list[str]] = {"validate --no-cache": ["validate", "--no-cache"]}
FIRST_QUESTION_ENDS = "Answer:"  # the hint line closes a question in plain mode


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def spawn(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run to its end."""
    cpu, start = cpu_of_children(), time.perf_counter()
    subprocess.run(
        argv, env=env, cwd=ROOT, stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
    )  # fmt: skip
    return time.perf_counter() - start, cpu_of_children() - cpu


def spawn_to_first_question(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds until plain study has printed its first question; then it is told
    `q` and ends. CPU is the whole process's (the quit costs little)."""
    cpu, start = cpu_of_children(), time.perf_counter()
    with subprocess.Popen(
        argv, env=env, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, text=True,
    ) as proc:  # fmt: skip
        assert proc.stdin is not None and proc.stdout is not None
        wall = None
        for line in proc.stdout:
            if line.startswith(FIRST_QUESTION_ENDS):
                wall = time.perf_counter() - start
                break
        proc.stdin.write("q\n")
        proc.stdin.close()
        proc.stdout.read()
        proc.wait()
    if wall is None:
        raise SystemExit(f"no question printed by {argv[3:]}")
    return wall, cpu_of_children() - cpu


def imports_textual(argv: list[str], env: dict[str, str]) -> bool:
    done = subprocess.run(
        [argv[0], "-X", "importtime", *argv[1:]], env=env, cwd=ROOT, input="q\n",
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    names = (line.rpartition("|")[2].strip() for line in done.stderr.splitlines())
    return any(name.split(".")[0] == "textual" for name in names)


def make_progress(python: list[str], env: dict[str, str]) -> None:
    """A profile with answers, through the plain trainer: single-choice items, option 1."""
    for mode in ("study", "practice"):
        subprocess.run(
            [*python, "--profile", "bench", mode, "--plain", "--type", "single", "--seed", "2"],
            env=env, cwd=ROOT, input="1\n\n" * 25 + "q\n", capture_output=True, text=True,
            check=True,
        )  # fmt: skip


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="spawns per command (median)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        for name in ("PYTHONDONTWRITEBYTECODE", "IMMUNOQUIZ_NOW", "IMMUNOQUIZ_DEBUG"):
            env.pop(name, None)
        env.update(
            PYTHONPYCACHEPREFIX=str(Path(tmp) / "pycache"),
            IMMUNOQUIZ_HOME=str(Path(tmp) / "home"),
            IMMUNOQUIZ_CACHE=str(Path(tmp) / "cache"),
            PYTHONPATH=os.pathsep.join(
                [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
            ),
        )
        python = [sys.executable, "-c", SCRIPT]
        make_progress(python, env)
        runs: dict[str, Callable[[], tuple[float, float]]] = {
            "python -c pass": lambda: spawn([sys.executable, "-c", "pass"], env),
        }
        for label, words in {**COMMANDS, **EXTRA}.items():
            run = spawn_to_first_question if label == "study --plain" else spawn
            runs[label] = lambda run=run, words=words: run([*python, *words], env)  # type: ignore[misc]
        for run in runs.values():  # compiles .pyc files and fills the bank cache
            run()
        walls: dict[str, list[float]] = {label: [] for label in runs}
        cpus: dict[str, list[float]] = {label: [] for label in runs}
        for _ in range(args.runs):  # interleaved: a burst of load hits every command alike
            for label, run in runs.items():
                wall, cpu = run()
                walls[label].append(wall)
                cpus[label].append(cpu)
        textual = {
            label: imports_textual([*python, *words], env) for label, words in COMMANDS.items()
        }

    base, base_cpu = median_ms(walls["python -c pass"]), median_ms(cpus["python -c pass"])
    print(f"runs: {args.runs} per command, .pyc present, warm bank cache; load {os.getloadavg()}")
    print(f"python -c pass                    {base:6.0f} ms            cpu {base_cpu:5.0f} ms")
    for label in (*COMMANDS, *EXTRA):
        wall, cpu = median_ms(walls[label]), median_ms(cpus[label])
        what = f"{label} (first question)" if label == "study --plain" else label
        tail = ""
        if label in textual:
            tail = f"   textual imported: {'yes' if textual[label] else 'no'}"
        print(
            f"{what:<32}  {wall:6.0f} ms  ratio {wall / base:5.2f}"
            f"   cpu {cpu:5.0f} ms  ratio {cpu / base_cpu:5.2f}{tail}"
        )


if __name__ == "__main__":
    main()
