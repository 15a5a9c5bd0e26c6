"""Manifests are files anyone can edit: a garbled one makes its backup unverified, no more."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from backups.models import Backup, BackupKind
from backups.services.manifest import manifest_path, manifest_read
from backups.services.snapshot import backup_create
from backups.services.sync import backups_sync
from backups.tests.conftest import backup_files, manage
from conftest import sqlite_backups

pytestmark = [pytest.mark.django_db(transaction=True), sqlite_backups]

DELETE = object()


def _garble(path: Path, field: str, value: Any) -> None:
    manifest = json.loads(manifest_path(path).read_text())
    if value is DELETE:
        del manifest[field]
    else:
        manifest[field] = value
    manifest_path(path).write_text(json.dumps(manifest))


BAD_FIELDS = [
    ("note", 5, "its note is not text"),
    ("pinned", "yes", "its pinned is not true or false"),
    ("pinned", 1, "its pinned is not true or false"),
    ("migrations", ["backups"], "its migrations are not lists of names per app"),
    ("migrations", {"backups": "0001_initial"}, "its migrations are not lists"),
    ("migrations", {"backups": [1]}, "its migrations are not lists"),
    ("created_at", "yesterday", "its created_at is not a date and time"),
    ("created_at", 20260101, "its created_at is not a date and time"),
    ("created_at", "2026-01-01T00:00:00", "its created_at has no time zone"),
    ("created_at", "9999-12-31T23:59:59-23:00", "its created_at is out of range"),
    ("checked_at", "soon", "its checked_at is not a date and time"),
    ("size", "4096", "its size is not a whole number"),
    ("size", -1, "its size is not a whole number"),
    ("size", True, "its size is not a whole number"),
    ("size", 2**70, "its size is not a whole number"),
    ("size", 4096.5, "its size is not a whole number"),
    ("job_id", "7", "its job_id is not a whole number"),
    ("kind", ["manual"], "its kind is not text"),
    ("sha256", None, "its sha256 is not text"),
    ("sha256", DELETE, "it lacks sha256"),
]


@pytest.mark.parametrize(("field", "value", "reason"), BAD_FIELDS)
def test_a_manifest_with_a_wrong_type_lists_its_backup_as_unverified(
    backup_dir, field, value, reason
):
    made = backup_create(kind=BackupKind.SCHEDULED, note="nightly")
    _garble(made.path, field, value)
    with pytest.raises(ValueError, match=reason):
        manifest_read(made.path)
    backups_sync()
    row = Backup.objects.get()
    assert row.verified is None and row.verified_at is None
    assert row.verify_error.startswith("Not verified: its manifest is not valid: ")
    assert reason in row.verify_error
    # Not restorable until verified, and never taken for this install's backup.
    assert row.kind == BackupKind.IMPORTED


def test_the_backups_page_lists_a_backup_with_a_garbled_manifest(logged_in, backup_dir):
    made = backup_create(kind=BackupKind.MANUAL)
    _garble(made.path, "note", {"text": "not a string"})
    response = logged_in.get(reverse("backups:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert made.path.name in page and "its note is not text" in page


def test_the_backup_command_ends_well_beside_a_garbled_manifest(backup_dir):
    made = backup_create(kind=BackupKind.MANUAL)
    _garble(made.path, "pinned", "yes")
    result = manage("backup", "--no-progress", backup_dir=backup_dir)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert len(backup_files(backup_dir)) == 2


def test_a_sound_manifest_reads_back_as_written(backup_dir):
    made = backup_create(kind=BackupKind.PRE_RESTORE, note="Before restoring x")
    assert manifest_read(made.path) == made.manifest
