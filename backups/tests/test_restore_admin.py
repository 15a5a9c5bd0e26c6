"""A backup without an administrator, an empty database: never restored or taken by surprise."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from backups.errors import BackupError
from backups.models import Backup, BackupKind
from backups.services.restore import backup_restore, setup_marker_path
from backups.services.schedule import backup_due, database_holds_nothing
from backups.services.snapshot import backup_create
from backups.services.sync import backups_sync
from backups.tests.conftest import ADMIN, backup_files, live_sha256
from conftest import sqlite_backups
from library.models import Library

pytestmark = [pytest.mark.django_db(transaction=True), sqlite_backups]


@pytest.fixture
def no_admin_backup(backup_dir):
    """A backup of a database with a plain user and data, but no administrator."""
    User = get_user_model()
    User.objects.filter(username=ADMIN).delete()
    Library.objects.create(name="TV", root_path="/media/tv")
    made = backup_create(kind=BackupKind.MANUAL)
    User.objects.create_superuser("boss", password="a-long-admin-pw-2")
    backups_sync()
    return made.path


@pytest.fixture
def empty_backup(backup_dir):
    """A backup of a database with no user at all."""
    get_user_model().objects.all().delete()
    made = backup_create(kind=BackupKind.MANUAL)
    get_user_model().objects.create_superuser("boss", password="a-long-admin-pw-2")
    backups_sync()
    return made.path


def test_an_empty_database_is_never_backed_up_on_schedule(backup_dir):
    get_user_model().objects.all().delete()
    assert database_holds_nothing()
    assert not backup_due()
    Library.objects.create(name="TV", root_path="/media/tv")
    assert not database_holds_nothing()
    assert backup_due()


def test_a_database_with_only_a_user_is_backed_up_on_schedule(backup_dir):
    assert not database_holds_nothing()
    assert backup_due()


def test_backup_if_due_takes_nothing_of_an_empty_database(backup_dir, capsys):
    get_user_model().objects.all().delete()
    call_command("backup", "--if-due", "--no-progress")
    assert backup_files(backup_dir) == []


def test_cli_refuses_a_backup_without_an_administrator_unless_allowed(no_admin_backup):
    before = live_sha256()
    with pytest.raises(CommandError, match="holds no active administrator"):
        call_command("restore", no_admin_backup.name, "--yes", "--no-progress")
    assert live_sha256() == before
    assert not [n for n in backup_files(no_admin_backup.parent) if "pre_restore" in n]

    call_command("restore", no_admin_backup.name, "--yes", "--allow-no-admin", "--no-progress")
    assert not get_user_model().objects.filter(is_superuser=True).exists()
    assert setup_marker_path().exists()


def test_service_refuses_without_the_extra_confirmation(no_admin_backup):
    with pytest.raises(BackupError, match="--allow-no-admin"):
        backup_restore(name=no_admin_backup.name)


def test_restore_page_says_so_and_needs_the_second_box(logged_in, no_admin_backup):
    row = Backup.objects.get(file_name=no_admin_backup.name)
    url = reverse("backups:restore", args=[row.pk])
    page = logged_in.get(url)
    assert "holds no active administrator" in page.content.decode()
    once = logged_in.post(url, {"confirm": "on"})
    assert once.status_code == 200
    assert "Tick the second box" in once.content.decode()
    assert Library.objects.exists()

    logged_in.post(url, {"confirm": "on", "allow_no_admin": "on"})
    assert not get_user_model().objects.filter(is_superuser=True).exists()


def test_restore_page_of_a_backup_with_an_administrator_asks_once(logged_in, backup_dir):
    made = backup_create(kind=BackupKind.MANUAL)
    backups_sync()
    row = Backup.objects.get(file_name=made.path.name)
    page = logged_in.get(reverse("backups:restore", args=[row.pk]))
    assert "holds no active administrator" not in page.content.decode()
    assert "allow_no_admin" not in page.content.decode()


def test_setup_after_restoring_an_empty_backup_answers_only_on_loopback(client, empty_backup):
    call_command("restore", empty_backup.name, "--yes", "--allow-no-admin", "--no-progress")
    assert not get_user_model().objects.exists()

    remote = client.get(reverse("setup"), REMOTE_ADDR="192.168.1.20")
    assert remote.status_code == 403
    assert "only on the machine" in remote.content.decode()
    refused = client.post(
        reverse("setup"),
        {"username": "x", "password1": "a-long-pass-99", "password2": "a-long-pass-99"},
        REMOTE_ADDR="192.168.1.20",
    )
    assert refused.status_code == 403
    assert not get_user_model().objects.exists()

    for address in ("127.0.0.1", "::1"):
        assert client.get(reverse("setup"), REMOTE_ADDR=address).status_code == 200
    created = client.post(
        reverse("setup"),
        {"username": "me", "password1": "a-long-pass-99", "password2": "a-long-pass-99"},
        REMOTE_ADDR="127.0.0.1",
    )
    assert created.status_code == 302
    assert get_user_model().objects.filter(is_superuser=True).exists()


def test_first_run_setup_is_open_to_the_network_on_a_fresh_install(client):
    get_user_model().objects.all().delete()
    setup_marker_path().unlink(missing_ok=True)
    assert client.get(reverse("setup"), REMOTE_ADDR="192.168.1.20").status_code == 200
