"""What a backup runs beside what: the flush beside the copy, the hash beside the check."""

from __future__ import annotations

import errno
import logging
import sqlite3
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest

from backups.errors import BackupError
from backups.models import BackupKind
from backups.services import snapshot
from backups.services.manifest import file_sha256, manifest_read
from backups.tests.conftest import backup_files, filler_add
from bench.backup import PHASES

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.sqlite_only(reason="SQLite page copy overlapped with its check"),
]

PAGE = 4096  # the test database's page size
# SQLite's default page cache (2,000 KiB): pages the copy holds before they reach its file.
CACHE_PAGES = 512


def _nothing_left(folder: Path) -> None:
    assert backup_files(folder) == []
    assert not [p for p in folder.iterdir() if p.name.startswith(".tmp")]
    assert not [t for t in threading.enumerate() if t.name.startswith("backup-")]


def test_the_copy_is_flushed_beside_it_and_never_runs_two_chunks_ahead(backup_dir, monkeypatch):
    filler_add(20_000)  # ~18 MB: 4,600 pages, 18 chunks
    monkeypatch.setattr(snapshot, "STEP_PAGES", 64)
    monkeypatch.setattr(snapshot, "FLUSH_EVERY_PAGES", 256)
    real_fsync = snapshot.fsync_path
    durable = 0  # bytes surely on disk: the size when the last finished flush began
    flushes: list[str] = []

    def slow_disk_fsync(path: Path) -> None:
        nonlocal durable
        size = path.stat().st_size
        flushes.append(threading.current_thread().name)
        if threading.current_thread().name.startswith("backup-flush"):
            time.sleep(0.05)  # a disk slower than the copy
        real_fsync(path)
        durable = size

    ahead: list[int] = []

    def progress(done: int, total: int | None = None, message: str = "") -> None:
        if message == "Copying":
            ahead.append(done - durable // PAGE)

    monkeypatch.setattr(snapshot, "fsync_path", slow_disk_fsync)
    taken = snapshot.backup_create(kind=BackupKind.MANUAL, progress=progress)

    beside = [name for name in flushes if name.startswith("backup-flush")]
    assert len(beside) >= 10, flushes  # flushed as it grew, off the copying thread
    # Never more than the chunk being flushed, the one being written and SQLite's cache.
    assert max(ahead) <= 2 * 256 + 64 + CACHE_PAGES, max(ahead)
    assert taken.manifest.sha256 == file_sha256(taken.path)


def test_a_flush_that_fails_beside_the_copy_fails_the_backup_and_keeps_nothing(
    backup_dir, monkeypatch
):
    filler_add(5_000)
    monkeypatch.setattr(snapshot, "STEP_PAGES", 64)
    monkeypatch.setattr(snapshot, "FLUSH_EVERY_PAGES", 256)
    real_fsync = snapshot.fsync_path

    def failing_disk(path: Path) -> None:
        if threading.current_thread().name.startswith("backup-flush"):
            raise OSError(errno.EIO, "Input/output error", str(path))
        real_fsync(path)

    monkeypatch.setattr(snapshot, "fsync_path", failing_disk)
    with pytest.raises(BackupError, match="nothing was kept: Input/output error"):
        snapshot.backup_create(kind=BackupKind.MANUAL)
    _nothing_left(backup_dir)


def test_the_hash_runs_beside_the_check_and_is_the_published_files(backup_dir, monkeypatch):
    filler_add(20_000)
    real_hash = snapshot.file_sha256
    hashed: list[tuple[str, str]] = []

    def hash_and_note(path: Path) -> str:
        digest = real_hash(path)
        hashed.append((threading.current_thread().name, digest))
        return digest

    monkeypatch.setattr(snapshot, "file_sha256", hash_and_note)
    taken = snapshot.backup_create(kind=BackupKind.MANUAL)
    [(thread, digest)] = hashed
    assert thread != threading.main_thread().name
    assert digest == taken.manifest.sha256 == manifest_read(taken.path).sha256
    assert digest == file_sha256(taken.path)


def test_a_check_that_fails_while_the_hash_runs_keeps_nothing(backup_dir, monkeypatch):
    filler_add(5_000)
    real_copy, real_check, real_hash = snapshot._copy, snapshot.backup_check, snapshot.file_sha256
    checked = threading.Event()

    def copy_then_damage(*, source: Path, target: Path, progress) -> None:
        real_copy(source=source, target=target, progress=progress)
        with closing(sqlite3.connect(target)) as db:
            [page] = db.execute(
                "SELECT pageno FROM dbstat WHERE name = 'filler' AND pagetype = 'leaf' LIMIT 1"
            ).fetchone()
        with open(target, "r+b") as handle:
            handle.seek((page - 1) * PAGE)
            handle.write(b"\xff" * PAGE)

    def check_then_say_so(**kwargs):
        try:
            return real_check(**kwargs)
        finally:
            checked.set()

    def hash_after_the_check(path: Path) -> str:
        assert checked.wait(timeout=30)  # still hashing when the check fails
        return real_hash(path)

    monkeypatch.setattr(snapshot, "_copy", copy_then_damage)
    monkeypatch.setattr(snapshot, "backup_check", check_then_say_so)
    monkeypatch.setattr(snapshot, "file_sha256", hash_after_the_check)
    with pytest.raises(BackupError, match="fails SQLite's integrity check"):
        snapshot.backup_create(kind=BackupKind.MANUAL)
    _nothing_left(backup_dir)


def test_a_backup_logs_its_phases_as_the_benchmark_reads_them(backup_dir, caplog):
    # 27 MB: on a quiet machine 2,000 rows backed up in under 5 ms a phase, which the
    # log rounds to 0.00 s.
    filler_add(30_000)
    caplog.set_level(logging.DEBUG, logger="backups.services.snapshot")
    started = time.perf_counter()
    taken = snapshot.backup_create(kind=BackupKind.MANUAL)
    elapsed = time.perf_counter() - started
    [line] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Backed up")]
    assert taken.path.name in line
    match = PHASES.search(line)
    assert match, line
    # The hash and the fsync run beside the check: only these three follow each other.
    # (Each is rounded to 10 ms.)
    assert 0 < sum(float(match[name]) for name in ("copy", "check", "publish")) <= elapsed + 0.015
