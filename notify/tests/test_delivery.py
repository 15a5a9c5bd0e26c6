"""After an apply or a rollback: one partial refresh per changed folder, and the webhook,
sent from a thread against real local servers; the file operation never waits for them."""

from __future__ import annotations

import json
import logging
import time

import pytest

from conftest import free_port
from library.models import Batch, FileOperation
from library.services.apply import library_apply
from library.services.rollback import operations_rollback
from library.tests.factories import episode_make, library_make, media_make
from notify.delivery import deliveries_wait
from notify.models import Notification, PlexSection
from notify.tests.fake_plex import TOKEN, FakePlex, fake_plex_running
from plexomatic_site.settings_store import settings_update

# The delivery thread has its own database connection: it must see committed rows.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def libraries(tmp_path):
    tv = library_make(tmp_path / "tv", "TV")
    movies = library_make(tmp_path / "movies", "Movies")
    return tv, movies


@pytest.fixture
def mapped(plex, libraries, tmp_path):
    """Plex told about both libraries; it sees the movies under /data/movies."""
    tv, movies = libraries
    settings_update(values={"plex_url": plex.url, "plex_token": TOKEN})
    PlexSection.objects.create(
        key="1", title="TV", locations=[str(tmp_path / "tv")], library=tv, plex_root=tv.root_path
    )
    PlexSection.objects.create(
        key="2",
        title="Movies",
        locations=["/data/movies"],
        library=movies,
        plex_root="/data/movies",
    )
    return tv, movies


def _files(tv, movies):
    # Two episodes in one season folder: one folder, refreshed once.
    episode_make(tv, "Show (2019)/Season 01/show.s01e02.mkv")
    episode_make(tv, "Show (2019)/Season 01/show.s01e03.mkv", episode=3)
    media_make(movies, "Heat (1995)/heat.1995.mkv", media_type="MOVIE", title="Heat", year=1995)


def test_an_apply_asks_plex_once_for_each_changed_folder(plex, mapped, tmp_path):
    tv, movies = mapped
    _files(tv, movies)
    assert library_apply(library=tv).completed == 2
    assert library_apply(library=movies).completed == 1
    deliveries_wait()
    assert sorted(plex.refreshes()) == [
        ("1", str(tmp_path / "tv" / "Show (2019)" / "Season 01")),
        ("2", "/data/movies/Heat (1995)"),
    ]
    notes = list(Notification.objects.order_by("pk"))
    assert [(n.target, n.status, n.attempts) for n in notes] == [("plex", "sent", 1)] * 2
    assert notes[0].message == "Plex was asked to scan 1 folder(s)."


def test_a_folder_the_apply_emptied_is_refreshed_through_its_parent(plex, mapped, tmp_path):
    tv, _ = mapped
    episode_make(tv, "incoming/show.s01e02.mkv")
    library_apply(library=tv)  # incoming/ is left empty and removed
    deliveries_wait()
    assert not (tmp_path / "tv" / "incoming").exists()
    # The library's folder holds both the removed folder and the new one: one refresh.
    assert plex.refreshes() == [("1", str(tmp_path / "tv"))]


def test_a_rollback_refreshes_the_folders_it_moved_files_back_to(plex, mapped, tmp_path):
    tv, movies = mapped
    _files(tv, movies)
    library_apply(library=movies)
    deliveries_wait()
    plex.calls.clear()
    operations = FileOperation.objects.filter(batch__library=movies)
    assert operations_rollback(operations=operations).rolled_back == 1
    deliveries_wait()
    assert plex.refreshes() == [("2", "/data/movies/Heat (1995)")]
    batch = Batch.objects.get(library=movies)
    assert [n.event for n in batch.notifications.all()] == ["apply", "rollback"]


def test_a_folder_no_section_holds_is_reported_not_guessed(plex, mapped, tmp_path):
    tv, _ = mapped
    PlexSection.objects.filter(key="1").update(library=None, plex_root="")
    episode_make(tv, "Show (2019)/Season 01/show.s01e02.mkv")
    library_apply(library=tv)
    deliveries_wait()
    assert plex.refreshes() == []
    (note,) = Notification.objects.all()
    assert note.status == "failed"
    assert "no Plex section holds this folder" in note.problems[0]


def test_a_failing_server_is_tried_again_with_back_off(plex, mapped):
    tv, _ = mapped
    plex.behaviour, plex.failures = "fail", 2
    episode_make(tv, "Show (2019)/Season 01/show.s01e02.mkv")
    library_apply(library=tv)
    deliveries_wait()
    (note,) = Notification.objects.all()
    assert (note.status, note.attempts, len(plex.refreshes())) == ("sent", 3, 3)


def test_a_server_that_keeps_failing_is_reported_and_the_files_stay_renamed(plex, mapped):
    tv, _ = mapped
    plex.behaviour = "fail"
    episode_make(tv, "Show (2019)/Season 01/show.s01e02.mkv")
    assert library_apply(library=tv).completed == 1
    deliveries_wait()
    (note,) = Notification.objects.all()
    assert note.status == "failed" and note.attempts == 3
    assert "answered HTTP 500; it may be busy" in note.problems[0]
    assert FileOperation.objects.get().status == FileOperation.Status.COMPLETED


def test_a_slow_server_never_delays_the_apply(plex, mapped):
    tv, _ = mapped
    plex.behaviour, plex.delay = "slow", 1.0
    episode_make(tv, "Show (2019)/Season 01/show.s01e02.mkv")
    started = time.monotonic()
    assert library_apply(library=tv).completed == 1
    assert time.monotonic() - started < 0.5  # three attempts of 0.5 s are still to come
    assert Notification.objects.get().status == "sending"
    deliveries_wait()
    note = Notification.objects.get()
    assert note.status == "failed" and "did not answer within 0.5 seconds" in note.problems[0]


def test_an_unreachable_server_stops_after_the_first_folder(mapped, tmp_path):
    tv, _ = mapped
    settings_update(values={"plex_url": f"http://127.0.0.1:{free_port()}"})
    episode_make(tv, "A (2019)/Season 01/a.s01e02.mkv", title="A")
    episode_make(tv, "B (2019)/Season 01/b.s01e02.mkv", title="B")
    library_apply(library=tv)
    deliveries_wait()
    note = Notification.objects.get()
    assert note.attempts == 3  # the first folder's attempts, none for the second
    assert "cannot be reached (connection refused)" in note.problems[0]
    assert note.problems[1].endswith("not sent (the server failed on an earlier folder)")


def test_the_token_is_never_logged_nor_recorded(plex, mapped, caplog):
    tv, _ = mapped
    plex.behaviour = "fail"
    caplog.set_level(logging.DEBUG)
    episode_make(tv, "Show (2019)/Season 01/show.s01e02.mkv")
    library_apply(library=tv)
    deliveries_wait()
    assert "answered HTTP 500" in caplog.text  # the outcome is logged, as a sentence
    assert TOKEN not in caplog.text
    row = Notification.objects.values().get()
    assert TOKEN not in json.dumps(row, default=str)


def test_the_webhook_receives_the_batch_counts_and_failures(libraries, tmp_path):
    tv, _ = libraries
    with fake_plex_running(FakePlex()) as hook:
        settings_update(values={"webhook_url": f"{hook.url}/hooks/plexomatic?key=abc"})
        episode_make(tv, "Show (2019)/Season 01/show.s01e02.mkv")
        # Its size on disk is not the scanned one: it is not moved, and says why.
        changed = episode_make(tv, "Show (2019)/Season 01/show.s01e03.mkv", episode=3, size=1)
        result = library_apply(library=tv)
        deliveries_wait()
    (call,) = hook.calls
    assert (call.method, call.target) == ("POST", "/hooks/plexomatic?key=abc")
    assert call.headers["Content-Type"] == "application/json"
    body = json.loads(call.body)
    assert body["event"] == "apply" and body["batch"] == result.batch.pk
    assert body["text"] == f"Plex-o-matic: Apply: 1 renamed (batch {result.batch.pk}), 1 failed."
    assert body["counts"]["completed"] == 1 and body["counts"]["failed"] == 1
    assert body["failures"] == [f"{changed.path}: {result.failed[0].error}"]
    assert "changed since it was scanned" in body["failures"][0]
    assert Notification.objects.get().status == "sent"


@pytest.mark.sqlite_only(reason="the backup is made to fail by hiding the SQLite file")
def test_a_failed_backup_tells_the_webhook(tmp_path, monkeypatch):
    from backups.errors import BackupError
    from backups.services import schedule, snapshot

    # The backup reads a database file that is not there: it fails, as with a lost disk.
    monkeypatch.setattr(snapshot, "live_database_path", lambda using: tmp_path / "gone.sqlite3")
    with fake_plex_running(FakePlex()) as hook:
        settings_update(values={"webhook_url": hook.url})
        with pytest.raises(BackupError):
            schedule.backup_take(kind="manual")
        deliveries_wait()
    body = json.loads(hook.calls[0].body)
    assert body["event"] == "backup_failed" and body["batch"] is None
    assert "does not exist yet" in body["failures"][0]


def test_an_address_removed_before_sending_is_said_not_tried(libraries):
    from notify.delivery import notification_deliver

    note = Notification.objects.create(
        event="apply", target="plex", payload={"folders": [libraries[0].root_path]}
    )
    notification_deliver(note)
    note.refresh_from_db()
    assert (note.status, note.attempts) == ("failed", 0)
    assert note.problems == ["Its address was removed from the settings before it was sent."]
