"""Restore compares the staged copy's schema with a fresh database's, and checks itself after."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from backups.errors import BackupError
from backups.models import BackupKind
from backups.services import restore
from backups.services.manifest import Manifest, file_sha256, manifest_write
from backups.services.restore import backup_restore
from backups.services.snapshot import backup_create
from backups.services.sync import backups_sync
from backups.tests.conftest import backup_files, live_sha256
from conftest import sqlite_backups
from library.models import Library

pytestmark = [pytest.mark.django_db(transaction=True), sqlite_backups]


def _describe(path: Path) -> None:
    manifest_write(
        backup=path,
        manifest=Manifest(
            file_name=path.name,
            kind=BackupKind.MANUAL,
            created_at=datetime.now(UTC),
            size=path.stat().st_size,
            sha256=file_sha256(path),
            app_version="0.1.0",
            migrations={},
            checked_at=datetime.now(UTC),
        ),
    )


def _altered(backup_dir: Path, *statements: str, name: str = "altered.sqlite3") -> Path:
    target = backup_dir / name
    shutil.copyfile(backup_create(kind=BackupKind.MANUAL).path, target)
    with closing(sqlite3.connect(target, isolation_level=None)) as db:
        db.execute("PRAGMA foreign_keys=OFF")
        for statement in statements:
            db.execute(statement)
        db.execute("VACUUM")
    _describe(target)
    backups_sync()
    return target


def _hollow(backup_dir: Path) -> Path:
    """Migration rows, and no other table at all."""
    target = _altered(backup_dir)
    with closing(sqlite3.connect(target, isolation_level=None)) as db:
        db.execute("PRAGMA foreign_keys=OFF")
        tables = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name != 'django_migrations'"
            )
        ]
        for table in tables:
            db.execute(f'DROP TABLE "{table}"')
        db.execute("VACUUM")
    _describe(target)
    backups_sync()
    return target


@pytest.mark.parametrize(
    ("statements", "named"),
    [
        (["DROP TABLE library_mediafile"], "lacks table library_mediafile"),
        (["ALTER TABLE library_library DROP COLUMN enabled"], "column library_library.enabled"),
        (["CREATE TABLE stowaway (n INTEGER)"], "table stowaway"),
    ],
    ids=["dropped-table", "dropped-column", "extra-table"],
)
def test_restore_refuses_a_backup_whose_schema_differs_and_changes_nothing(
    backup_dir, statements, named
):
    altered = _altered(backup_dir, *statements)
    before = live_sha256()
    with pytest.raises(CommandError) as refused:
        call_command("restore", altered.name, "--yes", "--no-progress")
    assert named in str(refused.value)
    assert str(refused.value).startswith(f"{altered.name} was not restored")
    assert "the database is unchanged" in str(refused.value)
    assert live_sha256() == before
    assert not [n for n in backup_files(backup_dir) if "pre_restore" in n]


def test_restore_refuses_a_dropped_index(backup_dir):
    with closing(sqlite3.connect(backup_create(kind=BackupKind.MANUAL).path)) as db:
        index = db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = "
            "'library_fileoperation' AND sql IS NOT NULL ORDER BY name"
        ).fetchone()[0]
    altered = _altered(backup_dir, f'DROP INDEX "{index}"')
    with pytest.raises(BackupError, match=f"lacks index {index} on library_fileoperation"):
        backup_restore(name=altered.name)


def test_restore_refuses_a_hollow_backup(backup_dir):
    hollow = _hollow(backup_dir)
    before = live_sha256()
    with pytest.raises(BackupError) as refused:
        backup_restore(name=hollow.name)
    assert "lacks table auth_group, table auth_group_permissions" in str(refused.value)
    assert live_sha256() == before


def test_a_restore_that_fails_its_self_check_is_put_back(backup_dir, monkeypatch):
    Library.objects.create(name="Kept", root_path="/media/kept")
    broken = _altered(backup_dir, "DROP TABLE library_mediafile", name="broken.sqlite3")
    Library.objects.create(name="Also kept", root_path="/media/also")
    # As if the schema comparison had a blind spot: the self-check still catches it.
    monkeypatch.setattr(restore, "_refuse_other_schema", lambda **kwargs: None)

    with pytest.raises(BackupError) as refused:
        backup_restore(name=broken.name)

    message = str(refused.value)
    assert "failed the check that follows a restore" in message
    assert "library_mediafile" in message and "put back as it was before" in message
    assert sorted(Library.objects.values_list("name", flat=True)) == ["Also kept", "Kept"]
    # The undo backup it was put back from is kept.
    assert [n for n in backup_files(backup_dir) if "pre_restore" in n]


def test_restore_refuses_a_backup_with_a_non_empty_wal_beside_it(backup_dir):
    made = backup_create(kind=BackupKind.MANUAL)
    backups_sync()
    made.path.with_name(made.path.name + "-wal").write_bytes(b"\x37\x7f\x06\x82" + b"\x00" * 28)
    before = live_sha256()
    with pytest.raises(CommandError, match="write-ahead log"):
        call_command("restore", made.path.name, "--yes", "--no-progress")
    assert live_sha256() == before
    assert not [n for n in backup_files(backup_dir) if "pre_restore" in n]


def test_a_sound_backup_still_restores_after_the_schema_check(backup_dir):
    Library.objects.create(name="Before", root_path="/media/before")
    made = backup_create(kind=BackupKind.MANUAL)
    Library.objects.all().delete()
    backup_restore(name=made.path.name)
    assert list(Library.objects.values_list("name", flat=True)) == ["Before"]


def test_building_the_reference_schema_writes_nothing_to_the_live_database(backup_dir, monkeypatch):
    """Built on the first restore of a process: a write would make it start over."""
    restore._reference_schemas.clear()
    attempts = []
    replace_live = restore._replace_live

    def counted(**kwargs):
        attempts.append(1)
        return replace_live(**kwargs)

    monkeypatch.setattr(restore, "_replace_live", counted)
    made = backup_create(kind=BackupKind.MANUAL)
    backup_restore(name=made.path.name)
    assert len(attempts) == 1
