"""An uploaded backup says when it was taken (its downloaded name holds it), not when it came."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from backups.models import Backup, BackupKind
from backups.services.manifest import manifest_read
from backups.services.snapshot import backup_create, backup_file_name, backup_name_time
from backups.services.sync import backups_sync

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.sqlite_only(
        reason="uploads are SQLite backup files (a .pgdump upload is not taken)"
    ),
]


@pytest.fixture
def backup(backup_dir) -> Backup:
    made = backup_create(kind=BackupKind.MANUAL, note="nightly")
    backups_sync()
    return Backup.objects.get(file_name=made.path.name)


def test_a_backup_name_says_when_it_was_taken():
    moment = datetime(2025, 7, 4, 9, 30, 15, 123456, tzinfo=UTC)
    assert backup_name_time(backup_file_name("manual", moment)) == moment
    assert backup_name_time("copy of " + backup_file_name("scheduled", moment)) == moment
    assert backup_name_time("mine.sqlite3") is None
    assert backup_name_time("plexomatic-20251304T000000000000Z-manual.sqlite3") is None


def _upload(client, backup_dir, backup, name):
    data = (backup_dir / backup.file_name).read_bytes()
    client.post(reverse("backups:upload"), {"file": SimpleUploadedFile(name, data)})
    return Backup.objects.exclude(pk=backup.pk).get()


def test_an_uploaded_backup_keeps_the_time_it_was_taken(logged_in, backup, backup_dir):
    taken = datetime(2025, 7, 4, 9, 30, 15, 123456, tzinfo=UTC)
    added = _upload(logged_in, backup_dir, backup, backup_file_name("manual", taken))
    assert added.kind == BackupKind.IMPORTED and added.created_at == taken
    # The manifest, the folder's truth, says so too; the file name keeps the upload's time.
    assert manifest_read(backup_dir / added.file_name).created_at == taken
    assert backup_name_time(added.file_name) > taken
    html = logged_in.get(reverse("backups:list")).content.decode()
    assert "<td>2025-07-04 09:30</td>" in html
    assert "Uploaded from plexomatic-20250704T093015123456Z-manual.sqlite3" in html


def test_an_upload_whose_name_says_nothing_is_dated_when_it_came(logged_in, backup, backup_dir):
    before = timezone.now()
    added = _upload(logged_in, backup_dir, backup, "mine.sqlite3")
    assert before <= added.created_at <= timezone.now()


def test_a_name_from_the_future_is_not_believed(logged_in, backup, backup_dir):
    future = datetime(2999, 1, 1, tzinfo=UTC)
    added = _upload(logged_in, backup_dir, backup, backup_file_name("manual", future))
    assert added.created_at <= timezone.now()
