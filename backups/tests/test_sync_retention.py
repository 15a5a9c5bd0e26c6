"""The folder is the truth; retention keeps what must be kept."""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
import threading
import time
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backups.errors import BackupError, BackupInvalid
from backups.models import Backup, BackupKind
from backups.services.folder import folder_lock
from backups.services.manifest import manifest_path, manifest_read, manifest_write
from backups.services.retention import backup_pin, backups_prune, backups_to_prune
from backups.services.schedule import backup_due
from backups.services.snapshot import backup_create
from backups.services.sync import SyncResult, backup_name_resolve, backups_sync
from backups.services.verify import backup_verify
from backups.tests.conftest import backup_files, live_path, manage
from conftest import sqlite_backups
from plexomatic_site.settings_store import settings_update

pytestmark = [pytest.mark.django_db(transaction=True), sqlite_backups]


def test_index_follows_the_folder(backup_dir):
    made = backup_create(kind=BackupKind.MANUAL, note="kept")
    assert backups_sync().added == 1
    row = Backup.objects.get()
    assert (row.file_name, row.note, row.verified, row.sha256) == (
        made.path.name,
        "kept",
        True,
        made.manifest.sha256,
    )
    assert row.migrations["backups"][0] == "0001_initial"

    # A valid backup copied in by hand appears, unverified until checked.
    shutil.copyfile(made.path, backup_dir / "from-my-nas.sqlite3")
    # A file with a broken manifest is listed, unverified.
    (backup_dir / "junk.sqlite3").write_bytes(b"junk")
    (backup_dir / "junk.sqlite3.json").write_text("{not json")
    assert backups_sync().added == 2
    by_hand = Backup.objects.get(file_name="from-my-nas.sqlite3")
    assert by_hand.verified is None and "has no manifest" in by_hand.verify_error
    junk = Backup.objects.get(file_name="junk.sqlite3")
    assert junk.verified is None and "not valid JSON" in junk.verify_error

    # Verifying the hand-copied one checks it and gives it a manifest.
    backup_verify(name="from-my-nas.sqlite3")
    backups_sync()
    assert Backup.objects.get(file_name="from-my-nas.sqlite3").verified is True

    # One deleted by hand disappears.
    made.path.unlink()
    manifest_path(made.path).unlink()
    assert backups_sync().removed == 1
    assert not Backup.objects.filter(file_name=made.path.name).exists()
    # Nothing changed: nothing written.
    assert backups_sync() == type(backups_sync())(added=0, updated=0, removed=0)


def test_a_sync_that_finds_nothing_new_does_not_wait_for_the_write_lock(backup_dir):
    backup_create(kind=BackupKind.MANUAL)
    backups_sync()
    # Another process is in the middle of a long write: a sync that had to
    # write would wait for it (up to the 20 s busy timeout).
    with closing(sqlite3.connect(live_path(), isolation_level=None)) as writer:
        writer.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        result = backups_sync()
        elapsed = time.monotonic() - started
        writer.execute("ROLLBACK")
    assert result == type(result)(added=0, updated=0, removed=0)
    assert elapsed < 2.0


def _writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def test_a_sync_of_an_unchanged_folder_reads_the_index_once_and_writes_nothing(backup_dir):
    backup_create(kind=BackupKind.MANUAL, note="kept")
    (backup_dir / "by-hand.sqlite3").write_bytes(b"not checked yet")
    assert backups_sync().added == 2
    with CaptureQueriesContext(connection) as queries:
        assert backups_sync() == SyncResult(added=0, updated=0, removed=0)
    assert _writes(queries) == []
    assert len(queries) == 1  # the names and stamps of the index, nothing else


def _add(backup_dir: Path) -> str:
    (backup_dir / "by-hand.sqlite3").write_bytes(b"copied in")
    return "added"


def _remove(backup_dir: Path) -> str:
    path = next(backup_dir.glob("plexomatic-*.sqlite3"))
    manifest_path(path).unlink()
    path.unlink()
    return "removed"


def _pin_in_manifest(backup_dir: Path) -> str:
    path = next(backup_dir.glob("plexomatic-*.sqlite3"))
    manifest = manifest_read(path)
    manifest.pinned = True
    manifest_write(backup=path, manifest=manifest)
    return "updated"


def _grow_file(backup_dir: Path) -> str:
    with next(backup_dir.glob("plexomatic-*.sqlite3")).open("ab") as handle:
        handle.write(b"\0" * 4096)
    return "updated"


@pytest.mark.parametrize("change", [_add, _remove, _pin_in_manifest, _grow_file])
def test_a_sync_after_a_file_is_added_removed_or_changed_writes_it(backup_dir, change):
    made = backup_create(kind=BackupKind.MANUAL)
    backups_sync()
    expected = change(backup_dir)
    with CaptureQueriesContext(connection) as queries:
        result = backups_sync()
    assert _writes(queries)
    assert dataclasses.asdict(result)[expected] == 1
    rows = {row.file_name: row for row in Backup.objects.all()}
    if expected == "added":
        assert rows["by-hand.sqlite3"].verified is None
    elif expected == "removed":
        assert made.path.name not in rows
    elif change is _pin_in_manifest:
        assert rows[made.path.name].pinned is True
    else:
        row = rows[made.path.name]
        assert row.verified is False and "manifest says" in row.verify_error
    # And the sync after that one finds nothing to do again.
    with CaptureQueriesContext(connection) as queries:
        assert backups_sync() == SyncResult(added=0, updated=0, removed=0)
    assert _writes(queries) == []


def test_a_failed_verify_is_recorded_in_the_manifest_and_survives_a_resync(backup_dir):
    made = backup_create(kind=BackupKind.MANUAL)
    with open(made.path, "r+b") as handle:
        handle.seek(4096 * 3)
        handle.write(b"\x00" * 4096)
    with pytest.raises(BackupInvalid, match="does not match its manifest"):
        backup_verify(name=made.path.name)
    Backup.objects.all().delete()
    backups_sync()
    row = Backup.objects.get()
    assert row.verified is False and "does not match its manifest" in row.verify_error


def _aged(kind: str, days: float, *, pinned: bool = False, failed: bool = False) -> Backup:
    """A backup taken `days` ago, as its manifest (the truth) says."""
    made = backup_create(kind=kind)
    manifest = made.manifest
    manifest.created_at = timezone.now() - timedelta(days=days)
    manifest.pinned = pinned
    manifest.check_error = "It failed its check." if failed else ""
    manifest_write(backup=made.path, manifest=manifest)
    backups_sync()
    return Backup.objects.get(file_name=made.path.name)


def test_retention_prunes_by_count_and_age_per_kind(backup_dir):
    settings_update(
        values={
            "backup_keep_count": 2,
            "backup_keep_days": 10,
            "backup_pre_migration_keep_count": 1,
            "backup_pre_migration_keep_days": 100,
        }
    )
    scheduled = [_aged(BackupKind.SCHEDULED, d) for d in (1, 2, 3, 20)]
    pre_migration = [_aged(BackupKind.PRE_MIGRATION, d) for d in (5, 6)]
    doomed = {b.file_name for b in backups_to_prune()}
    # Scheduled: 3rd newest by count, the 20-day-old by age; pre-migration: 2nd by count.
    assert doomed == {scheduled[2].file_name, scheduled[3].file_name, pre_migration[1].file_name}
    assert sorted(backups_prune()) == sorted(doomed)
    assert set(backup_files(backup_dir)) == {
        scheduled[0].file_name,
        scheduled[1].file_name,
        pre_migration[0].file_name,
    }
    assert not [
        p for p in backup_dir.iterdir() if p.name.endswith(".json") and p.name[:-5] in doomed
    ]


def test_retention_never_deletes_manual_pinned_or_the_newest_verified_backup(backup_dir):
    settings_update(values={"backup_keep_count": 1, "backup_keep_days": 1})
    manual = _aged(BackupKind.MANUAL, 400)
    pinned = _aged(BackupKind.SCHEDULED, 300, pinned=True)
    newest_verified = _aged(BackupKind.SCHEDULED, 200)
    # The newest scheduled one failed its check, so the one before it is the
    # newest verified backup: the one a restore would need.
    broken = _aged(BackupKind.SCHEDULED, 100, failed=True)

    pruned = backups_to_prune()
    assert [b.file_name for b in pruned] == [broken.file_name]
    assert manifest_read(backup_dir / pinned.file_name).pinned is True
    for kept in (manual, pinned, newest_verified):
        assert kept not in pruned


def test_an_imported_file_does_not_take_the_place_of_the_newest_verified_backup(backup_dir):
    settings_update(values={"backup_keep_count": 1, "backup_keep_days": 1})
    only_own = _aged(BackupKind.SCHEDULED, 30)
    shutil.copyfile(backup_dir / only_own.file_name, backup_dir / "theirs.sqlite3")
    backup_verify(name="theirs.sqlite3")
    backups_sync()
    assert Backup.objects.verified().first() == Backup.objects.get(kind=BackupKind.IMPORTED)
    assert backups_to_prune() == []


def test_pin_is_kept_in_the_manifest(backup_dir):
    row = _aged(BackupKind.SCHEDULED, 0)
    backup_pin(backup=row, pinned=True)
    assert manifest_read(backup_dir / row.file_name).pinned is True
    Backup.objects.all().delete()
    backups_sync()
    assert Backup.objects.get().pinned is True


def test_only_database_files_are_indexed_never_notes_or_other_files(backup_dir):
    made = backup_create(kind=BackupKind.MANUAL)
    (backup_dir / "notes.txt").write_text("Moved the old backups to the NAS.\n")
    (backup_dir / "README").write_text("Backups of Plex-o-matic.\n")
    (backup_dir / "old.sqlite3.bak").write_bytes(made.path.read_bytes())
    backups_sync()
    assert list(Backup.objects.values_list("file_name", flat=True)) == [made.path.name]


def _copied_with_its_wal(made_path, target) -> None:
    """A database copied by hand while the program that writes it was running."""
    source = target.with_name("source.sqlite3")
    shutil.copyfile(made_path, source)
    with closing(sqlite3.connect(source, isolation_level=None)) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA wal_autocheckpoint=0")
        db.execute("CREATE TABLE late_rows (n INTEGER PRIMARY KEY)")
        db.executemany("INSERT INTO late_rows VALUES (?)", ((n,) for n in range(100)))
        # Copied now, with the committed rows still only in the WAL.
        shutil.copyfile(source, target)
        shutil.copyfile(f"{source}-wal", f"{target}-wal")
    source.unlink()


def test_a_database_with_a_wal_beside_it_is_not_adopted_without_it(backup_dir):
    made = backup_create(kind=BackupKind.MANUAL)
    copied = backup_dir / "copied-while-running.sqlite3"
    _copied_with_its_wal(made.path, copied)
    assert (backup_dir / "copied-while-running.sqlite3-wal").stat().st_size > 0

    with pytest.raises(BackupError) as refused:
        backup_verify(name=copied.name)
    assert "write-ahead log" in str(refused.value)
    assert f"sqlite3 {copied} 'PRAGMA wal_checkpoint(TRUNCATE)'" in str(refused.value)
    assert not manifest_path(copied).exists()
    backups_sync()
    assert Backup.objects.get(file_name=copied.name).verified is None

    # Following the advice folds the rows in; then it is adopted, rows and all.
    with closing(sqlite3.connect(copied, isolation_level=None)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    backup_verify(name=copied.name)
    with closing(sqlite3.connect(f"{copied.as_uri()}?mode=ro&immutable=1", uri=True)) as db:
        assert db.execute("SELECT count(*) FROM late_rows").fetchone() == (100,)


def test_verify_of_a_backup_with_a_wal_beside_it_changes_nothing(backup_dir):
    made = backup_create(kind=BackupKind.MANUAL)
    before = manifest_path(made.path).read_text()
    made.path.with_name(made.path.name + "-wal").write_bytes(b"\x37\x7f\x06\x82" + b"\x00" * 28)
    with pytest.raises(BackupError, match="write-ahead log"):
        backup_verify(name=made.path.name)
    assert manifest_path(made.path).read_text() == before


def test_a_number_that_is_not_an_ascii_id_is_taken_as_a_name(backup_dir):
    with pytest.raises(BackupError, match="There is no backup named ²"):
        backup_name_resolve("²")
    result = manage("backup", "--verify", "²", "--no-progress", backup_dir=backup_dir)
    assert result.returncode == 1
    assert "There is no backup named ²" in result.stderr and "Traceback" not in result.stderr


def test_a_pin_made_while_pruning_waits_for_the_lock_is_honoured(backup_dir):
    settings_update(values={"backup_keep_count": 1, "backup_keep_days": 1})
    _aged(BackupKind.SCHEDULED, 0)
    older = _aged(BackupKind.SCHEDULED, 5)
    result: list[list[str]] = []
    with folder_lock(folder=backup_dir, timeout=5):
        pruner = threading.Thread(target=lambda: result.append(backups_prune()))
        pruner.start()
        time.sleep(0.5)  # the pruner is waiting for the lock (or deciding, before the fix)
        # What backup_pin writes, under the lock it holds.
        manifest = manifest_read(backup_dir / older.file_name)
        manifest.pinned = True
        manifest_write(backup=backup_dir / older.file_name, manifest=manifest)
    pruner.join(timeout=30)
    assert result == [[]]
    assert older.file_name in backup_files(backup_dir)


def test_a_backup_copied_in_from_another_install_is_imported_and_never_pruned(backup_dir, settings):
    settings_update(values={"backup_keep_count": 1, "backup_keep_days": 1})
    settings.SECRET_KEY = "another-install-" + "k" * 40
    theirs = [backup_create(kind=BackupKind.SCHEDULED) for _ in range(3)]
    settings.SECRET_KEY = "this-install-" + "k" * 40
    backups_sync()
    assert set(Backup.objects.values_list("kind", flat=True)) == {BackupKind.IMPORTED}
    assert backups_prune() == []
    assert backup_due()  # their backups are not this install's latest
    ours = backup_create(kind=BackupKind.SCHEDULED)
    backups_sync()
    assert Backup.objects.get(file_name=ours.path.name).kind == BackupKind.SCHEDULED
    assert set(backup_files(backup_dir)) == {s.path.name for s in [*theirs, ours]}


def test_a_manifest_written_before_installs_were_named_counts_as_imported(backup_dir):
    made = backup_create(kind=BackupKind.SCHEDULED)
    manifest = manifest_read(made.path)
    manifest.install_id = ""
    manifest_write(backup=made.path, manifest=manifest)
    backups_sync()
    assert Backup.objects.get(file_name=made.path.name).kind == BackupKind.IMPORTED


def test_a_sync_while_the_folder_is_held_waits_for_the_holder_to_finish(backup_dir):
    made = backup_create(kind=BackupKind.MANUAL)
    with folder_lock(folder=backup_dir, timeout=5):
        assert backups_sync() == type(backups_sync())(added=0, updated=0, removed=0)
        assert not Backup.objects.exists()
    assert backups_sync().added == 1
    assert Backup.objects.get().file_name == made.path.name
