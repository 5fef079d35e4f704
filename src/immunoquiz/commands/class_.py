"""`immunoquiz class SESSION.yaml`: serve a comprehension check to the trainees' browsers.

One process: the aiohttp server (web/) and the educator's dashboard (a Textual
screen, or one line per event with --plain). The results folder gets one results
file per learner attempt, which `immunoquiz report` reads. Stopping the process
(Ctrl-C, SIGHUP, SIGTERM) never ends the check: `--resume` continues it.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import socket
import sys
import textwrap
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from immunoquiz.commands.exam import prepare
from immunoquiz.educator import class_access as access
from immunoquiz.educator.class_state import ClassFolder, ClassStateError, state_dir_for
from immunoquiz.educator.classroom import Classroom

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
DEFAULT_PORT = 8765
LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")

# Test hook: the class clock (tests move it to reach a time limit without waiting).
clock_factory: Callable[[], Callable[[], datetime]] = lambda: lambda: datetime.now(UTC)  # noqa: E731

DESCRIPTION = (
    "Serve the comprehension check of a session file to the trainees' browsers. Trainees "
    "open the join address, type the class code and their name, and answer one question "
    "per page; every answer is saved on this machine as it is given. The dashboard shows "
    "who joined, where each trainee is and how each question goes. By default only this "
    "computer can connect (127.0.0.1); --lan lets the room in. Stopping the command does "
    "not end the check: run it again with --resume to continue."
)


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = subparsers.add_parser(
        "class",
        parents=[common],
        help="serve a session to trainees' browsers, with a live dashboard",
        description=textwrap.fill(DESCRIPTION, 78),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("session", type=Path, metavar="SESSION.yaml", help="the session file")
    p.add_argument(
        "--results-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="where results files go (default: ./class-<session title>)",
    )
    p.add_argument("--port", type=int, default=DEFAULT_PORT, metavar="N", help="default 8765")
    p.add_argument(
        "--lan",
        action="store_true",
        help="accept trainees from the local network (default: this computer only)",
    )
    p.add_argument("--code", metavar="CODE", help="use this class code (6 of 0-9, A-Z but I L O U)")
    p.add_argument(
        "--plain",
        action="store_true",
        help="print one line per event instead of the full-screen dashboard "
        "(screen readers, headless servers); commands are read from standard input",
    )
    p.add_argument(
        "--resume", action="store_true", help="continue the class recorded for --results-dir"
    )
    p.set_defaults(func=run)


def err(message: str) -> None:
    print(f"immunoquiz class: {message}", file=sys.stderr)


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses on the local network (best effort, no packets sent)."""
    found: list[str] = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET: picks the outgoing interface only
            found.append(probe.getsockname()[0])
        except OSError:
            pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            address = str(info[4][0])
            if address not in found and not address.startswith("127."):
                found.append(address)
    except OSError:
        pass
    return [a for a in found if not a.startswith("127.")]


def run(args: argparse.Namespace) -> int:
    from immunoquiz.educator.results import slug
    from immunoquiz.paths import data_dir

    code = None
    if args.code is not None:
        code = access.parse_code(args.code)
        if code is None:
            err("--code: 6 characters from 0-9 and A-Z without I, L, O and U")
            return EXIT_USAGE
    if not 1 <= args.port <= 65535:
        err("--port: a port number from 1 to 65535")
        return EXIT_USAGE
    prepared = prepare(args)
    if isinstance(prepared, int):
        return prepared
    spec, questions = prepared.spec, list(prepared.questions)
    results_dir = args.results_dir or Path(f"class-{slug(spec.title)}")
    folder = ClassFolder(results_dir, state_dir_for(data_dir(args.data_dir), results_dir))
    try:
        room = Classroom.open(
            spec, questions, folder, clock_factory(), resume=args.resume, code=code
        )
    except ClassStateError as exc:
        err(str(exc))
        return EXIT_INVALID
    host = "0.0.0.0" if args.lan else "127.0.0.1"
    lan = lan_addresses() if args.lan else []
    machine = socket.gethostname().lower()
    names = [*LOCAL_NAMES, *lan, machine, f"{machine}.local"] if args.lan else LOCAL_NAMES
    log_errors_to_crash_log()
    try:
        if args.plain or not sys.stdout.isatty():
            return asyncio.run(serve_plain(room, host, args.port, list(names), lan))
        from immunoquiz.tui.class_app import run_dashboard  # noqa: PLC0415

        status = run_dashboard(room, lambda: start_server(room, host, args.port, list(names), lan))
        print(stopped_text(room))
        return status
    except OSError as exc:
        err(f"cannot listen on port {args.port}: {exc.strerror or exc} (try --port N)")
        return EXIT_INVALID
    finally:
        room.close()


async def start_server(
    room: Classroom, host: str, port: int, names: list[str], lan: list[str]
) -> tuple[Callable[[], Awaitable[None]], list[str]]:
    """Start the web server; returns its stop coroutine factory and the join URLs."""
    from immunoquiz.web.server import bound_port, serve  # noqa: PLC0415

    runner = await serve(room, host, port, names)
    bound = bound_port(runner)
    hosts = lan or ["127.0.0.1"]
    return runner.cleanup, [f"http://{h}:{bound}/" for h in hosts]


async def serve_plain(
    room: Classroom, host: str, port: int, names: list[str], lan: list[str]
) -> int:
    from immunoquiz.plain.class_dashboard import PlainDashboard  # noqa: PLC0415

    stop_server, urls = await start_server(room, host, port, names, lan)
    dashboard = PlainDashboard(room, sys.stdout, room.report_text)
    room.listeners.append(dashboard.on_event)
    dashboard.intro(urls)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(sig, dashboard.stop.set)
    reader = asyncio.create_task(dashboard.read_commands())
    await dashboard.stop.wait()
    reader.cancel()
    await stop_server()
    dashboard.say(stopped_text(room))
    return EXIT_OK


def stopped_text(room: Classroom) -> str:
    if room.ended:
        return f"Stopped. The check has ended; the results are in {room.folder.results_dir}"
    return (
        "Stopped serving; the class is saved and still open. Continue it with: "
        f"immunoquiz class SESSION --resume --results-dir {room.folder.results_dir}"
    )


def log_errors_to_crash_log() -> None:
    """A server error is one page for the learner and details in crash.log, never a traceback
    on the educator's dashboard."""
    from immunoquiz.paths import cache_dir

    try:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(folder / "crash.log", encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
    for name in ("immunoquiz.web", "aiohttp"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.propagate = False
