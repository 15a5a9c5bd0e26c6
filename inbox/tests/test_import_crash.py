"""The crash test of imports: real processes, real SIGKILLs, real files."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import BASE_DIR
from inbox.tests.downloads import downloads_make

SETUP = """
import os
from inbox.models import InboxFolder
from library.models import Library
tv = Library.objects.create(name="TV", root_path=os.environ["TV_ROOT"])
movies = Library.objects.create(name="Movies", root_path=os.environ["MOVIE_ROOT"])
InboxFolder.objects.create(
    name="Downloads", path=os.environ["INBOX_ROOT"], mode=os.environ["MODE"],
    tv_library=tv, movie_library=movies,
)
"""


def contents(root: Path) -> dict[str, tuple[str, int]]:
    """relative path -> (sha256, inode) of every file, hidden ones (the recycle folder,
    a leftover partial copy) included."""
    found = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                found[os.path.relpath(path, root)] = (
                    hashlib.sha256(handle.read()).hexdigest(),
                    os.lstat(path).st_ino,
                )
    return found


def check_nothing_lost_or_duplicated(
    db: Path, inbox: Path, libraries: list[Path], start: dict[str, tuple[str, int]], mode: str
) -> None:
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT original_path, new_path, status, needs_attention FROM library_fileoperation"
        ).fetchall()
    assert not [r for r in rows if r[2] == "pending" or r[3]], rows
    landed = {os.path.join(lib, rel): v for lib in libraries for rel, v in contents(lib).items()}
    # Exactly the completed operations' files are in the libraries, with their content.
    completed = {new: original for original, new, status, _ in rows if status == "completed"}
    assert set(landed) == set(completed), set(landed) ^ set(completed)
    in_inbox = contents(inbox)
    for new, original in completed.items():
        relative = os.path.relpath(original, inbox)
        assert landed[new][0] == start[relative][0]
        if mode == "hardlink":
            assert landed[new][1] == start[relative][1]
    if mode == "hardlink":
        assert in_inbox == start
    else:
        # Every download is in exactly one place: still in the inbox, or imported.
        moved = {os.path.relpath(original, inbox) for original in completed.values()}
        assert set(in_inbox) | moved == set(start)
        assert not set(in_inbox) & moved


@pytest.mark.parametrize("mode", ["move", "hardlink"])
@pytest.mark.django_db(transaction=True)
def test_import_killed_at_random_points_is_recovered_exactly(server, tmp_path, mode):
    kills = 6
    inbox, tv, movies = tmp_path / "downloads", tmp_path / "tv", tmp_path / "movies"
    tv.mkdir()
    movies.mkdir()
    downloads_make(inbox, releases=40)
    start = contents(inbox)
    server.manage("migrate", "--verbosity", "0")
    env = {
        **server.env(),
        "TV_ROOT": str(tv),
        "MOVIE_ROOT": str(movies),
        "INBOX_ROOT": str(inbox),
        "MODE": mode,
    }
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SETUP], cwd=BASE_DIR, env=env, check=True
    )
    db = server.data_dir / "plexomatic.sqlite3"
    command = [sys.executable, "inbox/tests/slow_import.py", "--yes", "--no-progress"]
    rng = random.Random(7)
    settled = 0
    for _ in range(kills):
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            with sqlite3.connect(db) as connection:
                if connection.execute(
                    "SELECT count(*) FROM library_fileoperation WHERE status = 'pending'"
                ).fetchone()[0]:
                    break
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 0.8))
        process.send_signal(signal.SIGKILL)
        process.wait()
        recovered = server.manage("recover", "--no-progress").stdout
        if not recovered.startswith("Recovered 0 "):
            settled += 1
        check_nothing_lost_or_duplicated(db, inbox, [tv, movies], start, mode)
    assert settled >= kills // 3
    # Nothing was replaced: a file imported before a kill is not a duplicate of itself.
    assert not (tv / ".plexomatic-recycle").exists()
    final = subprocess.run(command, cwd=BASE_DIR, env=env, capture_output=True, text=True)
    assert final.returncode == 0, final.stdout + final.stderr
    check_nothing_lost_or_duplicated(db, inbox, [tv, movies], start, mode)
    with sqlite3.connect(db) as connection:
        batches = [r[0] for r in connection.execute("SELECT id FROM library_batch ORDER BY id")]
    for batch in reversed(batches):
        server.manage("rollback", "--batch", str(batch), "--yes", "--no-progress", check=False)
    assert contents(inbox).keys() == start.keys()
    assert {k: v[0] for k, v in contents(inbox).items()} == {k: v[0] for k, v in start.items()}
    assert contents(tv) == {} and contents(movies) == {}
