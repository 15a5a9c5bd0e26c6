"""Restore: exact round trip, undo, migrate forward, and every bad input refused."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from backups.errors import BackupError
from backups.models import Backup, BackupKind
from backups.services import restore
from backups.services.folder import TEMP_PREFIX
from backups.services.manifest import Manifest, file_sha256, manifest_path, manifest_write
from backups.services.restore import backup_restore
from backups.services.schedule import backup_job_run
from backups.services.snapshot import backup_create
from backups.services.sync import backups_sync
from backups.tests.conftest import backup_files, live_path, live_sha256
from conftest import sqlite_backups
from library.models import Library
from library.services.locks import library_lock
from plexomatic_site.jobs import LockKey
from plexomatic_site.models import Job
from plexomatic_site.settings_store import setting_get, settings_update

pytestmark = [pytest.mark.django_db(transaction=True), sqlite_backups]


def _dump() -> dict[str, list[tuple]]:
    """Every row of the tables a user cares about, in a stable order."""
    tables = ["library_library", "auth_user", "plexomatic_site_configurationhistory"]
    with connection.cursor() as cursor:
        result = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {table} ORDER BY id")
            result[table] = cursor.fetchall()
        return result


def _journal_mode() -> str:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        return cursor.fetchone()[0]


def test_restore_round_trip_gives_back_exactly_the_rows_backed_up(backup_dir, django_user_model):
    django_user_model.objects.create_user("alice", password="a-long-password-1")
    for n in range(50):
        Library.objects.create(name=f"Library {n}", root_path=f"/media/{n}")
    settings_update(values={"backup_keep_days": 9})
    snapshot = backup_create(kind=BackupKind.MANUAL)
    backed_up = _dump()

    Library.objects.filter(name__endswith="7").delete()
    Library.objects.create(name="Added later", root_path="/media/later")
    settings_update(values={"backup_keep_days": 3})
    changed = _dump()
    assert changed != backed_up

    result = backup_restore(name=snapshot.path.name)

    assert _dump() == backed_up
    assert setting_get("backup_keep_days") == 9
    assert _journal_mode() == "wal"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA integrity_check")
        assert cursor.fetchone() == ("ok",)
    # The index was re-synced from the folder, which now also holds the undo backup.
    assert set(Backup.objects.values_list("file_name", flat=True)) == set(backup_files(backup_dir))
    undo = Backup.objects.get(file_name=result.undo.path.name)
    assert undo.kind == BackupKind.PRE_RESTORE and undo.verified

    # Every restore can be undone.
    backup_restore(name=result.undo.path.name)
    assert _dump() == changed


def test_restore_migrates_an_older_backup_forward(backup_dir):
    snapshot = backup_create(kind=BackupKind.MANUAL)
    older = backup_dir / "older.sqlite3"
    shutil.copyfile(snapshot.path, older)
    # As if taken before the sessions app existed.
    with sqlite3.connect(older) as db:
        db.execute("DROP TABLE django_session")
        db.execute("DELETE FROM django_migrations WHERE app = 'sessions'")
    _describe(older)

    kept = file_sha256(older)

    result = backup_restore(name="older.sqlite3")

    assert result.migrated == ["sessions.0001_initial"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_session")
        assert cursor.fetchone() == (0,)
    # A copy was migrated: the backup itself stays as it was, and no copy is left.
    assert file_sha256(older) == kept
    assert not [p.name for p in backup_dir.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_a_backup_whose_migration_fails_is_not_restored_and_changes_nothing(backup_dir):
    Library.objects.create(name="Live", root_path="/media/live")
    snapshot = backup_create(kind=BackupKind.MANUAL)
    broken = backup_dir / "broken.sqlite3"
    shutil.copyfile(snapshot.path, broken)
    # Its sessions table exists but is not recorded as migrated: creating it fails.
    with sqlite3.connect(broken) as db:
        db.execute("DELETE FROM django_migrations WHERE app = 'sessions'")
        db.execute("DELETE FROM library_library")
    _describe(broken)
    before = live_sha256()

    with pytest.raises(CommandError) as excinfo:
        call_command("restore", "broken.sqlite3", "--yes", "--no-progress")

    assert str(excinfo.value) == (
        "broken.sqlite3 was not restored: migrating it forward failed (table "
        '"django_session" already exists); the database is unchanged.'
    )
    assert live_sha256() == before
    assert list(Library.objects.values_list("name", flat=True)) == ["Live"]
    assert [name for name in backup_files(backup_dir) if "pre_restore" in name] == []
    assert not [p.name for p in backup_dir.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_a_copy_that_fails_midway_leaves_the_database_unchanged(backup_dir, monkeypatch):
    bigger = backup_dir / "bigger.sqlite3"
    shutil.copyfile(backup_create(kind=BackupKind.MANUAL).path, bigger)
    live_bytes = live_path().stat().st_size
    with sqlite3.connect(bigger) as db:
        db.execute("CREATE TABLE filler (n INTEGER PRIMARY KEY, pad BLOB)")
        db.executemany(
            "INSERT INTO filler (pad) VALUES (randomblob(?))",
            ([1 << 20] for _ in range(live_bytes // (1 << 20) + 4)),
        )
    _describe(bigger)
    with closing(sqlite3.connect(live_path())) as db, db:
        (pages,) = db.execute("PRAGMA page_count").fetchone()

    def disk_full(path: Path) -> sqlite3.Connection:
        # SQLite itself refuses to grow the file past its present size: a full disk.
        db = sqlite3.connect(path, timeout=20, isolation_level=None)
        db.execute(f"PRAGMA max_page_count = {pages}")
        return db

    monkeypatch.setattr(restore, "_live_connect", disk_full)
    before = live_sha256()

    with pytest.raises(BackupError) as excinfo:
        backup_restore(name="bigger.sqlite3")

    assert str(excinfo.value) == (
        "bigger.sqlite3 was not restored: writing it into the database failed (SQLite said: "
        "database or disk is full); the database is unchanged, SQLite rolled the copy back."
    )
    assert live_sha256() == before
    assert [name for name in backup_files(backup_dir) if "pre_restore" in name] == []
    assert not [p.name for p in backup_dir.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_restore_into_a_brand_new_install_creates_the_database_first(backup_dir, server):
    Library.objects.create(name="From the backup", root_path="/media/kept")
    backup = backup_create(kind=BackupKind.MANUAL).path
    folder = server.data_dir / "backups"
    folder.mkdir(parents=True)
    for path in (backup, manifest_path(backup)):
        shutil.copyfile(path, folder / path.name)

    by_id = server.manage("restore", "1", "--yes", "--no-progress", check=False)
    assert by_id.returncode != 0
    assert "This database is new, so it has no backup ids yet" in by_id.stderr

    done = server.manage("restore", backup.name, "--yes", "--no-progress", check=False)

    assert done.returncode == 0, done.stderr
    assert f"Restored {backup.name}." in done.stdout
    with sqlite3.connect(server.data_dir / "plexomatic.sqlite3") as db:
        assert db.execute("SELECT name FROM library_library").fetchall() == [("From the backup",)]
    assert [name for name in backup_files(folder) if "pre_restore" in name]


def _describe(path: Path, *, sha256: str | None = None) -> None:
    """Write a well-formed manifest for `path`, as if we had made it."""
    manifest_write(
        backup=path,
        manifest=Manifest(
            file_name=path.name,
            kind=BackupKind.MANUAL,
            created_at=datetime.now(UTC),
            size=path.stat().st_size,
            sha256=sha256 or file_sha256(path),
            app_version="0.1.0",
            migrations={},
            checked_at=datetime.now(UTC),
        ),
    )


def _truncated(good: Path, bad: Path) -> None:
    data = good.read_bytes()
    bad.write_bytes(data[: len(data) // 2])


def _corrupt_middle_page(good: Path, bad: Path) -> None:
    shutil.copyfile(good, bad)
    with sqlite3.connect(bad) as db:
        db.execute("CREATE TABLE filler (n INTEGER PRIMARY KEY, pad TEXT)")
        db.executemany("INSERT INTO filler VALUES (?, ?)", ((n, "p" * 500) for n in range(800)))
    with sqlite3.connect(bad, isolation_level=None) as db:
        db.execute("VACUUM")  # no free pages: whichever page we hit is in use
        page_size, pages = (
            db.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_size", "page_count")
        )
    # VACUUM wrote the filler table last: a page well inside it, not the last one.
    with open(bad, "r+b") as handle:
        handle.seek(page_size * (pages - 20))
        handle.write(b"\xa5" * page_size)


def _not_sqlite(good: Path, bad: Path) -> None:
    bad.write_bytes(b"This is a text file, not a database.\n" * 200)


def _other_application(good: Path, bad: Path) -> None:
    with sqlite3.connect(bad) as db:
        db.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app, name, applied)")
        db.execute("INSERT INTO django_migrations (app, name) VALUES ('polls', '0001_initial')")
        db.execute("CREATE TABLE polls_question (id INTEGER PRIMARY KEY, text)")


def _newer_schema(good: Path, bad: Path) -> None:
    shutil.copyfile(good, bad)
    with sqlite3.connect(bad) as db:
        db.execute(
            "INSERT INTO django_migrations (app, name, applied) "
            "VALUES ('library', '9999_from_the_future', '2030-01-01')"
        )


BAD_FILES = {
    "truncated": (_truncated, "is truncated"),
    "corrupted page": (_corrupt_middle_page, "integrity check"),
    "not sqlite": (_not_sqlite, "is not a SQLite database"),
    "other application": (_other_application, "database of another application"),
    "newer schema": (_newer_schema, "comes from a newer Plex-o-matic"),
}


@pytest.fixture
def good_backup(backup_dir) -> Path:
    return backup_create(kind=BackupKind.MANUAL).path


@pytest.mark.parametrize("case", BAD_FILES)
def test_restore_refuses_a_bad_backup_and_changes_nothing(backup_dir, good_backup, case):
    make, expected = BAD_FILES[case]
    bad = backup_dir / "bad.sqlite3"
    make(good_backup, bad)
    _describe(bad)
    backups_sync()
    before = live_sha256()

    with pytest.raises(CommandError) as excinfo:
        call_command("restore", "bad.sqlite3", "--yes", "--no-progress")

    assert expected in str(excinfo.value)
    assert str(excinfo.value).startswith("bad.sqlite3 ")
    assert live_sha256() == before
    assert not [name for name in backup_files(backup_dir) if "pre_restore" in name]
    assert not [name for name in backup_files(backup_dir) if "pre_restore" in name]


def test_restore_refuses_a_backup_whose_hash_does_not_match_its_manifest(backup_dir, good_backup):
    copy = backup_dir / "tampered.sqlite3"
    shutil.copyfile(good_backup, copy)
    _describe(copy, sha256="0" * 64)
    backups_sync()
    before = live_sha256()
    with pytest.raises(CommandError, match="does not match its manifest"):
        call_command("restore", "tampered.sqlite3", "--yes", "--no-progress")
    assert live_sha256() == before
    assert not [name for name in backup_files(backup_dir) if "pre_restore" in name]


def test_restore_refuses_a_file_without_a_manifest_until_it_is_verified(backup_dir, good_backup):
    copied = backup_dir / "copied-by-hand.sqlite3"
    shutil.copyfile(good_backup, copied)
    backups_sync()
    before = live_sha256()
    with pytest.raises(CommandError, match="has no manifest; verify it first"):
        call_command("restore", "copied-by-hand.sqlite3", "--yes", "--no-progress")
    assert live_sha256() == before
    assert not [name for name in backup_files(backup_dir) if "pre_restore" in name]
    call_command("backup", "--verify", "copied-by-hand.sqlite3", "--no-progress")
    assert manifest_path(copied).exists()
    call_command("restore", "copied-by-hand.sqlite3", "--yes", "--no-progress")


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "..", "sub/dir.sqlite3"])
def test_restore_and_verify_refuse_paths(backup_dir, good_backup, name):
    backups_sync()
    before = live_sha256()
    for args in (["restore", name, "--yes"], ["backup", "--verify", name]):
        with pytest.raises(CommandError, match="is not a backup name"):
            call_command(*args, "--no-progress")
    assert live_sha256() == before
    assert not [name for name in backup_files(backup_dir) if "pre_restore" in name]


def test_restore_needs_yes_and_an_existing_backup(backup_dir, good_backup):
    backups_sync()
    with pytest.raises(CommandError, match="add --yes"):
        call_command("restore", good_backup.name, "--no-progress")
    with pytest.raises(CommandError, match="no backup with id 424242"):
        call_command("restore", "424242", "--yes", "--no-progress")
    with pytest.raises(CommandError, match=r"There is no backup named nope\.sqlite3"):
        call_command("restore", "nope.sqlite3", "--yes", "--no-progress")


def test_restore_reads_a_name_of_other_digits_as_a_file_name(backup_dir, good_backup):
    backups_sync()
    with pytest.raises(CommandError, match=r"^There is no backup named ²"):
        call_command("restore", "²", "--yes", "--no-progress")


def test_restore_by_id_prints_how_to_undo(backup_dir, good_backup, capsys):
    backups_sync()
    row = Backup.objects.get(file_name=good_backup.name)
    call_command("restore", str(row.pk), "--yes", "--no-progress")
    out = capsys.readouterr().out
    assert f"Restored {good_backup.name}" in out and "pre_restore" in out


def test_restore_refuses_a_page_size_it_cannot_write_in_wal_mode(backup_dir):
    odd = backup_dir / "odd.sqlite3"
    shutil.copyfile(backup_create(kind=BackupKind.MANUAL).path, odd)
    with sqlite3.connect(odd, isolation_level=None) as db:
        db.execute("PRAGMA page_size=8192")
        db.execute("VACUUM")
    _describe(odd)
    backups_sync()
    before = live_sha256()
    with pytest.raises(CommandError, match="8192-byte pages"):
        call_command("restore", "odd.sqlite3", "--yes", "--no-progress")
    assert live_sha256() == before
    assert not [name for name in backup_files(backup_dir) if "pre_restore" in name]


READER = """
import json, os, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], timeout=20, isolation_level=None)
seen, errors = set(), []
print("ready", flush=True)
# Until told to stop (however long the restore takes on a busy machine), at most 120 s.
deadline = time.monotonic() + 120
while time.monotonic() < deadline and not os.path.exists(sys.argv[2]):
    try:
        seen.add(db.execute(
            "SELECT count(*), coalesce(sum(length(name)), 0) FROM library_library"
        ).fetchone())
    except sqlite3.Error as exc:
        errors.append(str(exc))
print(json.dumps({"seen": sorted(seen), "errors": errors}), flush=True)
"""


def test_other_connections_never_see_a_torn_database_during_a_restore(backup_dir):
    for n in range(300):
        Library.objects.create(name=f"Before {n:03d}", root_path=f"/media/before/{n}")
    snapshot = backup_create(kind=BackupKind.MANUAL)
    old = [300, sum(len(f"Before {n:03d}") for n in range(300))]
    Library.objects.all().delete()
    Library.objects.bulk_create(
        Library(name=f"After {n:04d}", root_path=f"/media/after/{n}") for n in range(3000)
    )
    new = [3000, sum(len(f"After {n:04d}") for n in range(3000))]

    stop = backup_dir.parent / "stop-reading"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(live_path()), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout.readline().strip() == "ready"
    time.sleep(0.3)
    backup_restore(name=snapshot.path.name)
    time.sleep(0.3)  # the reader sees the restored database too
    stop.touch()
    report = json.loads(reader.communicate(timeout=60)[0])

    # Only ever the whole old database or the whole restored one.
    assert report["errors"] == []
    assert report["seen"] == [old, new]


def test_after_restoring_a_backup_taken_by_a_job_the_next_backup_is_not_locked_out(backup_dir):
    # backup_take's job is running while it snapshots, so the backup records it.
    taken = backup_job_run(kind=BackupKind.MANUAL)
    backup_restore(name=taken.snapshot.path.name)
    assert not Job.objects.filter(status__in=Job.ACTIVE).exists()
    assert backup_job_run(kind=BackupKind.MANUAL).backup.verified


def _running_job(*, kind: str, lock: LockKey, pid: int) -> Job:
    now = timezone.now()
    return Job.objects.create(
        kind=kind,
        lock_key=str(lock),
        subject=lock.subject,
        status=Job.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        hostname=socket.gethostname(),
        pid=pid,
    )


def test_restore_refuses_while_a_job_is_running_and_changes_nothing(backup_dir, good_backup):
    tv = Library.objects.create(name="TV", root_path="/media/tv")
    # Running in this very (live) process: not stale.
    job = _running_job(kind="apply", lock=library_lock(tv), pid=os.getpid())
    before = live_sha256()

    with pytest.raises(BackupError) as excinfo:
        backup_restore(name=good_backup.name)

    assert str(excinfo.value) == (
        "An apply job of library “TV” is running; wait for it to finish before restoring."
    )
    assert live_sha256() == before
    assert not [name for name in backup_files(backup_dir) if "pre_restore" in name]
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING


def test_restore_command_and_page_refuse_while_a_job_is_queued(backup_dir, good_backup, logged_in):
    Job.objects.create(kind="backup", lock_key="backup", status=Job.Status.QUEUED)
    backups_sync()
    row = Backup.objects.get(file_name=good_backup.name)
    expected = "A backup job is queued; wait for it to finish before restoring."
    with pytest.raises(CommandError, match=expected):
        call_command("restore", good_backup.name, "--yes", "--no-progress")
    response = logged_in.post(
        reverse("backups:restore", args=[row.pk]), {"confirm": "on"}, follow=True
    )
    assert expected in [str(m) for m in response.context["messages"]]
    assert not [name for name in backup_files(backup_dir) if "pre_restore" in name]


def test_restore_releases_a_job_whose_process_died_and_goes_ahead(backup_dir, good_backup):
    tv = Library.objects.create(name="TV", root_path="/media/tv")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    job = _running_job(kind="scan", lock=library_lock(tv), pid=dead.pid)

    backup_restore(name=good_backup.name)

    # The restored database predates the job; the undo backup recorded it released.
    assert not Library.objects.exists()
    undo = [name for name in backup_files(backup_dir) if "pre_restore" in name]
    with sqlite3.connect(backup_dir / undo[0]) as db:
        status = db.execute("SELECT status FROM plexomatic_site_job WHERE id = ?", [job.pk])
        assert status.fetchone() == ("failed",)


def test_a_refused_restore_leaves_the_live_database_byte_identical_on_the_first_call(
    backup_dir, good_backup
):
    # Files the index has never seen: the first command to look at the folder.
    bad = backup_dir / "bad.sqlite3"
    _not_sqlite(good_backup, bad)
    _describe(bad)
    assert not Backup.objects.exists()
    before = live_sha256()

    with pytest.raises(CommandError, match="is not a SQLite database"):
        call_command("restore", "bad.sqlite3", "--yes", "--no-progress")

    assert live_sha256() == before
    assert not Backup.objects.exists()


def test_restoring_a_backup_taken_by_the_backup_command_raises_no_health_alarm(backup_dir, client):
    call_command("backup", "--no-progress")
    [name] = backup_files(backup_dir)

    call_command("restore", name, "--yes", "--no-progress")

    body = json.loads(client.get(reverse("healthz")).content)
    assert body["backups"]["state"] == "ok", body["backups"]
    job = Job.objects.get(kind="backup")
    assert (job.status, job.summary["file_name"]) == (Job.Status.SUCCEEDED, name)
