"""A job's page tells the truth: no worker hint unless a queued job waits with no
worker at work, how long it has run or took, and a finished job's result, not its
last progress message."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from plexomatic_site.models import Job, JobKind
from plexomatic_site.pages.jobs import duration_words

pytestmark = pytest.mark.django_db

NO_WORKER = "No background worker has picked this job up"


def _job(status: str, *, lock: str = "library:1", ago: float = 0, **fields) -> Job:
    job = Job.objects.create(kind=JobKind.SCAN, lock_key=lock, status=status, **fields)
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(seconds=ago))
    job.refresh_from_db()
    return job


def _page(client, job: Job) -> str:
    return client.get(reverse("job", args=[job.pk])).content.decode()


def _shown(html: str, css_class: str) -> bool:
    """Whether the element of that class is rendered and not hidden."""
    start = html.find(f'class="muted {css_class}"')
    if start < 0:
        start = html.find(f'class="{css_class}"')
    return start >= 0 and " hidden" not in html[start : html.find(">", start)]


def test_a_running_job_shows_no_worker_hint_and_how_long_it_runs(logged_in):
    now = timezone.now()
    job = _job(
        Job.Status.RUNNING,
        ago=60,
        started_at=now - timedelta(seconds=42),
        heartbeat_at=now,
        message="Recognising new and changed files",
        done=10,
        total=20,
    )
    html = _page(logged_in, job)
    assert NO_WORKER not in html and "--no-worker" not in html
    assert "Running for 42 s" in html
    assert "Recognising new and changed files" in html
    assert 'data-unit="files"' in html


def test_a_job_queued_a_moment_ago_shows_no_hint_yet(logged_in):
    job = _job(Job.Status.QUEUED, ago=1)
    assert not _shown(_page(logged_in, job), "job-waiting")
    assert logged_in.get(reverse("job_status", args=[job.pk])).json()["waiting"] is None


def test_a_job_queued_for_long_with_no_worker_at_work_says_how_to_start_one(logged_in):
    job = _job(Job.Status.QUEUED, ago=30)
    html = _page(logged_in, job)
    assert _shown(html, "job-waiting") and _shown(html, "job-no-worker")
    assert "manage.py db_worker" in html
    assert "Waiting for 30 s" in html
    state = logged_in.get(reverse("job_status", args=[job.pk])).json()
    assert state["waiting"] == {"busy": "", "url": ""}


def test_a_job_queued_behind_a_running_one_says_which(logged_in):
    now = timezone.now()
    running = _job(
        Job.Status.RUNNING, lock="backup", started_at=now, heartbeat_at=now - timedelta(seconds=3)
    )
    job = _job(Job.Status.QUEUED, ago=30)
    html = _page(logged_in, job)
    assert not _shown(html, "job-no-worker")
    assert f'<a href="{reverse("job", args=[running.pk])}">A scan job is running first</a>' in html


def test_a_running_job_whose_heartbeat_stopped_does_not_count_as_a_worker(logged_in):
    old = timezone.now() - timedelta(minutes=10)
    _job(Job.Status.RUNNING, lock="backup", started_at=old, heartbeat_at=old)
    job = _job(Job.Status.QUEUED, ago=30)
    assert _shown(_page(logged_in, job), "job-no-worker")


def test_a_finished_job_shows_its_result_and_time_not_its_last_progress_message(logged_in):
    now = timezone.now()
    job = _job(
        Job.Status.SUCCEEDED,
        started_at=now - timedelta(seconds=75),
        finished_at=now,
        message="Checked",
        summary={"library_id": None, "seen": 404, "new": 3, "unchanged": 401, "seconds": 1.5},
    )
    html = _page(logged_in, job)
    assert "Took 1 min 15 s" in html
    assert "404 seen = 401 unchanged + 3 new" in html
    assert 'class="job-message"' not in html and "<progress" not in html
    assert NO_WORKER not in html


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(0.44, "0.4 s"), (-1, "0.0 s"), (12.4, "12 s"), (184, "3 min 4 s"), (7530, "2 h 5 min")],
)
def test_durations_read_as_people_say_them(seconds, words):
    assert duration_words(seconds) == words
