"""SQLite is tuned for a web app (WAL, busy timeout, foreign keys, IMMEDIATE writes) and kept
in shape (fresh planner statistics, compaction on request)."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext

from plexomatic_site import database
from plexomatic_site.database import (
    OPTIMIZE_AFTER_ROWS,
    DatabaseMaintenanceError,
    DatabaseSpace,
    database_optimize,
    database_space,
    database_vacuum,
    vacuum_check,
)
from plexomatic_site.jobs import LockKey, job_run, jobs_claim
from plexomatic_site.models import Job, JobKind


@pytest.mark.sqlite_only(reason="SQLite's pragmas")
@pytest.mark.django_db
def test_sqlite_pragmas():
    with connection.cursor() as cursor:

        def pragma(name: str):
            cursor.execute(f"PRAGMA {name}")
            return cursor.fetchone()[0]

        assert pragma("journal_mode") == "wal"
        assert pragma("busy_timeout") >= 5000
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 1  # NORMAL
        assert pragma("journal_size_limit") == 64 * 1024 * 1024


@pytest.mark.sqlite_only(reason="SQLite's file and IMMEDIATE transactions")
def test_database_is_a_real_file_with_immediate_transactions(settings):
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert str(settings.DATA_DIR) in settings.DATABASES["default"]["TEST"]["NAME"]
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] is None


# Upkeep of the file (plexomatic_site.database): statistics and compaction.


def _live() -> Path:
    return Path(connection.settings_dict["NAME"])


def _stat_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return set()
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        return {row[0] for row in cursor.fetchall()}


def _drop_statistics() -> None:
    with connection.cursor() as cursor:
        if _stat_tables():
            cursor.execute("DELETE FROM sqlite_stat1")
            cursor.execute("ANALYZE sqlite_master")  # the planner forgets what it read


def _many_jobs(count: int, *, text: str = "") -> None:
    Job.objects.bulk_create(
        Job(kind=JobKind.SCAN, lock_key=f"library:{n % 50}", status="succeeded", error=text)
        for n in range(count)
    )


@pytest.mark.sqlite_only(reason="SQLite's planner statistics (PRAGMA optimize)")
@pytest.mark.django_db(transaction=True)
def test_optimize_gives_a_grown_table_statistics():
    _drop_statistics()
    _many_jobs(5000)
    # A query that uses an index of the table, as the pages do.
    assert Job.objects.filter(lock_key="library:3").order_by("-created_at").first() is not None
    assert "plexomatic_site_job" not in _stat_tables()
    assert database_optimize(changed_rows=5000) is True
    assert "plexomatic_site_job" in _stat_tables()


@pytest.mark.django_db
def test_optimize_after_a_small_change_does_nothing():
    with CaptureQueriesContext(connection) as queries:
        assert database_optimize(changed_rows=OPTIMIZE_AFTER_ROWS - 1) is False
    assert len(queries) == 0


@pytest.fixture
def other_engine() -> Iterator[str]:
    """A second connection on a database engine that is not SQLite (Django's dummy one)."""
    alias = "not_sqlite"
    settings_dict = {**connection.settings_dict, "ENGINE": "django.db.backends.dummy"}
    connections[alias] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    try:
        yield alias
    finally:
        del connections[alias]


def test_on_another_engine_compacting_does_not_apply_and_optimize_does_nothing(other_engine):
    with pytest.raises(DatabaseMaintenanceError, match="Compacting applies to SQLite only"):
        database_space(using=other_engine)
    with pytest.raises(DatabaseMaintenanceError, match="this site's database is unknown"):
        vacuum_check(using=other_engine)
    assert database_optimize(using=other_engine) is False


def _with_free_pages() -> DatabaseSpace:
    """Rows of 8 MB in all, then deleted: their pages stay in the file, free."""
    _many_jobs(2000, text="x" * 4000)
    Job.objects.all().delete()
    return database_space()


@pytest.mark.sqlite_only(reason="compacting the SQLite file")
@pytest.mark.django_db(transaction=True)
def test_vacuum_gives_the_free_pages_back_to_the_disk():
    space = _with_free_pages()
    assert space.reclaimable >= 8_000_000
    assert space.path == _live().resolve()
    on_disk = _live().stat().st_size

    jobs = jobs_claim(kind=JobKind.VACUUM, locks=[LockKey.DATABASE])
    summary = job_run(jobs, database_vacuum)

    after = database_space()
    assert after.free_pages == 0
    assert (summary.size_before, summary.size_after) == (space.size, after.size)
    assert summary.size_before - summary.size_after >= space.reclaimable - 4 * space.page_size
    assert _live().stat().st_size <= on_disk - 8_000_000
    # The log was folded back and emptied (the job's own end is all it holds),
    # not left the size of the database.
    assert _live().with_name(_live().name + "-wal").stat().st_size < 100_000
    assert "given back" in summary.headline()
    assert Job.objects.get(pk=jobs[0].pk).status == Job.Status.SUCCEEDED


@pytest.mark.sqlite_only(reason="compacting the SQLite file")
@pytest.mark.django_db(transaction=True)
def test_vacuum_is_refused_without_room_for_its_copies(monkeypatch):
    space = _with_free_pages()
    # The disk as it would be nearly full: just less than the two copies need.
    real_usage = shutil.disk_usage

    def nearly_full(path):
        usage = real_usage(path)
        return usage._replace(free=2 * space.compacted)

    monkeypatch.setattr(database.shutil, "disk_usage", nearly_full)
    on_disk = _live().stat().st_size
    with pytest.raises(DatabaseMaintenanceError, match=r"needs about .* free in .* is free there"):
        vacuum_check()
    jobs = jobs_claim(kind=JobKind.VACUUM, locks=[LockKey.DATABASE])
    with pytest.raises(DatabaseMaintenanceError):
        job_run(jobs, database_vacuum)
    assert database_space().free_pages == space.free_pages
    assert _live().stat().st_size == on_disk
    assert "free some space first" in Job.objects.get(pk=jobs[0].pk).error


@pytest.mark.sqlite_only(reason="compacting the SQLite file")
@pytest.mark.django_db(transaction=True)
def test_vacuum_waits_for_no_other_job():
    (scan,) = jobs_claim(kind=JobKind.SCAN, locks=[LockKey("library", 1, subject="library 1")])
    with pytest.raises(DatabaseMaintenanceError, match=r"^A scan job of library 1 is running"):
        vacuum_check()
    jobs = jobs_claim(kind=JobKind.VACUUM, locks=[LockKey.DATABASE])
    with pytest.raises(DatabaseMaintenanceError, match="when it has finished"):
        job_run(jobs, database_vacuum)
    Job.objects.filter(pk=scan.pk).update(status=Job.Status.SUCCEEDED)
    assert vacuum_check().path == _live().resolve()


@pytest.mark.sqlite_only(reason="compacting the SQLite file")
@pytest.mark.django_db(transaction=True)
def test_vacuum_command_compacts_and_says_how_much(capsys):
    _with_free_pages()
    out = io.StringIO()
    call_command("vacuum", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert "of which" in lines[0] and "is free pages" in lines[0]
    assert lines[-1].startswith("Compacted the database from ")
    assert database_space().free_pages == 0
    assert Job.objects.get(kind=JobKind.VACUUM).status == Job.Status.SUCCEEDED
