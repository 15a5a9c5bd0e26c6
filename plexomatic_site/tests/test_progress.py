"""Progress on stderr: a bar on a terminal, plain lines in a log or a cron mail."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

from plexomatic_site import progress as progress_module
from plexomatic_site.progress import progress_bar

BASE_DIR = Path(__file__).resolve().parents[2]


def _manage(data_dir: Path, *args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PLEXOMATIC_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        env=env,
        text=True,
        check=True,
        timeout=120,
        **kwargs,  # type: ignore[call-overload]
    )


def test_scan_into_a_log_writes_plain_lines_without_carriage_returns(tmp_path):
    media = tmp_path / "media" / "Show (2020)" / "Season 01"
    media.mkdir(parents=True)
    for n in (1, 2):
        (media / f"Show (2020) - s01e0{n}.mkv").write_bytes(b"x" * 10)
    data = tmp_path / "data"
    _manage(data, "migrate", "--no-input", stdout=subprocess.DEVNULL)
    _manage(data, "createlibrary", "TV", str(tmp_path / "media"), stdout=subprocess.DEVNULL)
    log = tmp_path / "scan.log"
    with log.open("w") as out:
        # As `manage.py scan > log 2>&1` from cron: neither stream is a terminal.
        _manage(data, "scan", stdout=out, stderr=subprocess.STDOUT)
    text = log.read_text()
    assert "\r" not in text
    assert "\x1b[" not in text
    assert "TV: Comparing with the library: 0 of 2 files\n" in text
    assert "TV: 2 seen = 0 unchanged + 2 new" in text


def test_lines_are_written_per_phase_and_then_at_most_every_few_seconds(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(progress_module.time, "monotonic", lambda: now[0])
    stream = io.StringIO()
    with progress_bar("Apply", stream=stream) as progress:
        progress(0, 300, "checksumming")
        progress(100, 300, "checksumming")  # too soon: not written
        now[0] += progress_module.LINE_EVERY
        progress(200, 300, "checksumming")
        progress(0, None, "renaming")  # a new phase is always written
        progress(5, None, "renaming")
    assert stream.getvalue().splitlines() == [
        "Apply: checksumming: 0 of 300 files",
        "Apply: checksumming: 200 of 300 files",
        "Apply: renaming",
    ]


def _read_until_closed(leader: int) -> str:
    """Everything the terminal was sent: one read may return only what the kernel has pushed so far."""
    chunks = []
    try:
        while chunk := os.read(leader, 10_000):
            chunks.append(chunk)
    except OSError:  # EIO: the follower is closed and everything has been read
        pass
    finally:
        os.close(leader)
    return b"".join(chunks).decode()


def test_on_a_terminal_a_bar_is_drawn():
    leader, follower = pty.openpty()
    with os.fdopen(follower, "w") as terminal, progress_bar("Scan", stream=terminal) as progress:
        progress(0, 4, "walking")
        progress(4, 4, "walking")
    drawn = _read_until_closed(leader)
    assert "\r" in drawn
    assert "Scan: walking" in drawn
    assert "0/4" in drawn


def test_no_progress_writes_nothing():
    stream = io.StringIO()
    with progress_bar("Scan", enabled=False, stream=stream) as progress:
        progress(1, 2, "walking")
    assert stream.getvalue() == ""
