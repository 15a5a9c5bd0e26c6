from __future__ import annotations

import csv
import datetime
import io
import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from library.models import Batch, FileOperation
from library.services.apply import library_apply
from library.services.locks import library_lock
from library.tests.factories import batch_make, episode_make, library_make, tree
from plexomatic_site.jobs import jobs_claim
from plexomatic_site.models import JobKind

# Every test here runs its jobs at once, in the request (immediate_tasks, root conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]

HISTORY = reverse("library:history")
FILES = f"{HISTORY}?view=files"
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


def batch_ids(response) -> list[int]:
    return [summary.batch.pk for summary in response.context["summaries"]]


def test_history_lists_operations_with_their_errors(logged_in, library):
    (failed,) = journal(library, 1, status="failed", error="Permission denied: /tv/x")
    html = logged_in.get(FILES).content.decode()
    assert "Permission denied: /tv/x" in html and failed.original_path in html


def test_history_rows_escape_names_paths_notes_and_errors(logged_in, library):
    hostile = '<script>alert("x")</script>'
    library.name = hostile
    library.save()
    batch = Batch.objects.create(library=library, note=hostile)
    FileOperation.objects.create(
        batch=batch,
        status="failed",
        original_path=f"{library.root_path}/{hostile}.mkv",
        new_path=f"{library.root_path}/{hostile}/x.mkv",
        error=hostile,
    )
    for page in (HISTORY, FILES, reverse("library:batch", args=[batch.pk])):
        html = logged_in.get(page).content.decode()
        assert "<script>alert" not in html, page
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html, page


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
        assert ids(logged_in.get(f"{FILES}&{query}")) == expected, query


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
    response = logged_in.get(f"{FILES}&{query}")
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()


def test_history_paginates(logged_in, library):
    journal(library, 60)
    first = logged_in.get(FILES)
    second = logged_in.get(f"{FILES}&page=2")
    assert len(first.context["operations"]) == 50 and len(second.context["operations"]) == 10
    assert "Page 1 of 2" in first.content.decode()


def test_history_query_count_does_not_grow_with_rows(
    logged_in, library, tmp_path, django_assert_max_num_queries
):
    for n in range(5):
        journal(library_make(tmp_path / f"lib{n}", name=f"L{n}"), 20)
    with django_assert_max_num_queries(8):
        response = logged_in.get(f"{FILES}&status=pending")
    assert len(response.context["operations"]) == 50


def test_history_needs_login_and_refuses_post(client, logged_in):
    assert logged_in.post(HISTORY).status_code == 405
    assert logged_in.post(FILES).status_code == 405
    assert logged_in.post(EXPORT).status_code == 405
    logged_in.logout()
    assert client.get(HISTORY)["Location"].startswith("/login/")
    assert client.get(FILES)["Location"].startswith("/login/")
    assert client.get(EXPORT)["Location"].startswith("/login/")


def test_history_lists_batches_newest_first_with_their_counts(logged_in, library, user):
    older = batch_make(library, completed=3)
    newer = batch_make(library, by=user, completed=390, failed=2, rolled_back=4, pending=1)
    response = logged_in.get(HISTORY)
    assert response.status_code == 200
    assert batch_ids(response) == [newer.pk, older.pk]
    summary = response.context["summaries"][0]
    assert (summary.total, summary.completed, summary.failed) == (397, 390, 2)
    assert (summary.rolled_back, summary.pending) == (4, 1)
    html = response.content.decode()
    at = html.index(f"Batch {newer.pk}</a>")
    row = html[html.rindex("<tr>", 0, at) : html.index("</tr>", at)]
    cells = [cell.split("<")[0] for cell in row.split('<td class="num">')[1:]]
    assert cells == ["397", "390", "", ""]  # failed and rolled back are links
    assert "alice" in row and "TV" in row and "1 pending" in row
    files = f"{FILES}&amp;batch={newer.pk}"
    assert f'href="{files}&amp;status=failed">2<' in row
    assert f'href="{files}&amp;status=rolled_back">4<' in row
    assert f'href="{reverse("library:batch", args=[newer.pk])}"' in row
    assert "2 batches" in html


def test_history_batch_without_operations_or_user_reads_plainly(logged_in, library):
    batch_make(library, kind="import")
    html = logged_in.get(HISTORY).content.decode()
    assert '<span class="badge muted">import</span>' in html
    assert "not recorded" in html


def test_history_empty_states(logged_in, library):
    assert "Nothing applied yet." in logged_in.get(HISTORY).content.decode()
    batch_make(library, completed=1)
    assert "No batches match." in logged_in.get(f"{HISTORY}?status=failed").content.decode()


def test_history_batch_filters(logged_in, library, user, tmp_path, django_user_model):
    bob = django_user_model.objects.create_user(username="bob", password="another-long-password")
    clean = batch_make(library, by=user, completed=2)
    failing = batch_make(library, by=bob, completed=1, failed=1)
    undone = batch_make(library, rolled_back=2)
    other = library_make(tmp_path / "movies", name="Movies")
    elsewhere = batch_make(other, by=user, completed=1)
    old = batch_make(library, completed=1)
    Batch.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=10))
    today = timezone.localdate().isoformat()
    five_days_ago = (timezone.localdate() - datetime.timedelta(days=5)).isoformat()
    cases = {
        f"library={other.pk}": [elsewhere.pk],
        "status=failed": [failing.pk],
        "status=rolled_back": [undone.pk],
        "status=completed": [elsewhere.pk, failing.pk, clean.pk, old.pk],
        f"created_by={bob.pk}": [failing.pk],
        f"created_by={user.pk}&library={library.pk}": [clean.pk],
        f"date_to={five_days_ago}": [old.pk],
        f"date_from={today}&date_to={today}&status=completed&library={library.pk}": [
            failing.pk,
            clean.pk,
        ],
    }
    for query, expected in cases.items():
        response = logged_in.get(f"{HISTORY}?{query}")
        assert response.status_code == 200, query
        assert batch_ids(response) == expected, query


@pytest.mark.parametrize(
    "query",
    [
        "status=exploded",
        "library=999",
        "created_by=abc",
        "date_from=2024-02-01&date_to=2024-01-01",
        "date_to=tomorrow",
    ],
)
def test_history_bad_batch_filters_are_a_bad_request(logged_in, library, query):
    batch_make(library, completed=1)
    response = logged_in.get(f"{HISTORY}?{query}")
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()


def test_history_unknown_view_is_a_bad_request(logged_in):
    response = logged_in.get(f"{HISTORY}?view=everything")
    assert response.status_code == 400
    assert b"Unknown history view 'everything'" in response.content


def test_history_switches_between_batches_and_files(logged_in, library):
    batch_make(library, completed=1)
    batches = logged_in.get(HISTORY).content.decode()
    files = logged_in.get(FILES).content.decode()
    assert f'<a href="{HISTORY}" aria-current="page">Batches</a>' in batches
    assert f'<a href="{HISTORY}?view=files" aria-current="page">Files</a>' in files
    # The files view's filters keep it on the files view, and so does its pagination.
    assert '<input type="hidden" name="view" value="files">' in files
    assert 'aria-label="Filter batches"' in batches and 'aria-label="Filter operations"' in files


def test_history_batch_list_has_labels_and_headings(logged_in, library):
    batch = batch_make(library, completed=1)
    html = logged_in.get(HISTORY).content.decode()
    for name, label in [
        ("library", "Library"),
        ("status", "Has operations"),
        ("created_by", "By"),
        ("date_from", "From"),
        ("date_to", "To"),
    ]:
        assert f'<label for="id_{name}">{label}</label>' in html
    assert "<h1>Operation history</h1>" in html
    assert 'aria-label="History views"' in html and 'aria-label="Batches"' in html
    assert '<th scope="col" class="num">Rolled back</th>' in html
    assert f'<th scope="row"><a href="{reverse("library:batch", args=[batch.pk])}">' in html


def test_history_batches_paginate(logged_in, library):
    made = [batch_make(library, completed=1).pk for _ in range(30)]
    first = logged_in.get(HISTORY)
    second = logged_in.get(f"{HISTORY}?status=completed&page=2")
    assert batch_ids(first) == made[::-1][:25] and batch_ids(second) == made[::-1][25:]
    assert "Page 2 of 2" in second.content.decode()
    assert "?status=completed&amp;page=1" in second.content.decode()


def _history_queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_history_batch_query_count_does_not_grow_with_batches_or_operations(
    logged_in, library, tmp_path
):
    for _ in range(3):
        batch_make(library, completed=2, failed=1)
    few = _history_queries(logged_in, HISTORY)
    libraries = [library_make(tmp_path / f"lib{n}", name=f"L{n}") for n in range(4)]
    for n in range(57):
        batch_make(libraries[n % 4], completed=40, failed=5, rolled_back=5)
    many = _history_queries(logged_in, f"{HISTORY}?status=failed")
    assert len(many) == len(few)
    # The operations are counted once, grouped, and only the page's batches' operations
    # (the status filter's EXISTS only probes them).
    counted = [sql for sql in many if sql.startswith('SELECT "library_fileoperation"')]
    assert len(counted) == 1 and "GROUP BY" in counted[0]
    assert '"library_fileoperation"."batch_id" IN (' in counted[0]


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


def test_batch_page_counts_every_status_and_links_to_its_files(logged_in, library):
    batch = batch_make(library, completed=4, failed=2, rolled_back=3, pending=1)
    html = logged_in.get(reverse("library:batch", args=[batch.pk])).content.decode()
    for text in ["4 completed", "2 failed", "3 rolled back", "1 pending", "of 10"]:
        assert text in html
    assert f'href="{FILES}&amp;batch={batch.pk}&amp;status=failed"' in html
    assert f'href="{HISTORY}">All batches</a>' in html
    failed = logged_in.get(f"{FILES}&batch={batch.pk}&status=failed")
    assert len(failed.context["operations"]) == 2


def test_batch_page_query_count_is_pinned(logged_in, applied, django_assert_max_num_queries):
    batch, _ = applied
    # 7: one of them reads what Plex and the webhook were told (notify's block).
    with django_assert_max_num_queries(7):
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
