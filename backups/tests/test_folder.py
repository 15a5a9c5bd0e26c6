"""The backup folder may be the data folder: the live database in it is never a backup."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse
from django.utils import timezone

from backups.errors import BackupError
from backups.models import Backup, BackupKind
from backups.services.folder import backup_path
from backups.services.snapshot import backup_create
from backups.services.sync import backups_sync
from backups.tests.conftest import live_path
from conftest import sqlite_backups
from library.models import Library

pytestmark = [pytest.mark.django_db(transaction=True), sqlite_backups]


@pytest.fixture
def data_folder_as_backup_dir(settings):
    """PLEXOMATIC_BACKUP_DIR pointed at the folder that holds the live database."""
    # The settings create the (unused while testing) default database file
    # empty and owner-only; it is not a backup, nor the live database here.
    unused = live_path().parent / "plexomatic.sqlite3"
    if unused.exists() and unused.stat().st_size == 0:
        unused.unlink()
    settings.PLEXOMATIC_BACKUP_DIR = live_path().parent
    return live_path().parent


def test_the_live_database_and_its_side_files_are_never_listed(
    data_folder_as_backup_dir, logged_in
):
    live = live_path()
    # In WAL mode the -wal and -shm files exist beside it; add a journal too.
    journal = live.with_name(live.name + "-journal")
    journal.write_bytes(b"")
    try:
        backups_sync()
        page = logged_in.get(reverse("backups:list"))
    finally:
        journal.unlink()
    names = set(Backup.objects.values_list("file_name", flat=True))
    assert not names & {live.name, *(live.name + s for s in ("-wal", "-shm", "-journal"))}
    assert page.status_code == 200
    assert live.name not in page.content.decode()


def test_a_hard_link_to_the_live_database_is_not_a_backup(backup_dir):
    link = backup_dir / "looks-like-a-backup.sqlite3"
    try:
        os.link(live_path(), link)
    except OSError:
        pytest.skip("the backup folder is on another file system than the database")
    backups_sync()
    assert not Backup.objects.filter(file_name=link.name).exists()
    with pytest.raises(BackupError, match="live database"):
        backup_path(link.name)


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_backup_path_refuses_the_live_database(data_folder_as_backup_dir, suffix):
    name = live_path().name + suffix
    with pytest.raises(BackupError, match="is this site's live database, not a backup"):
        backup_path(name)


@pytest.fixture
def stale_row_for_the_live_database(data_folder_as_backup_dir) -> Backup:
    """An index row naming the live file, as an older version wrote it."""
    return Backup.objects.create(
        file_name=live_path().name, kind=BackupKind.MANUAL, created_at=timezone.now()
    )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("backups:delete", {"confirm": "on"}),
        ("backups:verify", {}),
        ("backups:restore", {"confirm": "on"}),
    ],
)
def test_actions_on_the_live_database_change_nothing(
    logged_in, stale_row_for_the_live_database, name, data
):
    Library.objects.create(name="Written before", root_path="/media/before")
    inode = live_path().stat().st_ino
    response = logged_in.post(
        reverse(name, args=[stale_row_for_the_live_database.pk]), data, follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("is this site's live database, not a backup" in m for m in messages)
    assert live_path().stat().st_ino == inode
    assert Library.objects.filter(name="Written before").exists()
    assert not live_path().with_name(live_path().name + ".json").exists()


def test_download_of_the_live_database_is_refused(logged_in, stale_row_for_the_live_database):
    response = logged_in.get(reverse("backups:download", args=[stale_row_for_the_live_database.pk]))
    assert response.status_code == 404


def test_backups_taken_into_the_data_folder_are_listed_beside_it(data_folder_as_backup_dir):
    made = backup_create(kind=BackupKind.MANUAL)
    try:
        backups_sync()
        assert list(Backup.objects.values_list("file_name", flat=True)) == [made.path.name]
    finally:
        made.path.unlink()
        made.path.with_name(made.path.name + ".json").unlink()
