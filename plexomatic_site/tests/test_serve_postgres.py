"""`manage.py serve` as a real process on a real PostgreSQL server: start-up steps and the worker.

The SQLite counterparts are in test_serve.py and library/tests/test_recovery.py.
These need no test database of their own (each serve gets a new, empty
PostgreSQL database), so they run once, in the PostgreSQL suite.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import psycopg
import pytest

from conftest import BASE_DIR, ServerProcess, free_port
from library.tests.test_recovery import PENDING_SETUP

pytestmark = pytest.mark.postgresql_only


@pytest.fixture
def pg_server(tmp_path, postgres_database) -> Iterator[ServerProcess]:
    proc = ServerProcess(
        data_dir=tmp_path / "data", port=free_port(), database_url=postgres_database
    )
    yield proc
    if proc.process is not None:
        proc.process.kill()
        proc.process.communicate(timeout=10)


def _rows(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(url, connect_timeout=10) as connection:
        return connection.execute(sql).fetchall()


def _shell(server: ServerProcess, code: str, **env: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR,
        env={**server.env(), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_serve_migrates_an_empty_postgresql_database_serves_and_restarts(pg_server):
    pg_server.start()
    with urllib.request.urlopen(f"{pg_server.url}/healthz", timeout=10) as response:
        assert json.load(response)["status"] == "ok"
    code, output = pg_server.stop()
    assert code == 0, output
    assert "Stopped." in output
    assert pg_server.database_url is not None
    applied = _rows(pg_server.database_url, "SELECT app, name FROM django_migrations")
    assert ("library", "0001_initial") in applied
    # Nothing fell back to SQLite beside it.
    assert not (pg_server.data_dir / "plexomatic.sqlite3").exists()
    # The partial unique indexes the locks rely on exist as such.
    indexes = dict(
        _rows(
            pg_server.database_url,
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE indexname IN ('job_one_active_per_lock', 'config_one_active_per_key')",
        )
    )
    assert "WHERE" in indexes["job_one_active_per_lock"]
    assert "WHERE" in indexes["config_one_active_per_key"]

    pg_server.start()
    assert pg_server.stop()[0] == 0


def test_serve_refuses_a_newer_postgresql_database(pg_server):
    pg_server.manage("migrate", "--verbosity", "0")
    assert pg_server.database_url is not None
    with psycopg.connect(pg_server.database_url) as connection:
        connection.execute(
            "INSERT INTO django_migrations (app, name, applied) "
            "VALUES ('library', '9999_from_the_future', now())"
        )
    result = pg_server.manage("serve", check=False)
    assert result.returncode == 1
    assert "was written by a newer Plex-o-matic" in result.stderr
    assert "library.9999_from_the_future" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_recovers_interrupted_operations_on_postgresql(pg_server, tmp_path):
    root = tmp_path / "library"
    root.mkdir()
    (root / "b.mkv").write_bytes(b"moved before the crash")
    pg_server.manage("migrate", "--verbosity", "0")
    _shell(pg_server, PENDING_SETUP, LIBRARY_ROOT=str(root))
    pg_server.start()
    code, output = pg_server.stop()
    assert code == 0
    assert "Recovered 1 interrupted operation(s): 1 completed" in output
    assert pg_server.database_url is not None
    rows = _rows(
        pg_server.database_url,
        "SELECT o.status, m.path FROM library_fileoperation o "
        "JOIN library_mediafile m ON m.id = o.media_file_id",
    )
    assert rows == [("completed", str(root / "b.mkv"))]


QUEUE_SCAN = """
import os
from library.models import Library
from library.services.locks import library_lock
from library.tasks import scan_library
from plexomatic_site.jobs import job_enqueue
from plexomatic_site.models import JobKind
library = Library.objects.create(name="TV", root_path=os.environ["LIBRARY_ROOT"])
job = job_enqueue(
    kind=JobKind.SCAN, locks=[library_lock(library)], task=scan_library, library_id=library.pk
)
print(job.pk)
"""


def test_the_database_worker_in_serve_runs_a_queued_scan_on_postgresql(pg_server, tmp_path):
    root = tmp_path / "library"
    for season in (1, 2):
        folder = root / "Show Name" / f"Season {season:02d}"
        folder.mkdir(parents=True)
        for episode in range(1, 4):
            (folder / f"Show.Name.S{season:02d}E{episode:02d}.mkv").write_bytes(b"video")
    pg_server.manage("migrate", "--verbosity", "0")
    job_id = int(_shell(pg_server, QUEUE_SCAN, LIBRARY_ROOT=str(root)).split()[-1])
    assert pg_server.database_url is not None
    url = pg_server.database_url
    assert _rows(url, f"SELECT status FROM plexomatic_site_job WHERE id = {job_id}") == [
        ("queued",)
    ]
    pg_server.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ((status, error),) = _rows(
            url, f"SELECT status, error FROM plexomatic_site_job WHERE id = {job_id}"
        )
        if status not in ("queued", "running"):
            break
        time.sleep(0.3)
    assert (status, error) == ("succeeded", "")
    assert _rows(url, "SELECT count(*) FROM library_mediafile") == [(6,)]
    # The django-tasks row of the job is finished too.
    assert _rows(url, "SELECT status FROM django_tasks_database_dbtaskresult") == [("SUCCESSFUL",)]
    assert pg_server.stop()[0] == 0
