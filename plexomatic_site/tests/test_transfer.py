"""`db_transfer`: every row moves from SQLite to a real PostgreSQL server and back."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import psycopg
import pytest
from django.db import DatabaseError

from backups.tests.pg_site import Site, site_make
from plexomatic_site import transfer
from plexomatic_site.models import Job, JobKind
from plexomatic_site.transfer import TransferError, database_transfer


def _everything(site: Site) -> list[dict]:
    """Every row of every model, through Django's serialiser (keys, timestamps, bytes)."""
    done = site.ok("dumpdata", "--indent", "0")
    return json.loads(done.stdout)


def _lite(tmp_path: Path, name: str) -> Site:
    return Site(
        url=f"sqlite:///{tmp_path / name}",
        data_dir=tmp_path / "data",
        backup_dir=tmp_path / "backups",
    )


def _pg_tables(url: str) -> list[str]:
    with psycopg.connect(url) as db:
        return [
            row[0]
            for row in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]


def test_sqlite_to_postgresql_and_back_keeps_every_row(postgres_database, tmp_path):
    source = site_make(f"sqlite:///{tmp_path / 'source.sqlite3'}", tmp_path)
    rows = _everything(source)
    assert len([r for r in rows if r["model"] == "library.mediafile"]) == 31

    moved = source.ok("db_transfer", postgres_database, "--no-progress")
    assert "every row count matches" in moved.stdout
    on_postgres = Site(
        url=postgres_database, data_dir=source.data_dir, backup_dir=source.backup_dir
    )
    assert _everything(on_postgres) == rows

    back = _lite(tmp_path, "back.sqlite3")
    on_postgres.ok("db_transfer", back.url, "--no-progress")
    assert _everything(back) == rows

    # Sequences were reset: new rows take the next keys on both engines.
    for site in (on_postgres, back):
        folder = tmp_path / f"films-{len(site.url)}"
        folder.mkdir()
        site.ok("createlibrary", "Films", str(folder))
        libraries = [r for r in _everything(site) if r["model"] == "library.library"]
        assert [r["pk"] for r in libraries] == [1, 2]


def test_a_target_with_tables_is_refused_and_left_alone(postgres_database, tmp_path):
    source = site_make(f"sqlite:///{tmp_path / 'source.sqlite3'}", tmp_path)
    source.ok("db_transfer", postgres_database, "--no-progress")
    again = source.manage("db_transfer", postgres_database, "--no-progress")
    assert again.returncode != 0
    assert "already holds a Plex-o-matic database" in again.stderr
    assert again.stderr.count("\n") == 1

    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE invoices (n INTEGER)")
    refused = source.manage("db_transfer", f"sqlite:///{other}", "--no-progress")
    assert "holds tables of another application (invoices)" in refused.stderr
    with sqlite3.connect(other) as db:
        assert db.execute("SELECT name FROM sqlite_master").fetchall() == [("invoices",)]

    itself = source.manage("db_transfer", source.url, "--no-progress")
    assert "is this site's own database" in itself.stderr


def test_a_wrong_password_for_the_target_is_one_sentence(postgres_database, tmp_path):
    source = site_make(f"sqlite:///{tmp_path / 'source.sqlite3'}", tmp_path)
    password = postgres_database.split("@")[0].rsplit(":", 1)[1]
    wrong = postgres_database.replace(f":{password}@", ":not-the-password@")
    refused = source.manage("db_transfer", wrong, "--no-progress")
    assert refused.returncode != 0
    assert refused.stderr.count("\n") == 1
    assert "Cannot connect to the PostgreSQL database" in refused.stderr
    assert "password authentication failed" in refused.stderr
    assert "not-the-password" not in refused.stderr
    assert _pg_tables(postgres_database) == []


@pytest.mark.django_db(transaction=True)
def test_a_copy_that_fails_leaves_the_target_empty(postgres_database, monkeypatch):
    copy_model = transfer._copy_model
    copied = []

    def fail_on_the_third(model, **kwargs):
        if len(copied) == 2:
            raise DatabaseError("disk full")
        copied.append(model)
        return copy_model(model, **kwargs)

    monkeypatch.setattr(transfer, "_copy_model", fail_on_the_third)
    with pytest.raises(TransferError, match=r"failed \(disk full\); nothing was kept there"):
        database_transfer(url=postgres_database)
    assert _pg_tables(postgres_database) == []


@pytest.mark.django_db(transaction=True)
def test_transfer_waits_for_running_jobs(postgres_database):
    Job.objects.create(kind=JobKind.BACKUP, lock_key="backup", status=Job.Status.QUEUED)
    with pytest.raises(TransferError, match="stop the site and wait for it to finish"):
        database_transfer(url=postgres_database)
    assert _pg_tables(postgres_database) == []
