"""`immunoquiz class --plain` as a process: serving, commands, signals, resume, refusals."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

from class_client import CODE, DATA

ARGS = ["--banks", str(DATA / "banks"), str(DATA / "class-session.yaml")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def command(tmp: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "immunoquiz.cli", "class", *ARGS,
        "--results-dir", str(tmp / "results"), "--plain", *extra,
    ]  # fmt: skip


def env(tmp: Path) -> dict[str, str]:
    return {**os.environ, "IMMUNOQUIZ_HOME": str(tmp / "home"), "PYTHONUNBUFFERED": "1"}


def start(tmp: Path, *extra: str) -> tuple[subprocess.Popen[str], list[str], int]:
    port = free_port()
    proc = subprocess.Popen(
        command(tmp, "--port", str(port), *extra),
        env=env(tmp), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    lines = []
    for line in proc.stdout:
        lines.append(line.rstrip("\n"))
        if line.startswith("Type help"):
            break
    return proc, lines, port


def get(port: int, path: str = "/") -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as reply:
        return int(reply.status)


def test_serves_after_input_ends_and_a_signal_keeps_the_class_resumable(tmp_path: Path) -> None:
    proc, lines, port = start(tmp_path, "--code", CODE.lower())
    try:
        assert f"Join at: http://127.0.0.1:{port}/" in lines
        assert f"Class code: {CODE}" in lines
        assert not any("\x1b" in line for line in lines)
        assert proc.stdin is not None
        proc.stdin.write("status\n")
        proc.stdin.flush()
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "No one has joined yet."
        proc.stdin.close()  # end of input: a background start goes on serving
        assert get(port) == 200
        second = subprocess.run(
            command(tmp_path, "--resume", "--port", str(free_port())),
            env=env(tmp_path), capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert second.returncode == 1
        assert "already serving" in second.stderr and "Traceback" not in second.stderr
        proc.send_signal(signal.SIGHUP)
        out = proc.stdout.read()
        assert proc.wait(timeout=30) == 0
        assert "the class is saved and still open" in out
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    again = subprocess.run(
        command(tmp_path, "--port", str(free_port())),
        env=env(tmp_path), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert again.returncode == 1 and "--resume" in again.stderr
    proc, lines, port = start(tmp_path, "--resume")
    try:
        assert f"Class code: {CODE}" in lines  # the code survives a restart
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write("end\n")
        proc.stdin.flush()
        assert "the check was ended" in proc.stdout.readline()
        assert "No submitted attempts yet" in proc.stdout.readline()
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
        assert "The check has ended" in out
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_bad_code_or_port_is_a_usage_error(tmp_path: Path) -> None:
    for extra in (["--code", "ABCDIL"], ["--code", "ABC"], ["--port", "70000"]):
        done = subprocess.run(
            command(tmp_path, *extra), env=env(tmp_path), capture_output=True, text=True,
            timeout=60,
        )  # fmt: skip
        assert done.returncode == 2, extra
        assert re.match(r"immunoquiz class: --(code|port)", done.stderr), done.stderr


class Trainee:
    """A browser as far as the real process can tell: cookies, forms, redirects followed."""

    def __init__(self, port: int) -> None:
        import http.cookiejar

        self.port = port
        self.jar = http.cookiejar.CookieJar()
        self.csrf = ""

    def open(self, path: str, form: list[tuple[str, str]] | None = None) -> str:
        import urllib.parse

        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        body = None
        if form is not None:
            body = urllib.parse.urlencode([("csrf", self.csrf), *form]).encode()
        with opener.open(f"http://127.0.0.1:{self.port}{path}", body, timeout=30) as reply:
            text: str = reply.read().decode()
        if found := re.search(r'name="csrf" value="([^"]+)"', text):
            self.csrf = found.group(1)
        return text


def test_a_killed_server_loses_no_part_of_a_case_answered_so_far(tmp_path: Path) -> None:
    proc, _, port = start(tmp_path, "--code", CODE)
    trainee = Trainee(port)
    try:
        trainee.open("/")
        trainee.open("/join", [("code", CODE), ("name", "Ana")])
        trainee.open("/start", [])
        trainee.open("/q/9")
        page = trainee.open("/q/9", [("p0-choice", "0"), ("go", "part")])
        assert "Update:" in page  # part 2 is shown: part 1 is in the results draft
    finally:
        proc.kill()  # no goodbye: whatever is not on disk now is lost
        proc.wait()
    (path,) = (tmp_path / "results").glob("*.json")
    case = json.loads(path.read_text(encoding="utf-8"))["items"][8]
    assert case["response"] is None and case["draft"] == [{"kind": "single", "choice": 0}]
    proc, lines, port = start(tmp_path, "--resume")
    try:
        trainee.port = port
        page = trainee.open("/q/9")
        assert "Update:" in page and re.search(r'name="p0-choice" value="0"[^>]* checked', page)
        trainee.open("/q/9", [("p0-choice", "0"), ("p1-value", "true"), ("go", "review")])
        case = json.loads(path.read_text(encoding="utf-8"))["items"][8]
        assert case["score"] == case["max"] and "draft" not in case
    finally:
        proc.terminate()
        proc.wait(timeout=30)
