from __future__ import annotations

import csv
import datetime
import io
import os

import pytest
from django.urls import reverse
from django.utils import timezone

from library.models import Batch, FileOperation
from library.services.apply import library_apply
from library.services.locks import library_lock
from library.tests.factories import episode_make, library_make, tree
from plexomatic_site.jobs import jobs_claim
from plexomatic_site.models import JobKind

# Every test here runs its jobs at once, in the request (immediate_tasks, root conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]

HISTORY = reverse("library:history")
EXPORT = reverse("library:history_export")


@pytest.fixture
def library(tmp_path):
    return library_make(tmp_path / "tv")


@pytest.fixture
def applied(library):
    for n in (1, 2, 3):
        episode_make(library, f"in/e{n}.mkv", episode=n)
    before = tree(library.root_path)
    return library_apply(library=library).batch, before


def journal(library, count: int, **fields) -> list[FileOperation]:
    batch = Batch.objects.create(library=library)
    return FileOperation.objects.bulk_create(
        FileOperation(
            batch=batch,
            original_path=f"{library.root_path}/old{n}.mkv",
            new_path=f"{library.root_path}/new{n}.mkv",
            **fields,
        )
        for n in range(count)
    )


def ids(response) -> set[int]:
    return {op.pk for op in response.context["operations"]}


def test_history_lists_operations_with_their_errors(logged_in, library):
    (failed,) = journal(library, 1, status="failed", error="Permission denied: /tv/x")
    html = logged_in.get(HISTORY).content.decode()
    assert "Permission denied: /tv/x" in html and failed.original_path in html


def test_history_filters(logged_in, library, tmp_path):
    done = journal(library, 2, status="completed", completed_at=timezone.now())
    failed = journal(library, 1, status="failed", operation_type="move")
    other = library_make(tmp_path / "movies", name="Movies")
    elsewhere = journal(other, 1)
    flagged = journal(library, 1, status="failed", needs_attention=True)
    old = journal(library, 1)
    FileOperation.objects.filter(pk=old[0].pk).update(
        created_at=timezone.now() - datetime.timedelta(days=10)
    )
    today = timezone.localdate().isoformat()
    cases = {
        "status=completed": {op.pk for op in done},
        "operation_type=move": {failed[0].pk},
        f"library={other.pk}": {elsewhere[0].pk},
        f"batch={failed[0].batch_id}": {failed[0].pk},
        "attention=on": {flagged[0].pk},
        f"date_to={(timezone.localdate() - datetime.timedelta(days=5)).isoformat()}": {old[0].pk},
        f"date_from={today}&date_to={today}&library={other.pk}": {elsewhere[0].pk},
        "q=movies/OLD0": {elsewhere[0].pk},
    }
    for query, expected in cases.items():
        assert ids(logged_in.get(f"{HISTORY}?{query}")) == expected, query


@pytest.mark.parametrize(
    "query",
    [
        "status=exploded",
        "date_from=2024-02-01&date_to=2024-01-01",
        "batch=-3",
        "date_from=yesterday",
    ],
)
def test_history_bad_filters_are_a_bad_request(logged_in, library, query):
    response = logged_in.get(f"{HISTORY}?{query}")
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()


def test_history_paginates(logged_in, library):
    journal(library, 60)
    first = logged_in.get(HISTORY)
    second = logged_in.get(f"{HISTORY}?page=2")
    assert len(first.context["operations"]) == 50 and len(second.context["operations"]) == 10
    assert "Page 1 of 2" in first.content.decode()


def test_history_query_count_does_not_grow_with_rows(
    logged_in, library, tmp_path, django_assert_max_num_queries
):
    for n in range(5):
        journal(library_make(tmp_path / f"lib{n}", name=f"L{n}"), 20)
    with django_assert_max_num_queries(8):
        response = logged_in.get(f"{HISTORY}?status=pending")
    assert len(response.context["operations"]) == 50


def test_history_needs_login_and_refuses_post(client, logged_in):
    assert logged_in.post(HISTORY).status_code == 405
    assert logged_in.post(EXPORT).status_code == 405
    logged_in.logout()
    assert client.get(HISTORY)["Location"].startswith("/login/")
    assert client.get(EXPORT)["Location"].startswith("/login/")


def test_csv_export_streams_the_filtered_operations(logged_in, library):
    journal(library, 3, status="failed", error='bad, "quoted"')
    journal(library, 2)
    response = logged_in.get(f"{EXPORT}?status=failed")
    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="plexomatic-operations.csv"'
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 3
    assert {row["error"] for row in rows} == {'bad, "quoted"'}
    assert rows[0]["library"] == "TV" and rows[0]["status"] == "failed"


def test_csv_export_with_a_bad_filter_is_a_bad_request(logged_in):
    response = logged_in.get(f"{EXPORT}?status=nope")
    assert response.status_code == 400 and b"Invalid filter" in response.content


def test_batch_page_shows_counts_and_a_rollback_link(logged_in, applied):
    batch, _ = applied
    html = logged_in.get(reverse("library:batch", args=[batch.pk])).content.decode()
    assert "3 completed" in html
    assert reverse("library:batch_rollback", args=[batch.pk]) in html


def test_batch_page_query_count_is_pinned(logged_in, applied, django_assert_max_num_queries):
    batch, _ = applied
    with django_assert_max_num_queries(6):
        logged_in.get(reverse("library:batch", args=[batch.pk]))


def test_unknown_batch_and_operation_are_404(logged_in):
    assert logged_in.get(reverse("library:batch", args=[999])).status_code == 404
    assert logged_in.get(reverse("library:batch_rollback", args=[999])).status_code == 404
    assert logged_in.post(reverse("library:operation_rollback", args=[999])).status_code == 404


def test_batch_rollback_asks_first_then_moves_every_file_back(logged_in, library, applied):
    batch, before = applied
    url = reverse("library:batch_rollback", args=[batch.pk])
    page = logged_in.get(url)
    assert "3 file(s) will move back" in page.content.decode()
    assert tree(library.root_path) != before  # a GET changes nothing
    unconfirmed = logged_in.post(url, {})
    assert "Tick the box" in unconfirmed.content.decode()
    assert tree(library.root_path) != before
    response = logged_in.post(url, {"confirm": "on"})
    assert response.status_code == 302
    assert tree(library.root_path) == before
    assert set(FileOperation.objects.values_list("status", flat=True)) == {"rolled_back"}
    job_page = logged_in.get(response["Location"]).content.decode()
    assert "Rolled back 3 of 3 operation(s)." in job_page


def test_operation_rollback_moves_one_file_back(logged_in, library, applied):
    batch, _ = applied
    op = FileOperation.objects.filter(batch=batch).first()
    logged_in.post(reverse("library:operation_rollback", args=[op.pk]), {"confirm": "on"})
    op.refresh_from_db()
    assert op.status == "rolled_back" and os.path.exists(op.original_path)
    assert FileOperation.objects.filter(status="completed").count() == 2


def test_rolling_back_an_operation_twice_is_refused(logged_in, library, applied):
    batch, _ = applied
    op = FileOperation.objects.filter(batch=batch).first()
    url = reverse("library:operation_rollback", args=[op.pk])
    logged_in.post(url, {"confirm": "on"})
    response = logged_in.post(url, {"confirm": "on"}, follow=True)
    assert f"Operation {op.pk} is rolled back" in response.content.decode()


def test_rollback_of_a_busy_library_is_refused(logged_in, library, applied):
    batch, _ = applied
    jobs_claim(kind=JobKind.SCAN, locks=[library_lock(library)])
    url = reverse("library:batch_rollback", args=[batch.pk])
    response = logged_in.post(url, {"confirm": "on"}, follow=True)
    assert "already running" in response.content.decode()
    assert FileOperation.objects.filter(status="completed").count() == 3


def test_rollback_of_paths_outside_every_library_is_refused(logged_in, tmp_path):
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "b").write_bytes(b"keep")
    op = FileOperation.objects.create(
        batch=Batch.objects.create(kind="import"),
        original_path=str(outside / "a"),
        new_path=str(outside / "b"),
        status="completed",
        completed_at=timezone.now(),
        checksum="sample1:4:x",
    )
    response = logged_in.post(
        reverse("library:operation_rollback", args=[op.pk]), {"confirm": "on"}, follow=True
    )
    assert "not inside any library" in response.content.decode()
    assert (outside / "b").read_bytes() == b"keep"


def test_rollback_views_need_login_and_refuse_other_methods(client, logged_in, applied):
    batch, _ = applied
    url = reverse("library:batch_rollback", args=[batch.pk])
    assert logged_in.put(url).status_code == 405
    logged_in.logout()
    assert client.post(url, {"confirm": "on"})["Location"].startswith("/login/")
    assert FileOperation.objects.filter(status="completed").count() == 3
