"""`serve` with more than one web process, as real processes on a real port."""

from __future__ import annotations

import os
import signal
import socket
import time
import urllib.request
from pathlib import Path

import pytest

posix_only = pytest.mark.skipif(os.name != "posix", reason="reads /proc and sends signals")


def _children(pid: int) -> list[int]:
    """Web processes of serve `pid` (multiprocessing's resource tracker is not one)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue  # ended while we looked
        if int(fields[1]) == pid and b"spawn_main" in command:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _health(url: str) -> int:
    with urllib.request.urlopen(f"{url}/healthz", timeout=10) as response:
        return response.status


@posix_only
def test_a_second_process_serves_while_the_first_is_stopped_and_ends_with_it(server, monkeypatch):
    monkeypatch.setenv("PLEXOMATIC_WEB_PROCESSES", "2")
    server.start()
    deadline = time.monotonic() + 30
    while not (web := _children(server.process.pid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(web) == 1
    # serve's own process frozen: only the second one can answer now.
    server.process.send_signal(signal.SIGSTOP)
    try:
        deadline = time.monotonic() + 30
        answered = 0
        while answered < 5 and time.monotonic() < deadline:
            try:
                answered += _health(server.url) == 200
            except OSError:
                time.sleep(0.2)  # still starting: the connection waits for nobody
        assert answered == 5
    finally:
        server.process.send_signal(signal.SIGCONT)
    code, output = server.stop()
    assert code == 0 and "Stopped." in output and "Traceback" not in output
    assert not _alive(web[0])


@posix_only
def test_when_serve_is_killed_its_web_processes_stop_and_free_the_port(server, monkeypatch):
    monkeypatch.setenv("PLEXOMATIC_WEB_PROCESSES", "3")
    server.start()
    deadline = time.monotonic() + 30
    while len(web := _children(server.process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(web) == 2
    server.process.kill()
    server.process.communicate(timeout=10)
    server.process = None
    deadline = time.monotonic() + 15
    while any(_alive(pid) for pid in web) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in web)
    with socket.socket() as again:
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind(("127.0.0.1", server.port))  # nobody holds it any more


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("0", "--processes 0 is not a number of processes; use 1 to 16."),
        ("17", "--processes 17 is not a number of processes; use 1 to 16."),
        ("many", "argument --processes: invalid int value: 'many'"),
    ],
)
def test_a_number_of_processes_that_is_none_is_refused_with_a_sentence(server, value, said):
    result = server.manage("serve", "--processes", value, check=False)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert said in result.stderr


def test_the_environment_variable_is_checked_too(server, monkeypatch):
    monkeypatch.setenv("PLEXOMATIC_WEB_PROCESSES", "0")
    result = server.manage("serve", check=False)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "PLEXOMATIC_WEB_PROCESSES" in result.stderr
