from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from functools import partial

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from library.summaries import RollbackSummary
from plexomatic_site.errors import PlexomaticError
from plexomatic_site.jobs import (
    JobBusy,
    JobError,
    JobNotQueued,
    LockKey,
    job_enqueue,
    job_run,
    jobs_claim,
    jobs_queued,
)
from plexomatic_site.models import Job, JobKind
from plexomatic_site.progress import Progress
from plexomatic_site.summaries import JobSummary, job_summary

pytestmark = pytest.mark.django_db


def lock(n: int) -> LockKey:
    return LockKey("library", n, subject=f"library {n}")


def counted(*, progress: Progress, count: int = 3) -> RollbackSummary:
    progress(count, count, "counting")
    return RollbackSummary(rolled_back=count)


def failing(exc: BaseException, *, progress: Progress) -> RollbackSummary:
    raise exc


def test_lock_keys_print_and_parse():
    assert str(LockKey("library", 3)) == "library:3"
    assert str(LockKey.BACKUP) == "backup"
    assert LockKey.parse("library:3") == LockKey("library", 3)
    assert LockKey.parse("backup") == LockKey.BACKUP
    assert LockKey.parse("library:²").id is None


def test_second_claim_of_the_same_lock_is_refused_naming_the_holder():
    (first,) = jobs_claim(kind=JobKind.SCAN, locks=[lock(1)])
    with pytest.raises(JobBusy, match=r"^A scan job of library 1 is already running"):
        jobs_claim(kind=JobKind.SCAN, locks=[lock(1)])
    # Another key is independent.
    jobs_claim(kind=JobKind.SCAN, locks=[lock(2)])
    job_run([first], counted)
    (again,) = jobs_claim(kind=JobKind.SCAN, locks=[lock(1)])
    assert again.status == Job.Status.RUNNING


def test_claiming_several_locks_takes_all_or_none():
    jobs_claim(kind=JobKind.SCAN, locks=[lock(2)])
    with pytest.raises(JobBusy):
        jobs_claim(kind=JobKind.ROLLBACK, locks=[lock(1), lock(2)])
    assert jobs_claim(kind=JobKind.SCAN, locks=[lock(1)])[0].status == Job.Status.RUNNING


def test_lock_is_enforced_by_the_database():
    Job.objects.create(kind="scan", lock_key="library:9", status="queued")
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind="scan", lock_key="library:9", status="running")


def test_job_of_a_dead_process_is_released():
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (stale,) = jobs_claim(kind=JobKind.APPLY, locks=[lock(1)])
    Job.objects.filter(pk=stale.pk).update(pid=dead.pid)
    (fresh,) = jobs_claim(kind=JobKind.APPLY, locks=[lock(1)])
    stale.refresh_from_db()
    assert stale.status == Job.Status.FAILED
    assert "Interrupted" in stale.error
    assert fresh.status == Job.Status.RUNNING


def test_busy_message_uses_the_article_the_job_kind_needs():
    jobs_claim(kind=JobKind.APPLY, locks=[LockKey("library", 1)])
    with pytest.raises(JobBusy, match=r"^An apply job is already running"):
        jobs_claim(kind=JobKind.APPLY, locks=[LockKey("library", 1)])


def test_job_on_another_host_is_stale_only_without_heartbeat():
    (job,) = jobs_claim(kind=JobKind.SCAN, locks=[lock(5)])
    Job.objects.filter(pk=job.pk).update(hostname="elsewhere", heartbeat_at=timezone.now())
    with pytest.raises(JobBusy):
        jobs_claim(kind=JobKind.SCAN, locks=[lock(5)])
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=10))
    assert jobs_claim(kind=JobKind.SCAN, locks=[lock(5)])[0].status == Job.Status.RUNNING


def test_job_run_stores_progress_and_the_typed_summary_on_every_job():
    jobs = jobs_claim(kind=JobKind.ROLLBACK, locks=[lock(1), lock(2)])
    seen: list[tuple[int, int | None, str]] = []
    result = job_run(
        jobs, partial(counted, count=7), progress=lambda d, t=None, m="": seen.append((d, t, m))
    )
    assert result == RollbackSummary(rolled_back=7) and seen == [(7, 7, "counting")]
    for job in jobs:
        assert (job.status, job.done, job.total, job.percent) == (Job.Status.SUCCEEDED, 7, 7, 100)
        assert job_summary(job) == RollbackSummary(rolled_back=7)
        assert not job.is_active


def test_a_sentence_failure_is_kept_word_for_word_and_the_lock_released():
    jobs = jobs_claim(kind=JobKind.ROLLBACK, locks=[lock(1), lock(2)])
    with pytest.raises(PlexomaticError):
        job_run(jobs, partial(failing, PlexomaticError("The disk is full; free some space.")))
    assert [(j.status, j.error) for j in jobs] == [
        (Job.Status.FAILED, "The disk is full; free some space.")
    ] * 2
    assert jobs_claim(kind=JobKind.SCAN, locks=[lock(1)])


def test_a_surprise_is_logged_and_shown_without_its_type(settings, caplog):
    (job,) = jobs_claim(kind=JobKind.SCAN, locks=[lock(1)])
    with pytest.raises(KeyError):
        job_run([job], partial(failing, KeyError("path")))
    assert job.error == f"Unexpected error (logged in {settings.LOG_FILE})."
    assert "KeyError" not in job.error
    (record,) = [r for r in caplog.records if r.name == "plexomatic.unexpected"]
    assert record.exc_info is not None and "scan job" in record.getMessage()


def test_ctrl_c_fails_the_job_as_interrupted():
    (job,) = jobs_claim(kind=JobKind.SCAN, locks=[lock(1)])
    with pytest.raises(KeyboardInterrupt):
        job_run([job], partial(failing, KeyboardInterrupt()))
    assert (job.status, job.error) == (Job.Status.FAILED, "Interrupted.")


class RecordingTask:
    def __init__(self, *, fails: bool = False) -> None:
        self.calls: list[dict[str, object]] = []
        self.fails = fails
        self.queue = ""

    def using(self, *, queue_name: str) -> RecordingTask:
        self.queue = queue_name
        return self

    def enqueue(self, **kwargs: object) -> None:
        if self.fails:
            raise ConnectionError("queue is down")
        self.calls.append(kwargs)


def test_enqueue_holds_the_locks_until_the_task_runs_the_queued_jobs():
    task = RecordingTask()
    job = job_enqueue(kind=JobKind.SCAN, locks=[lock(7)], task=task, library_id=7)
    assert job.status == Job.Status.QUEUED and task.calls == [
        {"job_ids": [job.pk], "library_id": 7}
    ]
    assert task.queue == "default"  # library 7 is pinned to no worker host
    with pytest.raises(JobBusy, match="queued"):
        jobs_claim(kind=JobKind.SCAN, locks=[lock(7)])
    job_run(jobs_queued([job.pk]), counted)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.started_at is not None


def test_enqueue_that_cannot_queue_releases_the_locks_and_says_why():
    with pytest.raises(JobError, match=r"^Could not queue the job"):
        job_enqueue(kind=JobKind.SCAN, locks=[lock(7)], task=RecordingTask(fails=True))
    assert jobs_claim(kind=JobKind.SCAN, locks=[lock(7)])


def test_a_task_with_one_job_that_cannot_start_runs_nothing_and_holds_no_lock():
    task = RecordingTask()
    first = job_enqueue(kind=JobKind.ROLLBACK, locks=[lock(1), lock(2)], task=task)
    ids = task.calls[0]["job_ids"]
    assert isinstance(ids, list)
    Job.objects.filter(pk=ids[1]).update(status=Job.Status.FAILED, error="Restored over.")
    ran: list[bool] = []
    with pytest.raises(JobNotQueued):
        job_run(jobs_queued(ids), lambda *, progress: ran.append(True))
    assert ran == []
    first.refresh_from_db()
    assert first.status == Job.Status.FAILED  # not left running, holding library 1
    assert Job.objects.get(pk=ids[1]).error == "Restored over."  # untouched
    assert jobs_claim(kind=JobKind.SCAN, locks=[lock(1)])[0].status == Job.Status.RUNNING


def test_a_task_never_runs_or_fails_a_job_another_worker_is_running():
    job = job_enqueue(kind=JobKind.APPLY, locks=[lock(1)], task=RecordingTask())
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, pid=1, hostname="other")
    with pytest.raises(JobNotQueued):
        job_run(jobs_queued([job.pk]), counted)
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING


def test_a_job_kind_has_one_summary_type():
    with pytest.raises(TypeError, match="already has a summary type"):

        class Another(JobSummary, kind=JobKind.ROLLBACK):
            pass
