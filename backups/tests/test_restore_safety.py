"""Restore under pressure: concurrent writers, stale queued tasks, failures mid-way."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from backups.errors import BackupError
from backups.models import BackupKind
from backups.services.folder import TEMP_PREFIX
from backups.services.restore import INTERRUPTED, backup_restore
from backups.services.snapshot import backup_create
from backups.services.sync import backups_sync
from backups.tests.conftest import backup_files, live_path, manage
from conftest import sqlite_backups
from library.models import Library
from library.services.locks import library_lock
from library.services.plan import plan_build
from library.services.scan import library_scan
from library.tasks import apply_library
from plexomatic_site.jobs import job_enqueue
from plexomatic_site.models import Job, JobKind

pytestmark = [pytest.mark.django_db(transaction=True), sqlite_backups]

WRITER = """
import json, os, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], timeout=20, isolation_level=None)
stop = sys.argv[2]
committed, errors, n = [], [], 0
print("ready", flush=True)
while not os.path.exists(stop):
    n += 1
    try:
        db.execute("INSERT INTO writer_rows (n) VALUES (?)", [n])
        committed.append(n)
    except sqlite3.Error as exc:
        errors.append(str(exc))
    time.sleep(0.005)
print(json.dumps({"committed": committed, "errors": errors}), flush=True)
"""


def _rows(path: Path) -> set[int]:
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as db:
        return {n for (n,) in db.execute("SELECT n FROM writer_rows")}


def _fill_live(megabytes: int) -> None:
    with closing(sqlite3.connect(live_path(), timeout=20)) as db, db:
        db.execute("CREATE TABLE writer_rows (n INTEGER PRIMARY KEY)")
        db.execute("CREATE TABLE filler (n INTEGER PRIMARY KEY, pad BLOB)")
        db.executemany(
            "INSERT INTO filler (pad) VALUES (randomblob(?))", ([1 << 20] for _ in range(megabytes))
        )


def test_no_row_committed_while_a_restore_runs_is_lost(backup_dir, tmp_path):
    _fill_live(40)
    snapshot = backup_create(kind=BackupKind.MANUAL)
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(live_path()), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
    time.sleep(0.3)
    try:
        result = backup_restore(name=snapshot.path.name)
    except BackupError as exc:
        result, refused = None, str(exc)
    time.sleep(0.3)
    stop.touch()
    report = json.loads(writer.communicate(timeout=60)[0])
    committed = set(report["committed"])
    assert report["errors"] == [] and len(committed) > 50

    live = _rows(live_path())
    if result is None:
        # Refused: nothing restored, every committed row is still live.
        assert "wrote to the database" in refused
        assert committed <= live
        assert not [name for name in backup_files(backup_dir) if "pre_restore" in name]
    else:
        # Restored: each row is in the undo backup or was written after the restore.
        lost = committed - live - _rows(result.undo.path)
        assert not lost, f"{len(lost)} of {len(committed)} committed rows lost"


class WriteDuringUndoBackup:
    """A progress callback that commits a row from another connection while the
    pre_restore backup is being copied, on the given tries (1-based)."""

    def __init__(self, *, tries: set[int]) -> None:
        self.tries, self.started, self.copying = tries, 0, False
        self.written: set[int] = set()

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        if message == "Copying" and not self.copying:
            self.started += 1
            if self.started in self.tries:
                with closing(sqlite3.connect(live_path(), timeout=20)) as db, db:
                    db.execute("INSERT INTO writer_rows (n) VALUES (?)", [self.started])
                self.written.add(self.started)
        self.copying = message == "Copying"


def test_a_write_during_the_undo_backup_is_kept_by_trying_again(backup_dir):
    _fill_live(0)
    snapshot = backup_create(kind=BackupKind.MANUAL)
    progress = WriteDuringUndoBackup(tries={1})

    result = backup_restore(name=snapshot.path.name, progress=progress)

    assert progress.started == 2 and progress.written == {1}
    # The first try's write is in the second try's undo backup; the first
    # try's undo backup (which lacks it) was removed.
    assert _rows(result.undo.path) == {1}
    assert _rows(live_path()) == set()
    assert [name for name in backup_files(backup_dir) if "pre_restore" in name] == [
        result.undo.path.name
    ]


def test_a_site_that_keeps_writing_gets_a_refusal_and_loses_nothing(backup_dir):
    _fill_live(0)
    snapshot = backup_create(kind=BackupKind.MANUAL)
    with closing(sqlite3.connect(live_path(), timeout=20)) as db, db:
        db.execute("INSERT INTO writer_rows (n) VALUES (100)")
    progress = WriteDuringUndoBackup(tries={1, 2, 3})

    with pytest.raises(BackupError) as excinfo:
        backup_restore(name=snapshot.path.name, progress=progress)

    assert str(excinfo.value) == (
        f"{snapshot.path.name} was not restored: the site wrote to the database while the "
        "pre_restore backup was being taken (3 tries), and those changes would have been "
        "lost; nothing was changed. Try again in a moment."
    )
    # Each copy was rolled back: the live database still has its own rows,
    # including the one written before the restore that the backup lacks.
    assert _rows(live_path()) == {100, 1, 2, 3}
    assert not [name for name in backup_files(backup_dir) if "pre_restore" in name]
    assert not [p.name for p in backup_dir.iterdir() if p.name.startswith(TEMP_PREFIX)]


def _queued_apply(root: Path) -> tuple[Job, Path]:
    """An apply queued from the rename preview, as the page queues it, with its file."""
    root.mkdir()
    video = root / "Show.Name.S01E01.mkv"
    video.write_bytes(b"video" * 100)
    library = Library.objects.create(name="TV", root_path=str(root))
    library_scan(library=library)
    previewed = {item.media.pk: item.target_display for item in plan_build(library=library).ready()}
    assert previewed
    job = job_enqueue(
        kind=JobKind.APPLY,
        locks=[library_lock(library)],
        task=apply_library,
        library_id=library.pk,
        previewed=list(previewed.items()),
        user_id=None,
    )
    return job, video


def _cancel(job: Job) -> None:
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, error="Cancelled.")


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_restore_ends_the_backups_queued_tasks_so_the_worker_renames_nothing(
    backup_dir, tmp_path
):
    job, video = _queued_apply(tmp_path / "tv")
    snapshot = backup_create(kind=BackupKind.MANUAL)
    # Since then the apply was cancelled: nothing queued, the file never moved.
    _cancel(job)
    DBTaskResult.objects.update(status=TaskResultStatus.FAILED)

    backup_restore(name=snapshot.path.name)
    worker = manage("db_worker", "--batch", "--no-startup-delay", backup_dir=backup_dir)

    assert worker.returncode == 0, worker.stderr
    assert _files(video.parent) == [video.name]
    job.refresh_from_db()
    assert (job.status, job.error) == (Job.Status.FAILED, INTERRUPTED)
    task = DBTaskResult.objects.get()
    assert (task.status, task.traceback) == (TaskResultStatus.FAILED, INTERRUPTED)


def test_a_task_never_starts_a_job_that_already_ended(backup_dir, tmp_path):
    job, video = _queued_apply(tmp_path / "tv")
    _cancel(job)

    worker = manage("db_worker", "--batch", "--no-startup-delay", backup_dir=backup_dir)

    assert worker.returncode == 0, worker.stderr
    assert _files(video.parent) == [video.name]
    job.refresh_from_db()
    assert (job.status, job.error) == (Job.Status.FAILED, "Cancelled.")
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "plexomatic_site.jobs.JobNotQueued"
    assert (
        "An apply job of library “TV” is failed, not queued, so it is not started again."
        in task.traceback
    )


def test_index_syncs_during_a_restore_do_not_spoil_it(backup_dir):
    # The scheduler and the Backups page sync the index at any moment; the
    # restore's own pre_restore backup makes it out of date mid-restore.
    _fill_live(20)
    target = backup_create(kind=BackupKind.MANUAL)
    stop = threading.Event()
    syncs: list[object] = []

    def sync_forever() -> None:
        while not stop.is_set():
            syncs.append(backups_sync())
        connection.close()

    syncer = threading.Thread(target=sync_forever)
    syncer.start()
    try:
        result = backup_restore(name=target.path.name)
    finally:
        stop.set()
        syncer.join(timeout=30)
    assert result.undo.path.exists()
    assert len(syncs) > 10  # it really ran throughout
