"""The backups page and its actions: happy paths, wrong methods, anonymous users, bad input."""

from __future__ import annotations

import os
import shutil
import sqlite3

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone

from backups.models import Backup, BackupKind
from backups.services.manifest import file_sha256, manifest_read
from backups.services.snapshot import backup_create
from backups.services.sync import backups_sync
from backups.tests.conftest import backup_files, live_sha256
from conftest import sqlite_backups
from library.models import Library
from plexomatic_site.database import database_space
from plexomatic_site.jobs import LockKey, jobs_claim
from plexomatic_site.models import Job, JobKind
from plexomatic_site.settings_store import setting_get

pytestmark = [pytest.mark.django_db(transaction=True), sqlite_backups]


@pytest.fixture
def backup(backup_dir) -> Backup:
    made = backup_create(kind=BackupKind.MANUAL, note="nightly")
    backups_sync()
    return Backup.objects.get(file_name=made.path.name)


# The pages and actions that are not about one backup.
WITHOUT_ID = {
    "backups:list",
    "backups:create",
    "backups:schedule",
    "backups:upload",
    "backups:vacuum",
}


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_list_shows_backups_and_picks_up_files_added_by_hand(logged_in, backup, backup_dir):
    shutil.copyfile(backup_dir / backup.file_name, backup_dir / "copied.sqlite3")
    response = logged_in.get(reverse("backups:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert backup.file_name in page and "nightly" in page and "verified" in page
    assert "copied.sqlite3" in page and "unverified" in page


def test_list_query_count_does_not_grow_with_backups(
    logged_in, backup_dir, django_assert_max_num_queries
):
    for _ in range(3):
        backup_create(kind=BackupKind.SCHEDULED)
    logged_in.get(reverse("backups:list"))  # first visit indexes the files
    with django_assert_max_num_queries(9):
        assert logged_in.get(reverse("backups:list")).status_code == 200
    for _ in range(12):
        backup_create(kind=BackupKind.SCHEDULED)
    logged_in.get(reverse("backups:list"))
    with django_assert_max_num_queries(9):
        response = logged_in.get(reverse("backups:list"))
    assert len(response.context["backups"]) == 15


def test_list_explains_a_missing_backup_folder(logged_in, settings, tmp_path):
    settings.PLEXOMATIC_BACKUP_DIR = tmp_path / "gone"
    response = logged_in.get(reverse("backups:list"))
    assert response.status_code == 200
    assert any("does not exist" in m for m in _messages(response))


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("backups:list", "post"),
        ("backups:create", "get"),
        ("backups:schedule", "get"),
        ("backups:upload", "get"),
        ("backups:verify", "get"),
        ("backups:download", "post"),
        ("backups:pin", "get"),
        ("backups:restore", "put"),
        ("backups:delete", "put"),
        ("backups:vacuum", "get"),
    ],
)
def test_wrong_methods_are_refused(logged_in, backup, name, method):
    args = [backup.pk] if name not in WITHOUT_ID else []
    assert getattr(logged_in, method)(reverse(name, args=args)).status_code == 405


@pytest.mark.parametrize("name", ["backups:list", "backups:download", "backups:restore"])
def test_anonymous_users_are_sent_to_log_in(client, backup, name):
    args = [] if name == "backups:list" else [backup.pk]
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("backups:create", {"note": "anonymous"}),
        ("backups:verify", {}),
        ("backups:delete", {"confirm": "on"}),
        ("backups:pin", {"pinned": "on"}),
        ("backups:restore", {"confirm": "on"}),
        ("backups:schedule", {"backup_interval_hours": 1}),
        ("backups:upload", {}),
        ("backups:vacuum", {}),
    ],
)
def test_anonymous_posts_are_sent_to_log_in_and_change_nothing(
    client, backup, backup_dir, name, data
):
    Library.objects.create(name="Kept", root_path="/media/kept")
    if name == "backups:upload":
        upload = (backup_dir / backup.file_name).read_bytes()
        data = {"file": SimpleUploadedFile("mine.sqlite3", upload)}
    manifest = (backup_dir / f"{backup.file_name}.json").read_text()
    args = [] if name in WITHOUT_ID else [backup.pk]
    response = client.post(reverse(name, args=args), data)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert backup_files(backup_dir) == [backup.file_name]
    assert (backup_dir / f"{backup.file_name}.json").read_text() == manifest
    assert list(Backup.objects.values_list("pk", "pinned")) == [(backup.pk, False)]
    assert not Job.objects.exists()
    assert setting_get("backup_interval_hours") == 24
    assert Library.objects.filter(name="Kept").exists()


def test_back_up_now_runs_as_a_job_and_shows_its_result(logged_in, backup_dir, immediate_tasks):
    response = logged_in.post(reverse("backups:create"), {"note": "before upgrading"}, follow=True)
    row = Backup.objects.get()
    assert row.kind == BackupKind.MANUAL and row.note == "before upgrading" and row.verified
    job = Job.objects.get(kind="backup")
    assert response.redirect_chain == [(reverse("job", args=[job.pk]), 302)]
    assert job.status == Job.Status.SUCCEEDED and job.summary["file_name"] == row.file_name
    page = response.content.decode()
    assert row.file_name in page and "Back to backups" in page


def test_back_up_now_is_refused_while_another_backup_runs(logged_in, backup_dir):
    jobs_claim(kind=JobKind.BACKUP, locks=[LockKey.BACKUP])
    response = logged_in.post(reverse("backups:create"), {"note": "second"}, follow=True)
    assert any("A backup job is already running" in m for m in _messages(response))
    assert Job.objects.filter(kind="backup").count() == 1
    assert backup_files(backup_dir) == []


def test_back_up_now_refuses_a_too_long_note(logged_in, backup_dir):
    response = logged_in.post(reverse("backups:create"), {"note": "x" * 201}, follow=True)
    assert any("too long" in m for m in _messages(response))
    assert backup_files(backup_dir) == []


def test_verify(logged_in, backup, backup_dir):
    response = logged_in.post(reverse("backups:verify", args=[backup.pk]), follow=True)
    assert any("is sound" in m for m in _messages(response))
    with open(backup_dir / backup.file_name, "r+b") as handle:
        handle.seek(8192)
        handle.write(b"\xff" * 100)
    response = logged_in.post(reverse("backups:verify", args=[backup.pk]), follow=True)
    assert any("does not match its manifest" in m for m in _messages(response))
    backup.refresh_from_db()
    assert backup.verified is False
    assert logged_in.post(reverse("backups:verify", args=[424242])).status_code == 404


def test_download_sends_the_file(logged_in, backup, backup_dir):
    response = logged_in.get(reverse("backups:download", args=[backup.pk]))
    assert response.status_code == 200
    assert f'filename="{backup.file_name}"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == (backup_dir / backup.file_name).read_bytes()


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "link-to-passwd"])
def test_download_cannot_reach_outside_the_backup_folder(logged_in, backup_dir, name):
    (backup_dir / "link-to-passwd").symlink_to("/etc/passwd")
    row = Backup.objects.create(file_name=name, kind=BackupKind.MANUAL, created_at=timezone.now())
    response = logged_in.get(reverse("backups:download", args=[row.pk]))
    assert response.status_code == 404
    assert b"root:" not in response.content


def test_restore_asks_for_confirmation_then_restores(logged_in, backup, backup_dir):
    Library.objects.create(name="Added after the backup", root_path="/media/after")
    page = logged_in.get(reverse("backups:restore", args=[backup.pk]))
    assert page.status_code == 200 and b"Restore this backup" in page.content

    unconfirmed = logged_in.post(reverse("backups:restore", args=[backup.pk]), {})
    assert unconfirmed.status_code == 200 and "confirm" in unconfirmed.context["form"].errors
    assert Library.objects.exists()

    response = logged_in.post(
        reverse("backups:restore", args=[backup.pk]), {"confirm": "on"}, follow=True
    )
    assert any("Restored" in m and "pre_restore" in m for m in _messages(response))
    assert not Library.objects.exists()


def test_restore_keeps_the_user_logged_in_when_the_backup_has_their_account(
    client, user, backup_dir
):
    taken = backup_create(kind=BackupKind.MANUAL)
    backups_sync()
    client.force_login(user)  # a session the backup does not hold
    response = client.post(
        reverse("backups:restore", args=[Backup.objects.get(file_name=taken.path.name).pk]),
        {"confirm": "on"},
    )
    assert response.status_code == 302
    assert client.get(reverse("backups:list")).status_code == 200


def test_restore_sends_to_login_a_user_the_backup_does_not_have(
    client, django_user_model, backup_dir
):
    taken = backup_create(kind=BackupKind.MANUAL)
    backups_sync()
    newcomer = django_user_model.objects.create_user(username="bob", password="a-long-password-1")
    client.force_login(newcomer)
    client.post(
        reverse("backups:restore", args=[Backup.objects.get(file_name=taken.path.name).pk]),
        {"confirm": "on"},
    )
    assert not django_user_model.objects.filter(username="bob").exists()
    listing = client.get(reverse("backups:list"))
    assert listing.status_code == 302 and listing.url.startswith(reverse("login"))


def test_restore_of_a_bad_backup_says_why_and_changes_nothing(logged_in, backup, backup_dir):
    with open(backup_dir / backup.file_name, "r+b") as handle:
        handle.seek(4096)
        handle.write(b"\x00" * 4096)
    before = live_sha256()
    response = logged_in.post(reverse("backups:restore", args=[backup.pk]), {"confirm": "on"})
    assert live_sha256() == before
    # (The list page then re-syncs the index: the file did change.)
    response = logged_in.get(response.url)
    assert any("does not match its manifest" in m for m in _messages(response))
    assert logged_in.get(reverse("backups:restore", args=[424242])).status_code == 404


def test_delete_with_confirmation(logged_in, backup, backup_dir):
    assert logged_in.get(reverse("backups:delete", args=[backup.pk])).status_code == 200
    logged_in.post(reverse("backups:delete", args=[backup.pk]), {})
    assert (backup_dir / backup.file_name).exists()
    logged_in.post(reverse("backups:delete", args=[backup.pk]), {"confirm": "on"})
    assert not (backup_dir / backup.file_name).exists()
    assert not (backup_dir / f"{backup.file_name}.json").exists()
    assert not Backup.objects.filter(pk=backup.pk).exists()


def test_pin_and_unpin(logged_in, backup, backup_dir):
    logged_in.post(reverse("backups:pin", args=[backup.pk]), {"pinned": "on"})
    backup.refresh_from_db()
    assert backup.pinned and manifest_read(backup_dir / backup.file_name).pinned
    logged_in.post(reverse("backups:pin", args=[backup.pk]), {})
    backup.refresh_from_db()
    assert not backup.pinned
    # A file without a manifest cannot be pinned: verify it first.
    os.remove(backup_dir / f"{backup.file_name}.json")
    backups_sync()
    response = logged_in.post(
        reverse("backups:pin", args=[backup.pk]), {"pinned": "on"}, follow=True
    )
    assert any("verify it first" in m for m in _messages(response))


SCHEDULE = {
    "backup_interval_hours": "6",
    "backup_keep_count": "10",
    "backup_keep_days": "20",
    "backup_pre_migration_keep_count": "3",
    "backup_pre_migration_keep_days": "60",
    "backup_pre_restore_keep_count": "3",
    "backup_pre_restore_keep_days": "30",
}


def test_schedule_form_saves_settings_with_history(logged_in, backup_dir):
    response = logged_in.post(reverse("backups:schedule"), SCHEDULE)
    assert response.status_code == 302
    assert setting_get("backup_interval_hours") == 6
    assert setting_get("backup_pre_restore_keep_days") == 30


def test_schedule_form_refuses_bad_values_and_saves_nothing(logged_in, backup_dir):
    response = logged_in.post(reverse("backups:schedule"), {**SCHEDULE, "backup_keep_count": "0"})
    assert response.status_code == 200
    assert "backup_keep_count" in response.context["schedule_form"].errors
    assert setting_get("backup_interval_hours") == 24


def test_upload_checks_the_file_then_offers_to_restore_it(logged_in, backup, backup_dir):
    data = (backup_dir / backup.file_name).read_bytes()
    response = logged_in.post(
        reverse("backups:upload"), {"file": SimpleUploadedFile("mine.sqlite3", data)}
    )
    added = Backup.objects.exclude(pk=backup.pk).get()
    assert response.status_code == 302 and response.url == reverse(
        "backups:restore", args=[added.pk]
    )
    assert added.note == "Uploaded from mine.sqlite3" and added.verified


def test_upload_of_a_wal_flagged_file_is_stored_as_one_self_contained_file(
    logged_in, backup, backup_dir, tmp_path
):
    wal = tmp_path / "from-sqlite3-cli.sqlite3"
    shutil.copyfile(backup_dir / backup.file_name, wal)
    with sqlite3.connect(wal, isolation_level=None) as db:
        db.execute("PRAGMA journal_mode=WAL")
    assert wal.read_bytes()[18:20] == b"\x02\x02"
    logged_in.post(
        reverse("backups:upload"), {"file": SimpleUploadedFile(wal.name, wal.read_bytes())}
    )
    added = Backup.objects.exclude(pk=backup.pk).get()
    stored = backup_dir / added.file_name
    assert stored.read_bytes()[18:20] == b"\x01\x01"
    assert manifest_read(stored).sha256 == file_sha256(stored)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"not a database at all" * 10, "is not a SQLite database"),
        (b"SQLite format 3\x00" + b"\x10\x00" + b"\x00" * 200, "truncated"),
    ],
)
def test_upload_refuses_bad_files_and_keeps_nothing(logged_in, backup_dir, content, expected):
    before = live_sha256()
    response = logged_in.post(
        reverse("backups:upload"), {"file": SimpleUploadedFile("bad.sqlite3", content)}, follow=True
    )
    assert any(expected in m for m in _messages(response)), _messages(response)
    assert backup_files(backup_dir) == []
    assert live_sha256() == before


def test_upload_is_size_limited(logged_in, backup, backup_dir, settings):
    settings.PLEXOMATIC_BACKUP_UPLOAD_MAX_BYTES = 1024
    # Small enough to pass the request-size check: the bytes received are counted too.
    data = (backup_dir / backup.file_name).read_bytes()[:4096]
    response = logged_in.post(
        reverse("backups:upload"), {"file": SimpleUploadedFile("big.sqlite3", data)}, follow=True
    )
    # One check, in backup_import, on the bytes received: its sentence reaches the page.
    assert _messages(response) == [
        "The upload was refused and nothing was kept: big.sqlite3 is too large; "
        "uploads are limited to 1.0\xa0KB."
    ]
    assert backup_files(backup_dir) == [backup.file_name]
    assert not [p for p in backup_dir.iterdir() if p.name.startswith(".tmp-")]


def test_upload_is_written_once_then_renamed_into_the_backup_folder(
    logged_in, backup, backup_dir, monkeypatch, settings
):
    """The handler stages the bytes in tmp/ (hashed as they come); no copy follows."""
    from backups.services import upload as upload_service

    settings.FILE_UPLOAD_TEMP_DIR = backup_dir.parent / "tmp"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()
    hashed = []
    monkeypatch.setattr(upload_service, "check_and_hash", lambda **kw: hashed.append(kw))

    def no_copy(*args, **kwargs):
        raise AssertionError("the upload was copied")

    monkeypatch.setattr(upload_service.shutil, "copyfile", no_copy)
    monkeypatch.setattr(shutil, "copyfileobj", no_copy)
    data = (backup_dir / backup.file_name).read_bytes()
    response = logged_in.post(
        reverse("backups:upload"), {"file": SimpleUploadedFile("mine.sqlite3", data)}
    )
    assert response.status_code == 302
    added = Backup.objects.exclude(pk=backup.pk).get()
    stored = backup_dir / added.file_name
    assert stored.read_bytes() == data
    # Hashed on the way in, not read again for it.
    assert hashed == [] and manifest_read(stored).sha256 == file_sha256(stored)
    assert list(settings.FILE_UPLOAD_TEMP_DIR.iterdir()) == []
    assert oct(os.stat(stored).st_mode & 0o777) == "0o600"


def test_upload_that_cannot_fit_on_the_disk_is_refused_with_413(
    logged_in, backup, backup_dir, monkeypatch
):
    from collections import namedtuple

    from backups import views

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(views.shutil, "disk_usage", lambda path: usage(10**9, 10**9, 1024))
    data = (backup_dir / backup.file_name).read_bytes()
    response = logged_in.post(
        reverse("backups:upload"), {"file": SimpleUploadedFile("mine.sqlite3", data)}
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "The upload was refused: it needs" in page and "1.0\xa0KB free" in page
    assert backup_files(backup_dir) == [backup.file_name]


def test_an_upload_larger_than_the_limit_is_refused_before_it_is_read(
    logged_in, backup, backup_dir, settings
):
    settings.PLEXOMATIC_BACKUP_UPLOAD_MAX_BYTES = 1024
    data = b"x" * (3 * 1024 * 1024)
    response = logged_in.post(
        reverse("backups:upload"), {"file": SimpleUploadedFile("huge.sqlite3", data)}
    )
    assert response.status_code == 413
    assert "uploads are limited to 1.0\xa0KB" in response.content.decode()


def test_upload_without_a_csrf_token_is_refused(backup_dir, user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(
        reverse("backups:upload"), {"file": SimpleUploadedFile("a.sqlite3", b"x" * 100)}
    )
    assert response.status_code == 403


def _free_pages() -> int:
    """Rows of about 4 MB in all, deleted: their pages stay in the file, free."""
    Library.objects.bulk_create(
        Library(name=f"L{n}", root_path=f"/media/{n}/" + "x" * 2000) for n in range(2000)
    )
    Library.objects.all().delete()
    return database_space().reclaimable


def test_the_page_shows_what_compacting_the_database_would_give_back(logged_in, backup_dir):
    gain = _free_pages()
    assert gain > 4_000_000
    page = logged_in.get(reverse("backups:list")).content.decode()
    assert f"expected gain <strong>{filesizeformat(gain)}</strong>" in page
    assert f'action="{reverse("backups:vacuum")}"' in page


def test_the_page_says_when_there_is_no_room_to_compact(logged_in, backup_dir, monkeypatch):
    from plexomatic_site import database

    usage = database.shutil.disk_usage
    monkeypatch.setattr(database.shutil, "disk_usage", lambda path: usage(path)._replace(free=1024))
    page = logged_in.get(reverse("backups:list")).content.decode()
    assert "Compacting the database needs about" in page and "free some space first" in page
    assert f'action="{reverse("backups:vacuum")}"' not in page
    response = logged_in.post(reverse("backups:vacuum"), follow=True)
    assert any("free some space first" in m for m in _messages(response))
    assert not Job.objects.filter(kind=JobKind.VACUUM).exists()


def test_compact_runs_as_a_job_and_shows_its_result(logged_in, backup_dir, immediate_tasks):
    _free_pages()
    response = logged_in.post(reverse("backups:vacuum"), follow=True)
    job = Job.objects.get(kind=JobKind.VACUUM)
    assert response.redirect_chain == [(reverse("job", args=[job.pk]), 302)]
    assert job.status == Job.Status.SUCCEEDED
    assert database_space().free_pages == 0
    assert "Compacted the database from" in response.content.decode()


def test_compact_is_refused_while_another_job_runs(logged_in, backup_dir):
    jobs_claim(kind=JobKind.BACKUP, locks=[LockKey.BACKUP])
    response = logged_in.post(reverse("backups:vacuum"), follow=True)
    assert any(
        "A backup job is running; compact the database when it has finished." in m
        for m in _messages(response)
    )
    assert not Job.objects.filter(kind=JobKind.VACUUM).exists()


def test_compact_without_a_csrf_token_is_refused(backup_dir, user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(reverse("backups:vacuum")).status_code == 403
    assert not Job.objects.filter(kind=JobKind.VACUUM).exists()
