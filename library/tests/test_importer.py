from __future__ import annotations

import datetime
import sqlite3
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from library.models import Batch, FileOperation
from library.tests.factories import episode_make, library_make

pytestmark = pytest.mark.django_db

SCHEMA = """
CREATE TABLE file_renames (
    id INTEGER PRIMARY KEY, original_path TEXT NOT NULL, new_path TEXT NOT NULL,
    operation_type TEXT, checksum TEXT, status TEXT, created_at TEXT,
    completed_at TEXT, rolled_back_at TEXT
)
"""


def tool_db(path, rows) -> str:
    with sqlite3.connect(path) as db:
        db.execute(SCHEMA)
        db.executemany(
            "INSERT INTO file_renames (original_path, new_path, operation_type, checksum, status,"
            " created_at, completed_at, rolled_back_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    return str(path)


ROWS = [
    (
        "/tv/a.mkv",
        "/tv/A/a.mkv",
        "rename",
        "ab" * 32,
        "completed",
        "2024-03-05 10:11:12.123456",
        "2024-03-05 10:11:13.000001",
        None,
    ),
    (
        "/tv/b.mkv",
        "/tv/B/b.mkv",
        "move",
        "",
        "rolled_back",
        "2024-03-06 08:00:00.000000",
        "2024-03-06 08:00:01.000000",
        "2024-03-07 09:30:00.500000",
    ),
    ("/tv/c.mkv", "/tv/C/c.mkv", "rename", "", "pending", "2024-03-08 00:00:00.000000", None, None),
]


def run(*args) -> str:
    out = StringIO()
    call_command("import_plexomatic", *args, "--no-progress", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_import_brings_every_row_in_as_one_batch_with_utc_times(tmp_path):
    path = tool_db(tmp_path / "plexomatic.db", ROWS)
    out = run(path)
    batch = Batch.objects.get()
    assert (
        f"Imported 3 operation(s) into batch {batch.pk}; 0 were imported before, 0 skipped." in out
    )
    assert batch.kind == "import"
    ops = {op.original_path: op for op in FileOperation.objects.all()}
    utc = datetime.UTC
    a, b, c = ops["/tv/a.mkv"], ops["/tv/b.mkv"], ops["/tv/c.mkv"]
    assert a.status == "completed" and a.checksum == "ab" * 32
    assert a.created_at == datetime.datetime(2024, 3, 5, 10, 11, 12, 123456, tzinfo=utc)
    assert a.completed_at == datetime.datetime(2024, 3, 5, 10, 11, 13, 1, tzinfo=utc)
    assert b.status == "rolled_back" and b.operation_type == "move"
    assert b.rolled_back_at == datetime.datetime(2024, 3, 7, 9, 30, 0, 500000, tzinfo=utc)
    assert c.status == "failed" and "pending" in c.error


def test_importing_twice_adds_nothing_and_a_new_row_only_once(tmp_path):
    path = tool_db(tmp_path / "plexomatic.db", ROWS)
    run(path)
    assert (
        run(path).strip()
        == "Nothing new to import: 3 operation(s) were imported before, 0 skipped."
    )
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO file_renames (original_path, new_path, operation_type, checksum, status,"
            " created_at) VALUES ('/tv/d', '/tv/e', 'rename', '', 'completed', '2024-04-01 00:00:00.000000')"
        )
    assert "Imported 1 operation(s)" in run(path)
    assert FileOperation.objects.count() == 4 and Batch.objects.count() == 2


def test_rows_that_cannot_be_journaled_are_skipped_with_the_reason(tmp_path):
    path = tool_db(
        tmp_path / "plexomatic.db",
        [
            ("/a", "/a", "rename", "", "completed", "2024-01-01 00:00:00.000000", None, None),
            ("/a", "/b", "teleport", "", "completed", "2024-01-01 00:00:00.000000", None, None),
            ("/a", "/b", "rename", "", "exploded", "2024-01-01 00:00:00.000000", None, None),
            ("/a", "/b", "rename", "", "completed", "last tuesday", None, None),
        ],
    )
    err = StringIO()
    call_command("import_plexomatic", path, "--no-progress", stdout=StringIO(), stderr=err)
    assert not FileOperation.objects.exists()
    text = err.getvalue()
    assert "paths are missing or equal" in text and "teleport" in text
    assert "exploded" in text and "last tuesday" in text


def test_imported_operations_are_linked_to_their_library_and_media(tmp_path):
    library = library_make(tmp_path / "tv")
    media = episode_make(library, "A/a.mkv")
    path = tool_db(
        tmp_path / "plexomatic.db",
        [
            (
                f"{library.root_path}/a.mkv",
                media.path,
                "rename",
                "",
                "completed",
                "2024-01-01 00:00:00.000000",
                None,
                None,
            )
        ],
    )
    run(path)
    op = FileOperation.objects.get()
    assert op.media_file == media and op.batch.library == library


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"just some text, certainly not SQLite" * 100, "is not a plex-o-matic database"),
        (None, "has no file_renames table"),
    ],
)
def test_a_file_that_is_not_a_plexomatic_database_is_refused(tmp_path, content, message):
    path = tmp_path / "other.db"
    if content is None:
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE something (x)")
    else:
        path.write_bytes(content)
    before = path.read_bytes()
    with pytest.raises(CommandError, match=message) as error:
        run(str(path))
    assert "Nothing was imported." in str(error.value)
    assert not Batch.objects.exists()
    assert path.read_bytes() == before  # only ever read


def test_a_table_missing_columns_is_refused(tmp_path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE file_renames (id INTEGER, original_path TEXT)")
    with pytest.raises(CommandError, match="lacks new_path"):
        run(str(path))


def test_the_default_path_is_in_the_home_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    with pytest.raises(
        CommandError, match=f"There is no file at {tmp_path}/.plexomatic/plexomatic.db"
    ):
        run()
    (tmp_path / ".plexomatic").mkdir()
    tool_db(tmp_path / ".plexomatic" / "plexomatic.db", ROWS[:1])
    assert "Imported 1 operation(s)" in run()
