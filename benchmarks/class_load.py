"""Load benchmark of `immunoquiz class`: N simulated trainees over loopback.

    python benchmarks/class_load.py [--learners 60]

Starts the real command (`immunoquiz class --plain`) on the demo session of the
class tests, then N trainees (aiohttp clients, one cookie jar each) join with the
code and answer every question as fast as they can, each page fetched as a browser
would. Prints join and answer-request latency (p50/p99), the server's peak RSS, a
baseline (a static file fetched under the same load) with the answer p99 as a
ratio of it, the request throughput with the latency Little's law implies for it
(N trainees always waiting on a reply), and last `lost: K`: answers the server
confirmed that are missing from the results files (must be 0). `--think S` makes
each trainee pause a random 0 to 2*S seconds before each answer, as a class does;
the default (0) is the issue's "as fast as it can". Not a timed test: numbers for
the closing note.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import aiohttp

REPO = Path(__file__).resolve().parents[1]
# The demo session's right answers are the class tests' (one table for both).
sys.path[:0] = [str(REPO / "tests" / "web"), str(REPO / "src")]
from class_answers import CASE_RIGHT, ORDER_KEY, RIGHT  # noqa: E402

DATA = REPO / "tests" / "data" / "class"
CODE = "ABC234"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
RANK = re.compile(r'<label for="rank-(\d+)">([^<]+)</label>')


def rank_of(text: str) -> int:
    """The right position (1-based) of an order entry shown as `text`."""
    return next(i for i, key in enumerate(ORDER_KEY, 1) if text[:12] == key[:12])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def cpu_seconds(pid: int) -> float:
    """User + system CPU the process has used (load-independent, unlike latency)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Stats:
    def __init__(self) -> None:
        self.join: list[float] = []
        self.answer: list[float] = []
        self.baseline: list[float] = []
        self.confirmed: dict[str, set[str]] = {}  # learner name -> item ids saved
        self.failures: list[str] = []


async def timed_post(
    session: aiohttp.ClientSession, url: str, data: list[tuple[str, str]], json_reply: bool
) -> tuple[float, int, str]:
    headers = {"Accept": "application/json"} if json_reply else {}
    start = time.perf_counter()
    async with session.post(url, data=data, headers=headers, allow_redirects=False) as reply:
        text = await reply.text()
        return time.perf_counter() - start, reply.status, text


async def trainee(base: str, n: int, stats: Stats, items: list[str], think: float) -> None:
    name = f"Trainee {n:03d}"
    jar = aiohttp.CookieJar(unsafe=True)
    # No client timeout: on a loaded machine a slow answer is a number to report, not an error.
    timeout = aiohttp.ClientTimeout(total=None)
    async with aiohttp.ClientSession(base_url=base, cookie_jar=jar, timeout=timeout) as session:
        async with session.get("/") as reply:
            csrf = CSRF.search(await reply.text())
        assert csrf, "no join form"
        took, status, _ = await timed_post(
            session, "/join", [("csrf", csrf[1]), ("code", CODE), ("name", name)], False
        )
        stats.join.append(took)
        if status != 303:
            stats.failures.append(f"{name}: join answered {status}")
            return
        async with session.get("/start") as reply:
            token = CSRF.search(await reply.text())
        assert token
        await timed_post(session, "/start", [("csrf", token[1])], False)
        saved = stats.confirmed.setdefault(name, set())
        for q in range(1, 10):
            if think:
                await asyncio.sleep(random.uniform(0, 2 * think))
            async with session.get(f"/q/{q}") as reply:
                page = await reply.text()
            if q == 6:
                fields = [(f"rank-{pos}", str(rank_of(text))) for pos, text in RANK.findall(page)]
            elif q == 9:
                fields = CASE_RIGHT
            else:
                fields = RIGHT[q]
            if q == 9:  # a case shows its parts in turn
                took, status, _ = await timed_post(
                    session, "/q/9", [("csrf", token[1]), *fields[:1], ("go", "part")], True
                )
                stats.answer.append(took)
            took, status, text = await timed_post(
                session, f"/q/{q}", [("csrf", token[1]), *fields, ("go", "save")], True
            )
            stats.answer.append(took)
            if status == 200 and json.loads(text).get("ok"):
                saved.add(items[q - 1])
            else:
                stats.failures.append(f"{name}: question {q} answered {status} {text[:80]}")
            start = time.perf_counter()
            async with session.get("/static/class.css") as reply:
                await reply.read()
            stats.baseline.append(time.perf_counter() - start)


def lost_answers(results: Path, stats: Stats) -> int:
    on_disk: dict[str, set[str]] = {}
    for path in results.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        answered = {i["id"] for i in data["items"] if i["response"] is not None}
        on_disk[data["learner"]["name"]] = answered
    return sum(len(ids - on_disk.get(name, set())) for name, ids in stats.confirmed.items())


async def run_load(base: str, learners: int, stats: Stats, items: list[str], think: float) -> float:
    start = time.perf_counter()
    await asyncio.gather(*(trainee(base, n, stats, items, think) for n in range(1, learners + 1)))
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=60)
    parser.add_argument(
        "--think", type=float, default=0.0, help="mean seconds a trainee pauses per question"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="iq-class-load-") as tmp:
        home, results = Path(tmp) / "home", Path(tmp) / "results"
        port = free_port()
        env = {
            **os.environ,
            "IMMUNOQUIZ_HOME": str(home),
            "IMMUNOQUIZ_CACHE": str(Path(tmp) / "cache"),
            "PYTHONPATH": str(REPO / "src"),
        }
        server = subprocess.Popen(
            [
                sys.executable, "-m", "immunoquiz.cli", "class",
                "--banks", str(DATA / "banks"), str(DATA / "class-session.yaml"),
                "--results-dir", str(results), "--port", str(port), "--plain", "--code", CODE,
            ],
            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip
        try:
            assert server.stdout is not None
            for line in server.stdout:
                if line.startswith("Class code"):
                    break
            else:
                print("the server did not start", file=sys.stderr)
                return 1
            # Keep reading the dashboard's lines: a full pipe would stall the server.
            threading.Thread(target=server.stdout.read, daemon=True).start()
            items = [f"class-demo/{i}" for i in ("single", "multiple", "tf", "cloze", "typed",
                                                   "order", "match", "bowtie", "case")]  # fmt: skip
            stats = Stats()
            cpu_before = cpu_seconds(server.pid)
            wall = asyncio.run(
                run_load(f"http://127.0.0.1:{port}", args.learners, stats, items, args.think)
            )
            rss = peak_rss_mb(server.pid)
            cpu = cpu_seconds(server.pid) - cpu_before
        finally:
            server.terminate()
            try:
                server.wait(60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        lost = lost_answers(results, stats)
    ms = 1000.0
    base_p99 = percentile(stats.baseline, 99)
    print(f"learners: {args.learners}  wall: {wall:.1f} s  answers: {len(stats.answer)}")
    print(
        f"join    p50 {percentile(stats.join, 50) * ms:7.1f} ms   "
        f"p99 {percentile(stats.join, 99) * ms:7.1f} ms"
    )
    print(
        f"answer  p50 {percentile(stats.answer, 50) * ms:7.1f} ms   "
        f"p99 {percentile(stats.answer, 99) * ms:7.1f} ms   "
        f"(mean {statistics.fmean(stats.answer) * ms:.1f} ms)"
    )
    print(
        f"baseline (static file under the same load) p99 {base_p99 * ms:.1f} ms; "
        f"answer p99 / baseline p99 = {percentile(stats.answer, 99) / base_p99:.1f}"
    )
    requests = len(stats.join) * 4 + len(stats.answer) * 2 + len(stats.baseline)
    rate = requests / wall
    print(f"throughput: {rate:.0f} requests/s")
    if not args.think:
        # Little's law: with every trainee always waiting on a reply, the mean latency is
        # the trainees in flight divided by the throughput, whatever the server does.
        print(
            f"Little's law: {args.learners} trainees always waiting at this throughput "
            f"means a mean latency of at least {args.learners / rate * ms:.0f} ms"
        )
    print(f"server peak RSS: {rss:.0f} MB")
    print(
        f"server CPU: {cpu:.1f} s for {requests} requests ({cpu / requests * ms:.2f} ms each); "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    for failure in stats.failures[:5]:
        print(f"failure: {failure}")
    print(f"lost: {lost}")
    return 0 if lost == 0 and not stats.failures else 1


if __name__ == "__main__":
    sys.exit(main())
