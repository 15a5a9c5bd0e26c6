"""Schedule: when a backup is due, the serve scheduler, and health warnings."""

from __future__ import annotations

import io
import json
import shutil
import time
import urllib.request
from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from backups.models import Backup, BackupKind
from backups.scheduler import BackupScheduler
from backups.selectors import backup_health
from backups.services.retention import backup_delete
from backups.services.schedule import backup_due, backup_job_run
from backups.services.sync import backups_sync
from backups.services.verify import backup_verify
from plexomatic_site.models import Job
from plexomatic_site.settings_store import settings_update

pytestmark = pytest.mark.django_db(transaction=True)


def test_backup_is_due_by_the_interval_and_never_when_off(backup_dir):
    assert backup_due()  # no backup at all
    taken = backup_job_run(kind=BackupKind.SCHEDULED)
    assert not backup_due()
    assert backup_due(now=taken.backup.created_at + timedelta(hours=24))
    settings_update(values={"backup_interval_hours": 0})
    assert not backup_due(now=taken.backup.created_at + timedelta(days=400))


def test_scheduler_catches_up_at_start_and_records_failures(backup_dir, settings):
    scheduler = BackupScheduler(check_every=3600)
    scheduler.start()
    deadline = time.monotonic() + 30
    while not Backup.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    scheduler.stop()
    assert not scheduler.is_alive()
    assert Backup.objects.get().kind == BackupKind.SCHEDULED

    # A failing attempt is recorded, and the overview's health says so.
    Backup.objects.update(created_at=timezone.now() - timedelta(days=3))
    for path in backup_dir.glob("*.json"):
        manifest = json.loads(path.read_text())
        manifest["created_at"] = (timezone.now() - timedelta(days=3)).isoformat()
        path.write_text(json.dumps(manifest))
    settings.PLEXOMATIC_BACKUP_DIR = backup_dir / "gone"
    BackupScheduler().run_due()
    job = Job.objects.get(kind="backup", status=Job.Status.FAILED)
    assert "does not exist" in job.error
    settings.PLEXOMATIC_BACKUP_DIR = backup_dir
    health = backup_health(interval_hours=24)
    assert health.state == "warning"
    assert any("last backup attempt failed" in w for w in health.warnings)
    assert any("more than twice the 24-hour backup interval" in w for w in health.warnings)


def test_healthz_reports_backups_and_warns(client, backup_dir):
    body = json.loads(client.get(reverse("healthz")).content)
    assert body["status"] == "ok"
    assert body["backups"]["state"] == "warning"
    assert body["backups"]["last_successful"] is None
    assert "There is no backup of the database yet." in body["backups"]["warnings"]

    backup_job_run(kind=BackupKind.MANUAL)
    body = json.loads(client.get(reverse("healthz")).content)
    row = Backup.objects.get()
    assert row.verified_at is not None
    assert body["backups"] == {
        "state": "ok",
        "last_successful": row.created_at.isoformat(),
        "last_verified": row.verified_at.isoformat(),
        "warnings": [],
    }


def test_overview_shows_the_last_backup_and_warns_when_the_attempt_failed(logged_in, backup_dir):
    backup_job_run(kind=BackupKind.MANUAL)
    Job.objects.create(
        kind="backup",
        lock_key="backup",
        status=Job.Status.FAILED,
        error="The disk is full.",
        finished_at=timezone.now(),
    )
    page = logged_in.get(reverse("overview")).content.decode()
    assert "Manual backup" in page and "verified" in page
    assert "last attempt failed" in page
    assert "The last backup attempt failed" in page and "The disk is full." in page


def test_serve_takes_a_scheduled_backup_at_start_when_one_is_due(server):
    # A database holding a user (an empty one is never backed up on schedule).
    server.manage("migrate")
    server.manage("createsuperuser", "--noinput", "--username", "admin", "--email", "a@b.example")
    server.start()
    # It is usually there by serve's first answer. The ceiling covers the scheduler's
    # next check (60 s) too: once, in CI with both suites running, the first check
    # took none within 30 s; the server's log is in the failure message.
    deadline = time.monotonic() + 90
    health: dict = {}
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{server.url}/healthz") as response:
            health = json.loads(response.read())["backups"]
        if health["last_verified"]:
            break
        time.sleep(0.2)
    code, output = server.stop()
    assert code == 0, output
    assert health["state"] == "ok" and health["last_successful"], output
    # Checked right after it was taken.
    checked, taken = (
        datetime.fromisoformat(health[k]) for k in ("last_verified", "last_successful")
    )
    assert checked >= taken
    [manifest] = [json.loads(p.read_text()) for p in (server.data_dir / "backups").glob("*.json")]
    assert manifest["kind"] == "scheduled"


def test_unverified_files_in_the_folder_are_not_successful_backups(client, backup_dir):
    # A database copied in by hand (no manifest: never checked), and junk.
    taken = backup_job_run(kind=BackupKind.MANUAL)
    shutil.copyfile(taken.snapshot.path, backup_dir / "copied-by-hand.sqlite3")
    (backup_dir / "notes.txt").write_text("Moved the old backups to the NAS.\n")
    backup_delete(backup=taken.backup)
    backups_sync()
    assert Backup.objects.get().verified is None

    assert backup_due()
    health = backup_health(interval_hours=24)
    assert health.last_successful is None
    assert health.warnings == ["There is no backup of the database yet."]
    body = json.loads(client.get(reverse("healthz")).content)
    assert body["backups"]["state"] == "warning"
    assert body["backups"]["last_successful"] is None


def test_no_backup_is_due_on_an_engine_backups_do_not_support(monkeypatch):
    from django.db import connection

    from backups.services.schedule import backup_due

    assert backup_due() is True  # no backup yet, daily schedule
    monkeypatch.setattr(connection, "vendor", "mysql")
    assert backup_due() is False


def test_the_scheduler_survives_an_unexpected_error(backup_dir, monkeypatch):
    calls = []

    def due_but_broken_once() -> bool:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("a bug nobody foresaw")
        return backup_due()

    monkeypatch.setattr("backups.scheduler.backup_due", due_but_broken_once)
    monkeypatch.setattr("backups.scheduler.RETRY_AFTER_FAILURE", 0.0)
    scheduler = BackupScheduler(check_every=0.05)
    scheduler.start()
    deadline = time.monotonic() + 30
    while not Backup.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = scheduler.is_alive()
    scheduler.stop()
    assert alive and len(calls) >= 2
    assert Backup.objects.get().kind == BackupKind.SCHEDULED


@pytest.mark.sqlite_only(reason="adopts SQLite backup files")
def test_uploaded_and_adopted_files_do_not_count_as_this_installs_backups(
    logged_in, client, backup_dir
):
    # Another install's database, uploaded; and one copied in by hand, then verified.
    other = backup_job_run(kind=BackupKind.MANUAL).snapshot.path
    data = other.read_bytes()
    backup_delete(backup=Backup.objects.get(file_name=other.name))
    logged_in.post(reverse("backups:upload"), {"file": SimpleUploadedFile("theirs.sqlite3", data)})
    (backup_dir / "by-hand.sqlite3").write_bytes(data)
    backup_verify(name="by-hand.sqlite3")
    backups_sync()
    rows = list(Backup.objects.values_list("kind", "verified"))
    assert rows == [(BackupKind.IMPORTED, True), (BackupKind.IMPORTED, True)]

    assert backup_due()
    health = backup_health(interval_hours=24)
    assert health.last_successful is None and health.last_verified is None
    assert health.warnings == ["There is no backup of the database yet."]
    body = json.loads(client.get(reverse("healthz")).content)["backups"]
    assert body["state"] == "warning" and body["last_successful"] is None

    # The kind is in the manifest: a fresh index still knows them as imported.
    Backup.objects.all().delete()
    backups_sync()
    assert set(Backup.objects.values_list("kind", flat=True)) == {BackupKind.IMPORTED}

    # Never pruned automatically, whatever the retention settings say.
    settings_update(values={"backup_keep_count": 1, "backup_keep_days": 1})
    Backup.objects.update(created_at=timezone.now() - timedelta(days=400))
    assert backup_job_run(kind=BackupKind.SCHEDULED).pruned == []
    assert not backup_due()
    assert Backup.objects.filter(kind=BackupKind.IMPORTED).count() == 2


def test_last_verified_is_the_latest_verification_not_the_latest_backup(
    logged_in, client, backup_dir
):
    older = backup_job_run(kind=BackupKind.SCHEDULED).backup
    newer = backup_job_run(kind=BackupKind.MANUAL).backup
    assert older is not None and newer is not None
    backup_verify(name=older.file_name)
    backups_sync()
    older.refresh_from_db()
    assert older.verified_at is not None and newer.verified_at is not None
    assert older.verified_at > newer.verified_at

    health = backup_health(interval_hours=24)
    assert health.last_successful == newer and health.last_verified == older
    body = json.loads(client.get(reverse("healthz")).content)["backups"]
    assert body["last_successful"] == newer.created_at.isoformat()
    assert body["last_verified"] == older.verified_at.isoformat()
    page = logged_in.get(reverse("overview")).content.decode()
    assert "Last verified" in page and older.file_name in page


def test_a_failure_after_the_backup_is_kept_is_a_warning_not_a_failed_backup(
    logged_in, backup_dir, monkeypatch
):
    def prune_fails(**kwargs: object) -> list[str]:
        raise PermissionError(13, "Permission denied", str(backup_dir / "old.sqlite3"))

    monkeypatch.setattr("backups.services.schedule.backups_prune", prune_fails)
    taken = backup_job_run(kind=BackupKind.MANUAL)
    assert taken.snapshot.path.is_file() and taken.backup is not None and taken.backup.verified
    [warning] = taken.warnings
    assert "The backup is kept" in warning and "Permission denied" in warning
    job = Job.objects.get(kind="backup")
    assert job.status == Job.Status.SUCCEEDED and job.error == ""
    assert job.summary["warnings"] == [warning]
    job_page = logged_in.get(reverse("job", args=[job.pk])).content.decode()
    assert "Permission denied" in job_page and "Warnings:" not in job_page
    assert backup_health(interval_hours=24).state == "ok"

    out = io.StringIO()
    call_command("backup", "--no-progress", stdout=out)
    printed = out.getvalue()
    assert "The backup is kept" in printed and "Backed up the database (manual" in printed
