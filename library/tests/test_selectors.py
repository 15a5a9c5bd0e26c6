from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from library.models import Batch, FileOperation, Library, MediaFile
from library.selectors import (
    BatchSummary,
    SubtitleBadge,
    batch_summaries,
    media_rows,
    operation_rows,
    recent_batch_summaries,
    url_for_id,
)
from library.tests.factories import operations_add

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("by_status", "headline"),
    [
        ({"completed": 392, "failed": 2}, "392 files renamed, 2 failed"),
        ({"completed": 1}, "1 file renamed"),
        (
            {"completed": 1200, "rolled_back": 3, "pending": 1},
            "1,200 files renamed, 3 rolled back, 1 pending",
        ),
        ({"rolled_back": 5, "failed": 1}, "1 file failed, 5 rolled back"),
        ({"rolled_back": 2}, "2 files rolled back"),
        ({}, "no files"),
    ],
)
def test_batch_headline_says_what_the_batch_did(by_status, headline):
    assert BatchSummary(Batch(pk=3), "/history/batches/3/", by_status).headline() == headline


def test_batch_summaries_count_each_batch_by_status_in_one_query():
    library = Library.objects.create(name="TV", root_path="/tv")
    first, second, empty, elsewhere = (Batch.objects.create(library=library) for _ in range(4))
    operations_add(first, completed=3)
    operations_add(first, failed=1)
    operations_add(second, rolled_back=2)
    operations_add(second, pending=1)
    operations_add(elsewhere, completed=7)
    with CaptureQueriesContext(connection) as queries:
        summaries = batch_summaries([first, second, empty])
    assert len(queries) == 1
    assert [s.batch for s in summaries] == [first, second, empty]
    counts = [(s.total, s.completed, s.failed, s.rolled_back, s.pending) for s in summaries]
    assert counts == [(4, 3, 1, 0, 0), (3, 0, 0, 2, 1), (0, 0, 0, 0, 0)]


def test_batch_summaries_of_no_batch_query_nothing():
    with CaptureQueriesContext(connection) as queries:
        assert batch_summaries([]) == []
    assert len(queries) == 0


@pytest.mark.sqlite_only(reason="reads SQLite's query plan (EXPLAIN QUERY PLAN)")
def test_batch_counts_read_only_the_batch_status_index():
    """EXPLAIN QUERY PLAN of the counts: the covering (batch, status) index, no table rows."""
    library = Library.objects.create(name="TV", root_path="/tv")
    batches = [Batch.objects.create(library=library) for _ in range(3)]
    for batch in batches:
        operations_add(batch, completed=20)
    with CaptureQueriesContext(connection) as queries:
        batch_summaries(batches)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + queries[0]["sql"])
        plan = " | ".join(row[-1] for row in cursor.fetchall())
    assert "USING COVERING INDEX fileop_batch_status_idx" in plan, plan
    assert "TEMP B-TREE" not in plan, plan


def test_recent_batch_summaries_are_the_newest_with_their_library():
    library = Library.objects.create(name="TV", root_path="/tv")
    made = [Batch.objects.create(library=library) for _ in range(4)]
    operations_add(made[-1], completed=2)
    with CaptureQueriesContext(connection) as queries:
        recent = recent_batch_summaries(limit=3)
        names = [summary.batch.library.name for summary in recent]
    assert [s.batch for s in recent] == made[:0:-1] and names == ["TV"] * 3
    assert recent[0].completed == 2 and len(queries) == 2


def test_url_for_id_builds_what_reverse_does():
    batch_url = url_for_id("library:batch")
    media_url = url_for_id("library:media", 7)
    for pk in (1, 42, 2**40):
        assert batch_url(pk) == reverse("library:batch", args=[pk])
        assert media_url(pk) == reverse("library:media", args=[7, pk])


def test_operation_rows_read_one_query_with_labels_library_and_urls():
    library = Library.objects.create(name="TV", root_path="/tv")
    batch, orphan = Batch.objects.create(library=library), Batch.objects.create()
    operations_add(batch, completed=1, rolled_back=1)
    operations_add(orphan, failed=1)
    FileOperation.objects.filter(status="failed").update(operation_type="move", error="denied")
    with CaptureQueriesContext(connection) as queries:
        rows = operation_rows(FileOperation.objects.order_by("pk"))
    assert len(queries) == 1
    seen = [(r.batch_id, r.library_name, r.operation_type_label, r.status_label) for r in rows]
    assert seen == [
        (batch.pk, "TV", "Rename", "Completed"),
        (batch.pk, "TV", "Rename", "Rolled back"),
        (orphan.pk, None, "Move", "Failed"),
    ]
    assert rows[1].rolled_back_at is not None and rows[2].error == "denied"
    assert rows[0].batch_url == reverse("library:batch", args=[batch.pk])
    assert rows[0].rollback_url == reverse("library:operation_rollback", args=[rows[0].pk])


def test_media_rows_carry_their_subtitles_in_path_order_in_two_queries():
    library = Library.objects.create(name="TV", root_path="/tv")
    video = MediaFile.objects.create(
        library=library,
        path="/tv/Show/s01e01.mkv",
        name="s01e01.mkv",
        media_type="TV_SHOW",
        episodes=[1, 2],
        extra_type="trailer",
    )
    bare = MediaFile.objects.create(library=library, path="/tv/x.avi", name="x.avi")
    for name, language, forced in [("s01e01.fr.srt", "fr", True), ("s01e01.en.srt", "en", False)]:
        MediaFile.objects.create(
            library=library,
            path=f"/tv/Show/{name}",
            name=name,
            kind="subtitle",
            video=video,
            language=language,
            forced=forced,
        )
    with CaptureQueriesContext(connection) as queries:
        rows = media_rows(MediaFile.objects.filter(kind="video").order_by("pk"), library_id=1)
    assert len(queries) == 2
    assert [row.pk for row in rows] == [video.pk, bare.pk]
    assert rows[0].sidecars == [
        SubtitleBadge("s01e01.en.srt", "en", False, False),
        SubtitleBadge("s01e01.fr.srt", "fr", True, False),
    ]
    assert rows[1].sidecars == [] and rows[0].episodes == [1, 2]
    assert (rows[0].media_type_label, rows[0].extra_type_label) == ("TV show", "Trailer")
    assert rows[0].url == reverse("library:media", args=[1, video.pk])
