"""Schedule: when a backup is due, the serve scheduler, and health warnings."""

from __future__ import annotations

import json
import shutil
import time
import urllib.request
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from backups.models import Backup, BackupKind
from backups.scheduler import BackupScheduler
from backups.selectors import backup_health
from backups.services.retention import backup_delete
from backups.services.schedule import backup_due, backup_take
from backups.services.sync import backups_sync
from plexomatic_site.models import Job
from plexomatic_site.settings_store import settings_update

pytestmark = pytest.mark.django_db(transaction=True)


def test_backup_is_due_by_the_interval_and_never_when_off(backup_dir):
    assert backup_due()  # no backup at all
    taken = backup_take(kind=BackupKind.SCHEDULED)
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

    backup_take(kind=BackupKind.MANUAL)
    body = json.loads(client.get(reverse("healthz")).content)
    row = Backup.objects.get()
    assert body["backups"] == {
        "state": "ok",
        "last_successful": row.created_at.isoformat(),
        "last_verified": row.created_at.isoformat(),
        "warnings": [],
    }


def test_overview_shows_the_last_backup_and_warns_when_the_attempt_failed(logged_in, backup_dir):
    backup_take(kind=BackupKind.MANUAL)
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
    server.start()
    deadline = time.monotonic() + 30
    health: dict = {}
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{server.url}/healthz") as response:
            health = json.loads(response.read())["backups"]
        if health["last_verified"]:
            break
        time.sleep(0.2)
    code, output = server.stop()
    assert code == 0, output
    assert health["state"] == "ok" and health["last_successful"] == health["last_verified"]
    [manifest] = [json.loads(p.read_text()) for p in (server.data_dir / "backups").glob("*.json")]
    assert manifest["kind"] == "scheduled"


def test_unverified_files_in_the_folder_are_not_successful_backups(client, backup_dir):
    # A database copied in by hand (no manifest: never checked), and junk.
    taken = backup_take(kind=BackupKind.MANUAL)
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


def test_no_backup_is_due_on_a_database_other_than_sqlite(monkeypatch):
    from django.db import connection

    from backups.services.schedule import backup_due

    assert backup_due() is True  # no backup yet, daily schedule
    monkeypatch.setattr(connection, "vendor", "postgresql")
    assert backup_due() is False
