"""`manage.py serve` as a real process: start-up checks, serving, shutdown, restart."""

from __future__ import annotations

import http.cookiejar
import re
import signal
import socket
import sqlite3
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from plexomatic_site.web_processes import server_create


def _post_form(opener, url: str, fields: dict[str, str]) -> int:
    page = opener.open(url).read().decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match, f"no CSRF token on {url}"
    token = match.group(1)
    data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(url, data=data, headers={"Referer": url})
    return opener.open(request).status


def test_serve_migrates_serves_and_stops_cleanly_and_keeps_data(server):
    server.start()
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    assert (
        _post_form(
            opener,
            f"{server.url}/setup/",
            {
                "username": "admin",
                "password1": "correct-horse-battery",
                "password2": "correct-horse-battery",
            },
        )
        == 200
    )
    # Static files are collected and served by WhiteNoise with DEBUG off.
    page = opener.open(f"{server.url}/").read().decode()
    css = re.search(r'href="(/static/css/app\.[0-9a-f]+\.css)"', page).group(1)
    assert b"--accent" in urllib.request.urlopen(f"{server.url}{css}").read()

    code, output = server.stop()
    assert code == 0
    assert f"running at {server.url}/" in output
    assert "Stopped." in output

    server.start()
    with pytest.raises(urllib.error.HTTPError) as excinfo:
        urllib.request.urlopen(f"{server.url}/setup/")
    assert excinfo.value.code == 404  # the administrator survived the restart
    assert server.stop()[0] == 0


def test_serve_refuses_a_newer_database(server):
    server.manage("migrate")
    with sqlite3.connect(server.data_dir / "plexomatic.sqlite3") as db:
        db.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('library', '9999_from_the_future', '2030-01-01')"
        )
    result = server.manage("serve", check=False)
    assert result.returncode == 1
    assert "was written by a newer Plex-o-matic" in result.stderr
    assert "library.9999_from_the_future" in result.stderr
    assert "Traceback" not in result.stderr


def test_migrate_refuses_a_newer_database_too(server):
    server.manage("migrate")
    with sqlite3.connect(server.data_dir / "plexomatic.sqlite3") as db:
        db.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('backups', '9999_x', '2030-01-01')"
        )
    result = server.manage("migrate", check=False)
    assert result.returncode == 1
    assert "newer Plex-o-matic" in result.stderr


def test_serve_reports_a_port_in_use(server):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", server.port))
        busy.listen()
        result = server.manage("serve", check=False)
    assert result.returncode == 1
    assert f"Port {server.port} on 127.0.0.1 is already in use" in result.stderr


def test_seed_example_runs_in_manage_shell(server):
    server.manage("migrate")
    server.manage(
        "shell",
        "-c",
        (
            "from library.models import Library, MediaFile\n"
            "lib = Library.objects.create(name='TV', root_path='/media/tv')\n"
            "MediaFile.objects.create(library=lib, path='/media/tv/a.mkv', name='a.mkv', media_type='TV_SHOW', season=3)"
        ),
    )
    result = server.manage(
        "shell",
        "-c",
        (
            "from library.models import MediaFile\n"
            "for f in MediaFile.objects.filter(media_type='TV_SHOW'): print(f.name, f.season)"
        ),
    )
    assert result.stdout.strip().splitlines()[-1] == "a.mkv 3"


def test_waitress_accepts_request_bodies_as_large_as_the_backup_upload_limit(settings):
    server = server_create(host="127.0.0.1", port=0, threads=1)
    try:
        limit = server.adj.max_request_body_size
    finally:
        server.close()
    # waitress's own default (1 GiB) would refuse big uploads with a bare 413.
    assert limit > settings.PLEXOMATIC_BACKUP_UPLOAD_MAX_BYTES > 1024**3


def test_request_bodies_and_uploads_are_buffered_in_the_data_folder(settings, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", None)
    server_create(host="127.0.0.1", port=0, threads=1).close()
    buffer_dir = settings.FILE_UPLOAD_TEMP_DIR
    assert buffer_dir.is_dir() and buffer_dir.parent == settings.DATA_DIR
    # Where waitress's overflow buffers (anonymous temporary files) go.
    with tempfile.NamedTemporaryFile() as probe:
        assert Path(probe.name).parent == buffer_dir


def test_stopping_serve_lets_a_running_job_finish(server):
    server.manage("migrate")
    # A job that takes a few seconds, queued before the server starts.
    server.manage(
        "shell",
        "-c",
        "from plexomatic_site.tests.slow_task import slow\nslow.enqueue(seconds=6)",
    )
    server.start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and _task_status(server) != "RUNNING":
        time.sleep(0.2)
    code, output = server.stop()
    assert code == 0
    assert "Waiting for the running job to finish" in output
    assert _task_status(server) == "SUCCESSFUL"


def test_a_second_signal_stops_serve_without_waiting(server):
    server.manage("migrate")
    server.manage(
        "shell",
        "-c",
        "from plexomatic_site.tests.slow_task import slow\nslow.enqueue(seconds=120)",
    )
    server.start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and _task_status(server) != "RUNNING":
        time.sleep(0.2)
    server.process.send_signal(signal.SIGTERM)
    time.sleep(1)
    started = time.monotonic()
    code, output = server.stop()  # the second SIGTERM
    assert time.monotonic() - started < 15
    assert code == 0
    assert "Stopped without waiting" in output
    assert "Traceback" not in output


def _task_status(server) -> str:
    result = server.manage(
        "shell",
        "-c",
        "from django_tasks_db.models import DBTaskResult; print(DBTaskResult.objects.get().status)",
    )
    return result.stdout.strip().splitlines()[-1]


def test_serve_prunes_jobs_and_task_queue_rows_older_than_the_setting(server):
    server.manage("migrate")
    server.manage(
        "shell",
        "-c",
        (
            "from datetime import timedelta\n"
            "from django.utils import timezone\n"
            "from django_tasks_db.models import DBTaskResult\n"
            "from plexomatic_site.models import Job\n"
            "now = timezone.now()\n"
            "for days in (91, 89):\n"
            "    DBTaskResult.objects.create(status='SUCCESSFUL', args_kwargs={}, "
            "task_path=f'done.{days}', backend_name='default', queue_name='default', "
            "run_after=now, finished_at=now - timedelta(days=days))\n"
            "    job = Job.objects.create(kind='scan', lock_key='library:1', status='succeeded', "
            "subject=f'done.{days}')\n"
            "    Job.objects.filter(pk=job.pk).update(created_at=now - timedelta(days=days))\n"
            "DBTaskResult.objects.create(status='READY', args_kwargs={}, task_path='waiting', "
            "backend_name='default', queue_name='default', run_after=now)"
        ),
    )
    server.start()
    assert server.stop()[0] == 0
    left = server.manage(
        "shell",
        "-c",
        "from django_tasks_db.models import DBTaskResult\n"
        "from plexomatic_site.models import Job\n"
        "print(sorted(DBTaskResult.objects.values_list('task_path', flat=True)), "
        "sorted(Job.objects.filter(subject__startswith='done').values_list('subject', flat=True)))",
    )
    assert left.stdout.strip().splitlines()[-1] == "['done.89', 'waiting'] ['done.89']"
