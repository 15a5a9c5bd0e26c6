"""Taking backups: consistent under concurrent writes, checked, described, atomic."""

from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from backups.errors import BackupError
from backups.models import BackupKind
from backups.services.check import backup_check
from backups.services.folder import folder_lock
from backups.services.manifest import file_sha256, manifest_read
from backups.services.snapshot import backup_create
from backups.tests.conftest import (
    backup_files,
    checkpoint,
    filler_add,
    live_path,
    live_sha256,
    manage,
    manage_start,
)
from conftest import sqlite_backups
from plexomatic_site import APP_NAME, __version__
from plexomatic_site.models import Job

pytestmark = [pytest.mark.django_db(transaction=True), sqlite_backups]

WRITER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], timeout=20, isolation_level=None)
db.execute("CREATE TABLE IF NOT EXISTS writer_rows (n INTEGER PRIMARY KEY, pad TEXT)")
n = 0
print("ready", flush=True)
deadline = time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline:
    n += 1
    db.execute("BEGIN IMMEDIATE")
    db.execute("INSERT INTO writer_rows VALUES (?, ?)", (n, "x" * 500))
    db.execute("COMMIT")
print(n, flush=True)
"""


def _rows(path, table: str) -> list[int]:
    with sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True) as db:
        return [n for (n,) in db.execute(f"SELECT n FROM {table} ORDER BY n")]


def test_backup_taken_while_another_process_writes_is_complete_and_sound(backup_dir):
    filler_add(20_000)  # ~20 MB: thousands of pages, many steps
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(live_path()), "6"], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout.readline().strip() == "ready"
    time.sleep(0.5)
    snapshot = backup_create(kind=BackupKind.MANUAL)
    written = int(writer.communicate(timeout=60)[0].strip())

    assert backup_check(path=snapshot.path)  # integrity_check passes, it is ours
    copied = _rows(snapshot.path, "writer_rows")
    # A consistent snapshot: every row up to some point, no gaps, none torn.
    assert copied == list(range(1, len(copied) + 1))
    assert 0 < len(copied) < written, "the writer kept committing during and after the copy"
    assert _rows(snapshot.path, "filler") == list(range(20_000))
    assert snapshot.manifest.sha256 == file_sha256(snapshot.path)


def test_backup_taken_while_a_thread_writes_is_consistent(backup_dir):
    filler_add(5_000)
    stop = threading.Event()
    count = 0

    def write() -> None:
        nonlocal count
        db = sqlite3.connect(live_path(), timeout=20, isolation_level=None)
        db.execute("CREATE TABLE IF NOT EXISTS writer_rows (n INTEGER PRIMARY KEY, pad TEXT)")
        while not stop.is_set():
            count += 1
            db.execute("INSERT INTO writer_rows VALUES (?, 'z')", (count,))
        db.close()

    thread = threading.Thread(target=write)
    thread.start()
    time.sleep(0.3)
    try:
        snapshot = backup_create(kind=BackupKind.SCHEDULED)
    finally:
        stop.set()
        thread.join()
    copied = _rows(snapshot.path, "writer_rows")
    assert copied == list(range(1, len(copied) + 1)) and copied
    assert backup_check(path=snapshot.path)


def test_backup_has_a_manifest_and_is_a_single_self_contained_file(backup_dir):
    snapshot = backup_create(kind=BackupKind.MANUAL, note="before the big rename")
    manifest = json.loads((backup_dir / f"{snapshot.path.name}.json").read_text())
    assert manifest["app"] == APP_NAME == "plexomatic"
    assert manifest["app_version"] == __version__
    assert manifest["kind"] == "manual" and manifest["engine"] == "sqlite"
    assert manifest["note"] == "before the big rename"
    assert manifest["size"] == snapshot.path.stat().st_size
    assert manifest["sha256"] == file_sha256(snapshot.path)
    assert "0001_initial" in manifest["migrations"]["backups"]
    assert manifest["created_at"].endswith("+00:00")  # UTC
    assert manifest_read(snapshot.path).verified is True
    # Rollback-journal mode, and no temporary, -wal or -shm file left behind.
    assert snapshot.path.read_bytes()[18:20] == b"\x01\x01"
    assert sorted(p.name for p in backup_dir.iterdir()) == sorted(
        [".lock", snapshot.path.name, f"{snapshot.path.name}.json"]
    )


def test_two_concurrent_backups_do_not_corrupt_each_other(backup_dir):
    filler_add(5_000)
    results: list[object] = []

    def take() -> None:
        try:
            results.append(backup_create(kind=BackupKind.MANUAL))
        except BackupError as exc:
            results.append(exc)

    threads = [threading.Thread(target=take) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(not isinstance(r, Exception) for r in results), results
    assert len({r.path for r in results}) == 2
    for snapshot in results:
        assert backup_check(path=snapshot.path, expected_sha256=snapshot.manifest.sha256)


def test_two_backup_commands_at_once_both_end_well_or_one_says_why(backup_dir):
    filler_add(5_000)
    procs = [manage_start("backup", "--no-progress", backup_dir=backup_dir) for _ in range(2)]
    outcomes = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    assert any(code == 0 for code, _ in outcomes)
    for code, err in outcomes:
        assert code == 0 or "already running" in err, err
    files = backup_files(backup_dir)
    assert len(files) == sum(code == 0 for code, _ in outcomes)
    for name in files:
        path = backup_dir / name
        assert backup_check(path=path, expected_sha256=manifest_read(path).sha256)


def test_a_held_lock_makes_a_second_backup_fail_with_a_sentence(backup_dir):
    with folder_lock(folder=backup_dir, timeout=1), pytest.raises(BackupError) as excinfo:
        backup_create(kind=BackupKind.MANUAL, lock_timeout=0.3)
    assert "Another backup or restore is using" in str(excinfo.value)
    assert backup_files(backup_dir) == []


def _limit_file_size(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_disk_that_fills_up_during_the_backup_leaves_nothing_behind(backup_dir):
    filler_add(2_000)
    checkpoint()  # the command's own small writes then stay far below the limit
    # The kernel refuses writes past 100 KB, as a full disk would mid-copy.
    result = manage(
        "backup", "--no-progress", backup_dir=backup_dir, preexec_fn=_limit_file_size(100_000)
    )
    assert result.returncode == 1
    assert "The backup failed and nothing was kept" in result.stderr
    assert "Traceback" not in result.stderr
    assert backup_files(backup_dir) == []
    assert not [p for p in backup_dir.iterdir() if p.name.startswith(".tmp")]
    assert sqlite3.connect(live_path()).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # The failed attempt is recorded (the overview warns), nothing else changed.
    assert Job.objects.get(kind="backup").status == Job.Status.FAILED


@pytest.mark.parametrize("problem", ["missing", "unwritable", "a file"])
def test_backup_refuses_a_missing_or_unwritable_backup_folder(tmp_path, problem):
    if problem == "missing":
        folder = tmp_path / "nowhere"
    elif problem == "a file":
        folder = tmp_path / "file"
        folder.write_text("x")
    elif os.geteuid() == 0:
        folder = Path("/sys")  # root may write anywhere a mode allows; sysfs refuses
    else:
        folder = tmp_path / "readonly"
        folder.mkdir(mode=0o500)
    before = live_sha256()
    expected = {
        "missing": "does not exist",
        "unwritable": "cannot be written",
        "a file": "is not a folder",
    }[problem]
    for command in (["backup"], ["restore", "1", "--yes"]):
        result = manage(*command, "--no-progress", backup_dir=folder)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert expected in result.stderr
    assert live_sha256() == before


def test_backup_command_prints_the_path_and_a_summary(backup_dir):
    result = manage("backup", "--no-progress", "--note", "hello", backup_dir=backup_dir)
    assert result.returncode == 0, result.stderr
    path, summary = result.stdout.strip().splitlines()
    assert path.startswith(str(backup_dir)) and path.endswith("-manual.sqlite3")
    assert "Backed up the database (manual" in summary and "integrity ok" in summary


def test_backup_if_due_only_backs_up_when_the_schedule_says_so(backup_dir):
    first = manage("backup", "--if-due", "--no-progress", backup_dir=backup_dir)
    assert first.returncode == 0 and "scheduled" in first.stdout
    second = manage("backup", "--if-due", "--no-progress", backup_dir=backup_dir)
    assert second.returncode == 0 and "No backup is due" in second.stdout
    assert len(backup_files(backup_dir)) == 1


def test_backup_refuses_other_database_engines(backup_dir, monkeypatch):
    from django.core.management import CommandError, call_command
    from django.db import connection

    # No PostgreSQL server here: the engine check reads only the vendor.
    monkeypatch.setattr(connection, "vendor", "postgresql")
    with pytest.raises(CommandError, match=r"SQLite only.*postgresql"):
        call_command("backup", "--no-progress")


@pytest.mark.parametrize("kind", ["imported", "weekly"])
def test_a_snapshot_is_never_of_a_kind_this_install_does_not_take(backup_dir, kind):
    with pytest.raises(BackupError, match="is not a kind of backup this install takes"):
        backup_create(kind=kind)
    assert backup_files(backup_dir) == []
