"""`manage.py backup` as users run it: interrupted, refused, failing late, or not set up."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from backups.models import BackupKind
from backups.services.manifest import file_sha256, manifest_read
from backups.tests.conftest import (
    BASE_DIR,
    backup_files,
    filler_add,
    manage,
    manage_start,
)
from plexomatic_site.jobs import LockKey, jobs_claim
from plexomatic_site.models import Job, JobKind

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.sqlite_only(reason="interrupts a SQLite page copy")
def test_ctrl_c_during_a_backup_leaves_nothing_behind(backup_dir):
    filler_add(200_000)  # a copy of about 1 s: the interrupt lands in it on a loaded machine too
    proc = manage_start("backup", "--no-progress", backup_dir=backup_dir)
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".tmp-") for p in backup_dir.iterdir()):
        assert proc.poll() is None and time.monotonic() < deadline, "no copy was started"
        time.sleep(0.002)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert "Interrupted; nothing was kept." in stderr and "Traceback" not in stderr
    assert backup_files(backup_dir) == []


@pytest.mark.sqlite_only(reason="times a SQLite page copy")
def test_a_backup_while_another_backup_job_runs_fails_with_a_sentence(backup_dir):
    jobs_claim(
        kind=JobKind.BACKUP, locks=[LockKey.BACKUP]
    )  # held by this (live) process, as a running backup would
    result = manage("backup", "--no-progress", backup_dir=backup_dir)
    assert result.returncode == 1
    assert "A backup job is already running" in result.stderr
    assert backup_files(backup_dir) == []


def test_backup_of_a_database_never_set_up_says_to_migrate_first(tmp_path):
    data_dir = tmp_path / "fresh"
    result = subprocess.run(
        [sys.executable, "manage.py", "backup", "--no-progress"],
        cwd=BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "PLEXOMATIC_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert "run `manage.py migrate`" in result.stderr and "Traceback" not in result.stderr
    assert backup_files(data_dir / "backups") == []


def test_a_failing_folder_fsync_after_the_rename_keeps_the_backup_whole(backup_dir, monkeypatch):
    from backups.services import snapshot as module

    def fsync_fails(folder):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(module, "fsync_folder", fsync_fails)
    taken = module.backup_create(kind=BackupKind.MANUAL)
    assert manifest_read(taken.path).sha256 == file_sha256(taken.path)


def test_ctrl_c_just_after_the_rename_leaves_the_backup_with_its_manifest(backup_dir, monkeypatch):
    from backups.services import snapshot as module

    def interrupted(folder):
        raise KeyboardInterrupt

    monkeypatch.setattr(module, "fsync_folder", interrupted)
    with pytest.raises(KeyboardInterrupt):
        module.backup_create(kind=BackupKind.MANUAL)
    (name,) = backup_files(backup_dir)
    assert manifest_read(backup_dir / name).sha256 == file_sha256(backup_dir / name)


def test_ctrl_c_while_pruning_keeps_the_backup_and_records_a_success(backup_dir, monkeypatch):
    from backups.services import schedule as module

    def interrupted(**kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(module, "backups_prune", interrupted)
    taken = module.backup_job_run(kind=BackupKind.MANUAL)
    assert taken.warnings == ["Interrupted while pruning old backups; the backup itself is kept."]
    job = Job.objects.get(kind="backup")
    assert job.status == Job.Status.SUCCEEDED and job.summary["warnings"] == taken.warnings
    assert backup_files(backup_dir) == [taken.snapshot.path.name]
