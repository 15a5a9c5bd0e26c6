"""The benchmarks' bulk inserts keep up with the schema: a new NOT NULL column
without a value there breaks `bench/pages.py` and `bench/backup.py` on a fresh clone."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bench.pages import BASE_DIR, _env, build

pytestmark = pytest.mark.sqlite_only(reason="the benchmarks build SQLite files")


def test_the_page_benchmark_builds_its_database_on_todays_schema(tmp_path: Path):
    data = tmp_path / "data"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=BASE_DIR,
        env=_env(data),
        check=True,
    )
    database = data / "plexomatic.sqlite3"
    build(database, files=30, operations=250)
    with sqlite3.connect(database) as db:
        counts = [
            db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("library_library", "library_mediafile", "library_fileoperation")
        ]
    assert counts == [3, 30, 250]
