"""A scan's database work is a few statements per batch of rows, never one per file.

Counted on the engine the suite runs on: on PostgreSQL each statement is a
round trip to the server, so a per-row write would show as thousands here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from library.models import Library, MediaFile
from library.services.scan import library_scan
from library.services.scan_rows import INSERT_BATCH
from library.tests.conftest import make_files
from library.tests.factories import library_make

pytestmark = pytest.mark.django_db


def _episodes(count: int) -> list[str]:
    return [
        f"Show {n // 500}/Season {n // 50 % 10 + 1:02d}/Show {n // 500} - "
        f"S{n // 50 % 10 + 1:02d}E{n % 50 + 1:02d}.mkv"
        for n in range(count)
    ]


def _scan_statements(root: Path, count: int) -> tuple[int, list[str], Library]:
    make_files(root, _episodes(count))
    library = library_make(root, name=f"TV {count}")
    with CaptureQueriesContext(connection) as queries:
        summary = library_scan(library=library)
    assert summary.new == count
    return len(queries), [q["sql"] for q in queries.captured_queries], library


def test_a_first_scan_of_thousands_of_files_inserts_them_in_batches(tmp_path):
    small, _, _ = _scan_statements(tmp_path / "small", 200)
    large, statements, library = _scan_statements(tmp_path / "large", 3000)
    assert MediaFile.objects.filter(library=library).count() == 3000
    # Fifteen times the files, a handful more statements (one per extra batch).
    assert large - small <= 3000 // INSERT_BATCH + 10, statements
    assert large < 100, statements
    # The new rows went in as one statement run over all of them.
    inserts = [sql for sql in statements if "INSERT INTO" in sql and "library_mediafile" in sql]
    assert len(inserts) == 1
    assert inserts[0].startswith("3000 times: ")


def test_a_rescan_that_finds_files_gone_and_back_updates_them_in_batches(tmp_path):
    root = tmp_path / "media"
    _, _, library = _scan_statements(root, 3000)
    hidden = tmp_path / "elsewhere"
    (root / "Show 1").rename(hidden)  # 500 files gone
    with CaptureQueriesContext(connection) as gone:
        assert library_scan(library=library).missing == 500
    hidden.rename(root / "Show 1")  # and back
    with CaptureQueriesContext(connection) as back:
        assert library_scan(library=library).returned == 500
    assert MediaFile.objects.filter(library=library, missing=False).count() == 3000
    for queries in (gone, back):
        updates = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
        assert len(updates) < 10, updates
        assert len(queries) < 100
