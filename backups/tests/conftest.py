"""Backups tests work on the real SQLite test database file and a real backup folder."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def backup_dir(tmp_path, settings) -> Path:
    folder = tmp_path / "backups"
    folder.mkdir()
    settings.PLEXOMATIC_BACKUP_DIR = folder
    return folder


def live_path() -> Path:
    return Path(connection.settings_dict["NAME"])


def filler_add(rows: int) -> None:
    """Rows of ~900 bytes in a raw table: enough pages that a copy takes many steps."""
    with closing(sqlite3.connect(live_path(), timeout=20)) as db, db:
        db.execute("CREATE TABLE IF NOT EXISTS filler (n INTEGER PRIMARY KEY, pad TEXT)")
        db.executemany("INSERT INTO filler VALUES (?, ?)", ((n, "y" * 900) for n in range(rows)))


def checkpoint() -> None:
    """Fold the WAL back into the live file and empty it."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def live_sha256() -> str:
    """The live file's hash once every committed page is in it.

    The connection is closed before the file is read: closing any descriptor
    of a file drops this process's POSIX locks on it, so a manage.py child
    would think it was the last connection and delete the WAL under us.
    """
    checkpoint()
    connection.close()
    return hashlib.sha256(live_path().read_bytes()).hexdigest()


def backup_files(folder: Path) -> list[str]:
    return sorted(
        p.name for p in folder.iterdir() if not p.name.endswith(".json") and p.name != ".lock"
    )


def manage_env(backup_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DATABASE_URL"] = f"sqlite:///{live_path()}"
    env["PLEXOMATIC_BACKUP_DIR"] = str(backup_dir)
    return env


def manage(*args: str, backup_dir: Path, **kwargs) -> subprocess.CompletedProcess:
    """`manage.py` as a separate process on the test database."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=manage_env(backup_dir),
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )


def _sigint_default() -> None:
    """Ctrl-C as a terminal sends it: a shell starts a background job (CI's `make test &`)
    with SIGINT ignored, which its children inherit, and Python then never raises
    KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def manage_start(*args: str, backup_dir: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=manage_env(backup_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_sigint_default,
    )


ADMIN = "root-admin"
# Tables tests add with plain sqlite3 (bulk for size, rows a concurrent writer commits).
RAW_TEST_TABLES = ("filler", "writer_rows")


@pytest.fixture(autouse=True)
def _raw_tables_pass_the_schema_check(monkeypatch):
    """A restore refuses tables a fresh database lacks; the raw test tables are let through.

    Any other difference still fails the check (test_restore_schema.py).
    """
    from backups.services import restore

    describe = restore.schema_describe

    def without_raw_tables(path: Path) -> frozenset:
        return frozenset(f for f in describe(path) if f[1] not in RAW_TEST_TABLES)

    monkeypatch.setattr(restore, "schema_describe", without_raw_tables)


@pytest.fixture(autouse=True)
def _an_administrator(request):
    """Every database these tests back up has an administrator, as a real install does.

    A backup without one needs an extra confirmation to restore
    (test_restore_admin.py, which deletes this one).
    """
    if request.node.get_closest_marker("django_db"):
        from django.contrib.auth import get_user_model

        get_user_model().objects.create_superuser(ADMIN, password="a-long-admin-pw-1")
    yield
    from backups.services.restore import setup_marker_path

    setup_marker_path().unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def _drop_raw_tables():
    """Tables tests create with plain sqlite3 are not flushed by pytest-django.

    Their pages are given back too: the test database lives for the whole run,
    and every later backup would copy them (a 200 MB filler made each of the
    run's ~200 backups 200 MB and filled CI's disk).
    """
    yield
    if connection.vendor != "sqlite":
        return  # on PostgreSQL no test makes them (and sqlite3 would create a file)
    with closing(sqlite3.connect(live_path(), timeout=20)) as db:
        present = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        dropped = [table for table in RAW_TEST_TABLES if table in present]
        if not dropped:
            return
        with db:
            for table in dropped:
                db.execute(f"DROP TABLE {table}")
        db.execute("VACUUM")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


@pytest.fixture
def pg_site(postgres_database, tmp_path):
    """A migrated install with data on a real PostgreSQL database (see pg_site.py)."""
    from backups.tests.pg_site import site_make

    return site_make(postgres_database, tmp_path)
