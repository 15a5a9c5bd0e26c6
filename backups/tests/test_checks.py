"""System checks of the backup folder, as `manage.py check` (and `serve`) run them."""

from __future__ import annotations

import pytest

from backups.checks import backup_folder_apart_check
from backups.tests.conftest import live_path, manage
from conftest import sqlite_backups

pytestmark = pytest.mark.django_db(transaction=True)


@sqlite_backups
def test_a_backup_folder_that_holds_the_live_database_is_an_error(settings):
    settings.PLEXOMATIC_BACKUP_DIR = live_path().parent
    [error] = backup_folder_apart_check(None)
    assert error.id == "backups.E001" and error.is_serious()
    assert str(live_path().parent) in error.msg
    assert "PLEXOMATIC_BACKUP_DIR" in (error.hint or "")


def test_a_backup_folder_of_its_own_passes(backup_dir):
    assert backup_folder_apart_check(None) == []


@sqlite_backups
def test_manage_check_fails_when_backups_share_the_database_folder():
    result = manage("check", backup_dir=live_path().parent)
    assert result.returncode == 1
    assert "backups.E001" in result.stderr and "a folder of its own" in result.stderr
