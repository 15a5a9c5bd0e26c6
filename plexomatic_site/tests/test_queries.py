"""StagedRows: new rows held in a temporary table until they are stored in one statement."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from django.db import connection, transaction

from plexomatic_site.models import Job, JobKind
from plexomatic_site.queries import StagedRows

pytestmark = pytest.mark.django_db


def jobs(*keys: str) -> list[Job]:
    return [Job(kind=JobKind.SCAN, lock_key=key, status=Job.Status.SUCCEEDED) for key in keys]


def test_staged_rows_are_stored_only_when_asked_less_those_discarded():
    with StagedRows(Job) as staged:
        staged.add(jobs("a", "b", "c"))
        staged.add(jobs("d"))
        staged.discard("lock_key", ["b", "d", "not staged"])
        assert staged.count == 2
        assert not Job.objects.exists()
        with transaction.atomic():
            staged.store()
    stored = Job.objects.order_by("lock_key")
    assert [(j.lock_key, j.status, j.summary) for j in stored] == [
        ("a", "succeeded", {}),
        ("c", "succeeded", {}),
    ]


def test_staged_rows_begin_afresh_after_work_that_failed():
    with pytest.raises(RuntimeError), StagedRows(Job) as staged:
        staged.add(jobs("left behind"))
        raise RuntimeError("the work failed")
    with StagedRows(Job) as staged:
        assert staged.count == 0
        staged.add(jobs("new"))
        staged.store()
    assert list(Job.objects.values_list("lock_key", flat=True)) == ["new"]


@pytest.mark.sqlite_only(reason="SQLite's temp database, read from a second connection")
@pytest.mark.django_db(transaction=True)
def test_staged_rows_are_the_connections_own_until_stored():
    """Nothing half-made reaches the database file: another connection (a page, a
    worker) sees neither the rows nor their table, and a crash takes both away."""
    with StagedRows(Job) as staged:
        staged.add(jobs(*(f"key {n}" for n in range(500))))
        other = sqlite3.connect(Path(connection.settings_dict["NAME"]))
        try:
            assert other.execute("SELECT count(*) FROM plexomatic_site_job").fetchone() == (0,)
            with pytest.raises(sqlite3.OperationalError, match="no such table"):
                other.execute(f"SELECT count(*) FROM {staged.table}")
            staged.store()
            assert other.execute("SELECT count(*) FROM plexomatic_site_job").fetchone() == (500,)
        finally:
            other.close()
