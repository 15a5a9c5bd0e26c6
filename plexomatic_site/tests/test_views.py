from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.html import escape

from library.models import Batch, FileOperation, Library, MediaFile
from library.tests.factories import batch_make
from plexomatic_site.models import ConfigurationHistory, Job, JobKind
from plexomatic_site.settings_store import setting_get, settings_update
from plexomatic_site.summaries import job_summary

pytestmark = pytest.mark.django_db

EXEMPT = {"login", "setup", "healthz", "favicon"}


def _named_routes(resolver=None, prefix="", namespace=""):
    """Every named URL of the project (with its namespace), with its converters."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _named_routes(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name, entry.pattern.converters


def _sample_url(name, converters):
    kwargs = {
        key: ("video_extensions" if conv.regex.startswith("[-a-zA-Z") else 1)
        for key, conv in converters.items()
    }
    return reverse(name, kwargs=kwargs)


def test_every_page_but_the_exempt_ones_redirects_anonymous_users(client, user):
    checked = 0
    for name, converters in _named_routes():
        if name in EXEMPT:
            continue
        url = _sample_url(name, converters)
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, (name, response.status_code)
            assert response.url.startswith(reverse("login")), name
        checked += 1
    assert checked >= 5


def test_admin_requires_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_login_page_sends_first_visitor_to_setup(client):
    assert client.get(reverse("login")).url == reverse("setup")


def test_setup_creates_administrator_then_is_gone(client):
    response = client.get(reverse("setup"))
    assert response.status_code == 200
    response = client.post(
        reverse("setup"),
        {
            "username": "admin",
            "password1": "correct-horse-battery",
            "password2": "correct-horse-battery",
        },
    )
    assert response.status_code == 302
    admin = get_user_model().objects.get()
    assert admin.is_superuser and admin.is_staff
    # Logged in straight away.
    assert client.get(reverse("overview")).status_code == 200
    client.logout()
    assert client.get(reverse("setup")).status_code == 404
    assert (
        client.post(
            reverse("setup"), {"username": "eve", "password1": "x" * 20, "password2": "x" * 20}
        ).status_code
        == 404
    )
    assert get_user_model().objects.count() == 1


def test_setup_rejects_mismatched_passwords(client):
    response = client.post(
        reverse("setup"),
        {"username": "admin", "password1": "correct-horse-1", "password2": "other"},
    )
    assert response.status_code == 200
    assert not get_user_model().objects.exists()
    assert "password2" in response.context["form"].errors


def test_setup_requires_csrf(user):
    from django.test import Client

    user.delete()
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        reverse("setup"),
        {"username": "a", "password1": "correct-horse-1", "password2": "correct-horse-1"},
    )
    assert response.status_code == 403


def test_logout_is_post_only(logged_in):
    assert logged_in.get(reverse("logout")).status_code == 405
    assert logged_in.post(reverse("logout")).status_code == 302
    assert logged_in.get(reverse("overview")).status_code == 302


def test_healthz_is_public_json(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = json.loads(response.content)
    assert {k: body[k] for k in ("status", "database", "migrations")} == {
        "status": "ok",
        "database": "ok",
        "migrations": "ok",
    }
    assert client.post(reverse("healthz")).status_code == 405


def test_overview_empty_state_tells_what_to_do(logged_in):
    response = logged_in.get(reverse("overview"))
    assert response.status_code == 200
    assert b"No libraries yet." in response.content
    assert b"There is no backup of the database yet." in response.content


def test_overview_counts_and_warnings(logged_in):
    library = Library.objects.create(name="TV", root_path="/media/tv")
    for n in range(3):
        MediaFile.objects.create(
            library=library,
            path=f"/media/tv/{n}.mkv",
            name=f"{n}.mkv",
            media_type="TV_SHOW",
            size=10,
        )
    MediaFile.objects.create(
        library=library, path="/media/tv/gone.mkv", name="gone.mkv", missing=True
    )
    FileOperation.objects.create(
        batch=Batch.objects.create(library=library), original_path="/a", new_path="/b"
    )
    response = logged_in.get(reverse("overview"))
    row = response.context["libraries"][0]
    assert row.by_type["TV show"] == 3 and row.total == 3 and row.size == 30
    messages = [w.message for w in response.context["warnings"]]
    assert any("1 file operation(s) are still pending" in m for m in messages)
    assert any("1 media file(s) have gone missing" in m for m in messages)


def test_overview_recent_activity_shows_the_latest_batches(logged_in):
    tv = Library.objects.create(name="TV", root_path="/media/tv")
    movies = Library.objects.create(name="Movies", root_path="/media/movies")
    oldest = batch_make(tv, completed=1)
    for n in range(3):
        batch_make(movies, completed=n + 1)
    undone = batch_make(tv, rolled_back=2)
    newest = batch_make(tv, completed=392, failed=2)
    response = logged_in.get(reverse("overview"))
    shown = [summary.batch for summary in response.context["recent_batches"]]
    assert len(shown) == 5 and shown[0] == newest and oldest not in shown
    html = response.content.decode()
    batch_url = reverse("library:batch", args=[newest.pk])
    assert f'<a href="{batch_url}">Batch {newest.pk}: 392 files renamed, 2 failed</a>' in html
    assert f"Batch {undone.pk}: 2 files rolled back</a>" in html
    at = html.index(f"Batch {newest.pk}:")
    assert "TV, <time" in html[at : html.index("</li>", at)]
    assert "Recent activity" in html and f'href="{reverse("library:history")}">All history' in html


def _overview_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("overview")).status_code == 200
    return len(queries)


def test_overview_query_count_does_not_grow_with_libraries_or_batches(logged_in):
    library = Library.objects.create(name="L", root_path="/media/l")
    for _ in range(3):
        batch_make(library, completed=1)
    logged_in.get(reverse("overview"))  # counts the library no scan has counted yet
    few = _overview_queries(logged_in)
    for n in range(20):
        library = Library.objects.create(name=f"L{n}", root_path=f"/media/{n}")
        MediaFile.objects.create(library=library, path=f"/media/{n}/a.mkv", name="a.mkv")
        for _ in range(3):
            batch_make(library, completed=30, failed=5, rolled_back=5)
    logged_in.get(reverse("overview"))  # counts the libraries no scan has counted yet
    # 4 of them for the charts: the renames cache key's 3 indexed reads, the backups.
    assert _overview_queries(logged_in) == few <= 16


def test_overview_rejects_post(logged_in):
    assert logged_in.post(reverse("overview")).status_code == 405


def test_settings_page_saves_a_change(logged_in, user):
    data = {
        "video_extensions": ".mkv\n.MP4",
        "subtitle_extensions": ".srt",
        "ignore_patterns": "sample",
        "remove_empty_folders": "on",
        "backup_interval_hours": "12",
        "backup_keep_count": "5",
        "backup_keep_days": "30",
        "backup_pre_migration_keep_count": "5",
        "backup_pre_migration_keep_days": "180",
        "backup_pre_restore_keep_count": "5",
        "backup_pre_restore_keep_days": "90",
        "naming_tv_template": "{title}/Season {season}/{title} - {episode_code}",
        "naming_anime_template": "{title}/Season {season}/{title} - {episode_code}",
        "naming_movie_template": "{title}[ ({year})]/{title}[ ({year})]",
        "job_history_days": "30",
        "job_history_max_rows": "5000",
        "inbox_settle_seconds": "60",
        "inbox_partial_suffixes": ".part",
        "inbox_duplicate_rule": "better",
        "inbox_recycle_days": "30",
        "inbox_import_minutes": "0",
    }
    response = logged_in.post(reverse("settings"), data)
    assert response.status_code == 302
    assert setting_get("video_extensions") == [".mkv", ".mp4"]
    assert setting_get("backup_interval_hours") == 12
    assert (setting_get("job_history_days"), setting_get("job_history_max_rows")) == (30, 5000)
    latest = ConfigurationHistory.objects.get(config_key="backup_interval_hours", active=True)
    assert latest.changed_by == user


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("backup_interval_hours", "soon"),
        ("backup_keep_count", "0"),
        ("video_extensions", "mkv"),
        ("video_extensions", ""),
    ],
)
def test_settings_page_refuses_garbage_and_saves_nothing(logged_in, field, value):
    data = {
        "video_extensions": ".mkv",
        "subtitle_extensions": ".srt",
        "ignore_patterns": "",
        "backup_interval_hours": "12",
        "backup_keep_count": "5",
        "backup_keep_days": "30",
        "backup_pre_migration_keep_count": "5",
        "backup_pre_migration_keep_days": "180",
        "backup_pre_restore_keep_count": "5",
        "backup_pre_restore_keep_days": "90",
    }
    data[field] = value
    response = logged_in.post(reverse("settings"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not ConfigurationHistory.objects.exists()


def test_setting_history_and_revert(logged_in):
    settings_update(values={"backup_keep_days": 7})
    original = ConfigurationHistory.objects.get(config_key="backup_keep_days", config_value="30")
    page = logged_in.get(reverse("setting_history", args=["backup_keep_days"]))
    assert len(page.context["rows"]) == 2
    assert logged_in.get(reverse("setting_revert", args=[original.pk])).status_code == 405
    response = logged_in.post(reverse("setting_revert", args=[original.pk]))
    assert response.status_code == 302
    assert setting_get("backup_keep_days") == 30
    assert (
        len(logged_in.get(reverse("setting_history", args=["backup_keep_days"])).context["rows"])
        == 3
    )


def test_setting_history_of_unknown_key_is_404(logged_in):
    assert logged_in.get(reverse("setting_history", args=["no_such_thing"])).status_code == 404


def test_revert_of_unknown_row_is_404(logged_in):
    assert logged_in.post(reverse("setting_revert", args=[424242])).status_code == 404


def test_healthz_reports_a_database_newer_than_the_code(client):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('library', '9999_future', '2030-01-01')"
        )
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert "newer than this version" in response.json()["migrations"]


# One finished job of every kind, as its typed summary stores it, and its menu entry.
FINISHED_JOBS = {
    JobKind.BACKUP: ({"file_name": "b.sqlite3", "size": 2048, "pruned": ["a.sqlite3"]}, "Backups"),
    JobKind.SCAN: ({"new": 4, "errors": ["/tv/x: unreadable"], "error_count": 1}, "Libraries"),
    JobKind.DELETE: ({"library_name": "TV", "media_rows_removed": 12}, "Libraries"),
    JobKind.APPLY: ({"completed": 3, "failed": 1, "failures": ["/tv/a.mkv: gone"]}, "Rename"),
    JobKind.ROLLBACK: ({"rolled_back": 2, "not_rolled_back": 1, "problems": ["op 9"]}, "History"),
    JobKind.RECOVER: ({"settled": 5}, "History"),
    JobKind.PLAN: ({"replanned": 10, "checked": 100_000, "seconds": 1.5}, "Rename"),
    JobKind.VACUUM: (
        {"size_before": 9_000_000, "size_after": 4_000_000, "seconds": 0.4},
        "Backups",
    ),
    JobKind.IMPORT: ({"completed": 7, "failed": 1, "failures": ["/dl/a.mkv: gone"]}, "Inbox"),
}


def test_every_job_kind_has_a_typed_summary():
    # Each kind's page test below proves its summary type is registered.
    assert set(JobKind) == set(FINISHED_JOBS)


@pytest.mark.parametrize("kind", list(JobKind))
def test_a_job_page_sits_under_its_menu_entry_and_renders_its_typed_summary(logged_in, kind):
    stored, menu = FINISHED_JOBS[kind]
    job = Job.objects.create(
        kind=kind, lock_key="library:1", status=Job.Status.SUCCEEDED, summary=stored
    )
    summary = job_summary(job)
    assert summary is not None and summary.kind == kind
    html = logged_in.get(reverse("job", args=[job.pk])).content.decode()
    assert re.search(rf'aria-current="page">{menu}</a>', html)
    assert html.count('aria-current="page"') == 1
    assert escape(summary.headline()) in html
    for line in summary.lines():
        assert escape(line.text) in html
    state = logged_in.get(reverse("job_status", args=[job.pk])).json()
    assert state["headline"] == summary.headline()
    assert [line["text"] for line in state["lines"]] == [line.text for line in summary.lines()]
