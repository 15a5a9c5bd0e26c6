"""Housekeeping prunes old job records and task-queue rows, and nothing that is still live."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from plexomatic_site import housekeeping
from plexomatic_site.errors import SettingsError
from plexomatic_site.housekeeping import HousekeepingThread, housekeeping_run
from plexomatic_site.models import Job, JobKind
from plexomatic_site.settings_store import settings_update

pytestmark = pytest.mark.django_db

FINISHED = (Job.Status.SUCCEEDED, Job.Status.FAILED)


def _job(days_ago: float, *, status: str = Job.Status.SUCCEEDED, lock: str = "library:1") -> Job:
    job = Job.objects.create(kind=JobKind.SCAN, lock_key=lock, status=status)
    # created_at is auto_now_add: age the row afterwards.
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return job


def _task(days_ago: float | None, *, status: str = "SUCCESSFUL", path: str = "") -> DBTaskResult:
    now = timezone.now()
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path=path or f"done.{days_ago}",
        backend_name="default",
        queue_name="default",
        run_after=now,
        finished_at=None if days_ago is None else now - timedelta(days=days_ago),
    )


def test_finished_jobs_older_than_the_setting_go_and_live_ones_stay():
    settings_update(values={"job_history_days": 30})
    old = [_job(40, status=status) for status in FINISHED]
    recent = _job(20)
    # Active jobs hold their lock: never pruned, however old.
    running = _job(400, status=Job.Status.RUNNING, lock="library:2")
    queued = _job(400, status=Job.Status.QUEUED, lock="library:3")
    # The only job of its lock is that lock's latest: kept for the pages showing it.
    last_backup = _job(400, lock="backup")
    latest_of_its_lock = _job(35)

    pruned = housekeeping_run()

    assert (pruned.jobs, pruned.keep_days) == (len(old), 30)
    assert set(Job.objects.values_list("pk", flat=True)) == {
        job.pk for job in (recent, running, queued, last_backup, latest_of_its_lock)
    }


def test_only_the_newest_max_rows_finished_jobs_are_kept():
    settings_update(values={"job_history_max_rows": 10})
    jobs = [_job(days) for days in range(15, 0, -1)]  # oldest first
    running = _job(20, status=Job.Status.RUNNING, lock="library:2")

    assert housekeeping_run().jobs == 5
    kept = set(Job.objects.values_list("pk", flat=True))
    assert kept == {job.pk for job in jobs[5:]} | {running.pk}


def test_task_results_are_pruned_by_age_and_count_and_unfinished_ones_kept():
    settings_update(values={"job_history_days": 30, "job_history_max_rows": 10})
    _task(31)
    _task(31, status="FAILED", path="failed.31")
    recent = [_task(days) for days in range(1, 13)]  # 12 within 30 days
    waiting = _task(None, status="READY", path="waiting")
    running = _task(None, status="RUNNING", path="running")

    assert housekeeping_run().task_results == 4
    kept = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert kept == {task.task_path for task in recent[:10]} | {"waiting", "running"}
    assert {waiting.pk, running.pk} <= set(DBTaskResult.objects.values_list("pk", flat=True))


def test_a_prune_with_nothing_to_do_writes_nothing():
    _job(1)
    _task(1)
    with CaptureQueriesContext(connection) as queries:
        pruned = housekeeping_run()
    assert (pruned.jobs, pruned.task_results) == (0, 0)
    writes = [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []


def test_a_large_prune_deletes_in_short_batches(monkeypatch):
    monkeypatch.setattr(housekeeping, "DELETE_BATCH", 100)
    old = timezone.now() - timedelta(days=400)
    Job.objects.bulk_create(
        Job(kind=JobKind.SCAN, lock_key="library:1", status=Job.Status.SUCCEEDED)
        for _ in range(250)
    )
    Job.objects.update(created_at=old)
    with CaptureQueriesContext(connection) as queries:
        assert housekeeping_run().jobs == 249  # the lock's latest stays
    deletes = [q["sql"] for q in queries if q["sql"].startswith("DELETE")]
    assert len(deletes) == 3


@pytest.mark.parametrize(
    ("key", "value"),
    [("job_history_days", 0), ("job_history_max_rows", 5), ("job_history_days", "9")],
)
def test_the_settings_refuse_values_that_would_empty_the_history(key, value):
    with pytest.raises(SettingsError):
        settings_update(values={key: value})


def test_the_command_says_what_it_pruned():
    _job(100)
    _job(1)
    _task(100)
    out = io.StringIO()
    call_command("housekeeping", stdout=out)
    assert out.getvalue().strip() == (
        "Pruned 1 finished job(s) and 1 task-queue row(s) (keeping 90 days, at most 10000 of each)."
    )
    assert Job.objects.count() == 1 and not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_thread_prunes_at_start_even_when_asked_to_stop_at_once():
    _job(100)
    _job(1)
    thread = HousekeepingThread()
    thread.start()
    thread.stop()
    assert not thread.is_alive()
    assert Job.objects.count() == 1
