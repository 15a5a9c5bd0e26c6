"""Library folders that make no sense are refused before anything is stored."""

from __future__ import annotations

import os

import pytest
from django.core.exceptions import ValidationError

from library.services.libraries import library_root_clean

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/proc", "/proc/self", "/sys", "/sys/class", "/dev", "/dev/shm"])
def test_system_folders_and_anything_under_them_are_refused(path):
    with pytest.raises(ValidationError, match="system folder"):
        library_root_clean(path)


def test_the_root_folder_contains_a_system_folder_and_is_refused():
    with pytest.raises(ValidationError, match="contains"):
        library_root_clean("/")


def test_the_data_folder_inside_and_around_it_is_refused(settings, tmp_path):
    data = tmp_path / "data"
    (data / "media").mkdir(parents=True)
    settings.DATA_DIR = data
    settings.PLEXOMATIC_BACKUP_DIR = tmp_path / "elsewhere"
    with pytest.raises(ValidationError, match="in Plex-o-matic's data folder"):
        library_root_clean(str(data))
    with pytest.raises(ValidationError, match="in Plex-o-matic's data folder"):
        library_root_clean(str(data / "media"))
    with pytest.raises(ValidationError, match="contains Plex-o-matic's data folder"):
        library_root_clean(str(tmp_path))


def test_the_backup_folder_and_a_folder_holding_it_are_refused(settings, tmp_path):
    backups = tmp_path / "disk" / "backups"
    backups.mkdir(parents=True)
    settings.PLEXOMATIC_BACKUP_DIR = backups
    with pytest.raises(ValidationError, match="backup folder"):
        library_root_clean(str(backups))
    with pytest.raises(ValidationError, match="contains Plex-o-matic's backup folder"):
        library_root_clean(str(tmp_path / "disk"))


@pytest.mark.parametrize("path", ["~", "~/media", "~root/media"])
def test_a_tilde_is_refused_not_expanded(path):
    with pytest.raises(ValidationError, match="does not expand"):
        library_root_clean(path)


def test_an_ordinary_media_folder_is_still_accepted(tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    assert library_root_clean(str(media)) == os.path.normpath(media)
