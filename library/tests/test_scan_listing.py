"""An unchanged rescan reads no media row: the walk's digest, and the triggers that
make the database forget it whenever a row changes, whoever changes it."""

from __future__ import annotations

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from library.models import Library, MediaFile
from library.services.scan import library_scan
from library.tests.conftest import make_files
from plexomatic_site.settings_store import settings_update

pytestmark = pytest.mark.django_db

FILES = [
    "Show (2019)/Season 01/Show (2019) - S01E01.mkv",
    "Show (2019)/Season 01/Show (2019) - S01E02.mkv",
    "Show (2019)/Season 01/Show (2019) - S01E02.en.srt",
    "Show (2019)/Season 01/Show (2019) - S01E03 - Behind.mkv",
    "Show (2019)/Bonus/Show (2019) - S00E01.mkv",
    "Show (2019)/Sample/sample.mkv",
    "Film (2001)/Film (2001).mkv",
]
COUNTS = ("seen", "new", "changed", "unchanged", "moved", "missing", "returned", "removed")
EXCLUDED = ("excluded", "excluded_folders", "excluded_rules", "error_count")


def _digest(library: Library) -> str:
    return Library.objects.values_list("listing_digest", flat=True).get(pk=library.pk)


@pytest.fixture
def scanned(library, media_root):
    """A library scanned once, with files left out by a pattern, by an ignored folder
    and by a .plexignore, so the counts a rescan reports are not all zero."""
    settings_update(values={"ignore_patterns": ["* - behind.mkv", "sample"]})
    make_files(media_root, FILES)
    (media_root / "Show (2019)" / ".plexignore").write_text("Bonus/*\n")
    summary = library_scan(library=library)
    assert (summary.new, summary.excluded, summary.excluded_folders) == (4, 2, 1)
    assert _digest(library) != ""
    return library


def test_an_unchanged_rescan_reads_no_media_row_and_reports_what_a_full_one_does(scanned):
    with CaptureQueriesContext(connection) as queries:
        quick = library_scan(library=scanned)
    statements = [query["sql"] for query in queries.captured_queries]
    assert not [sql for sql in statements if "library_mediafile" in sql], statements
    assert len(statements) < 15, statements

    Library.objects.filter(pk=scanned.pk).update(listing_digest="")
    with CaptureQueriesContext(connection) as queries:
        full = library_scan(library=scanned)
    assert any("library_mediafile" in query["sql"] for query in queries.captured_queries)
    assert [getattr(quick, name) for name in COUNTS + EXCLUDED] == [
        getattr(full, name) for name in COUNTS + EXCLUDED
    ]
    assert (quick.unchanged, quick.excluded, quick.excluded_folders) == (4, 2, 1)
    assert quick.headline().split(" in ")[0] == full.headline().split(" in ")[0]


def test_every_change_to_what_a_scan_compares_empties_the_digest(scanned, media_root):
    row = MediaFile.objects.filter(library=scanned, kind="video").first()
    stored = _digest(scanned)
    # What recognition decides is not compared: editing it keeps the digest.
    MediaFile.objects.filter(pk=row.pk).update(title="Another", season=9)
    assert _digest(scanned) == stored
    changes = {
        "path": lambda: MediaFile.objects.filter(pk=row.pk).update(path=row.path + ".old"),
        "size": lambda: MediaFile.objects.filter(pk=row.pk).update(size=row.size + 1),
        "mtime": lambda: MediaFile.objects.filter(pk=row.pk).update(mtime=row.mtime + 1),
        "missing": lambda: MediaFile.objects.filter(pk=row.pk).update(missing=True),
        "path_bytes": lambda: MediaFile.objects.filter(pk=row.pk).update(path_bytes=b"x"),
        "delete": lambda: MediaFile.objects.filter(pk=row.pk).delete(),
        "insert": lambda: MediaFile.objects.create(
            library=scanned, path=str(media_root / "new.mkv"), name="new.mkv"
        ),
    }
    for change, make in changes.items():
        # Each change meets the row as the scan stored it.
        MediaFile.objects.filter(pk=row.pk).delete()
        row.save(force_insert=True)
        MediaFile.objects.filter(library=scanned, name="new.mkv").delete()
        Library.objects.filter(pk=scanned.pk).update(listing_digest=stored)
        make()
        assert _digest(scanned) == "", change
    # Saving a row unchanged, as the admin does, compares equal and keeps it.
    Library.objects.filter(pk=scanned.pk).update(listing_digest=stored)
    MediaFile.objects.get(pk=row.pk).save()
    assert _digest(scanned) == stored


def test_a_row_changed_behind_the_scans_back_is_put_right_by_the_next_rescan(scanned, media_root):
    """As if an apply renamed a file and something else renamed it back on disk: the
    folder lists as the last scan saw it, but the rows do not match it any more."""
    row = MediaFile.objects.get(library=scanned, name="Film (2001).mkv")
    with connection.cursor() as cursor:  # not through the ORM: the triggers are the database's
        cursor.execute(
            "UPDATE library_mediafile SET path = %s, name = %s WHERE id = %s",
            [str(media_root / "Film (2001)" / "Renamed.mkv"), "Renamed.mkv", row.pk],
        )
        cursor.execute(
            "DELETE FROM library_mediafile WHERE name = %s", ["Show (2019) - S01E01.mkv"]
        )
    summary = library_scan(library=scanned)
    # The row is found again as a move (same size and mtime, same sampled content).
    assert (summary.new, summary.moved, summary.missing) == (1, 1, 0)
    moved = MediaFile.objects.get(pk=row.pk)
    assert (moved.name, moved.path, moved.missing) == (row.name, row.path, False)
    assert MediaFile.objects.filter(name="Show (2019) - S01E01.mkv", missing=False).exists()
    assert _digest(scanned) != ""


def test_the_digest_follows_the_folder_the_rules_and_the_library_kind(scanned, media_root):
    stored = _digest(scanned)
    (media_root / "Film (2001)" / "Film (2001).mkv").write_bytes(b"longer than before")
    assert library_scan(library=scanned).changed == 1
    assert _digest(scanned) not in ("", stored)
    stored = _digest(scanned)
    settings_update(values={"ignore_patterns": ["sample"]})
    summary = library_scan(library=scanned)
    assert (summary.new, summary.excluded) == (1, 1)
    stored, scanned.kind = _digest(scanned), "movies"
    scanned.save()
    with CaptureQueriesContext(connection) as queries:
        library_scan(library=scanned)  # every known name is read again, as another kind
    assert any("library_mediafile" in query["sql"] for query in queries.captured_queries)
    assert _digest(scanned) not in ("", stored)


def test_a_walk_left_unsure_stores_no_digest(scanned, media_root, monkeypatch):
    locked = str(media_root / "Film (2001)")
    real = os.scandir

    def scandir(path):
        if path == locked:
            raise PermissionError(13, "Permission denied", path)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    summary = library_scan(library=scanned)
    assert summary.error_count == 1 and summary.missing == 0
    assert _digest(scanned) == ""
    monkeypatch.setattr(os, "scandir", real)
    with CaptureQueriesContext(connection) as queries:
        assert library_scan(library=scanned).unchanged == 4
    assert any("library_mediafile" in query["sql"] for query in queries.captured_queries)
    assert _digest(scanned) != ""


def test_a_symlink_the_walk_reports_does_not_keep_rescans_reading_rows(scanned, media_root):
    os.symlink("/", media_root / "Film (2001)" / "outside")
    first = library_scan(library=scanned)
    assert first.error_count == 1
    with CaptureQueriesContext(connection) as queries:
        again = library_scan(library=scanned)
    assert again.errors == first.errors and again.unchanged == 4
    assert not [q for q in queries.captured_queries if "library_mediafile" in q["sql"]]


def test_a_last_summary_edited_by_hand_only_makes_the_rescan_read_the_rows(scanned):
    Library.objects.filter(pk=scanned.pk).update(last_scan_summary={"excluded": "many"})
    scanned.refresh_from_db()
    with CaptureQueriesContext(connection) as queries:
        summary = library_scan(library=scanned)
    assert (summary.unchanged, summary.excluded, summary.error_count) == (4, 2, 0)
    assert any("library_mediafile" in query["sql"] for query in queries.captured_queries)
