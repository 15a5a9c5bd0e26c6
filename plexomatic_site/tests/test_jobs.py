from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from plexomatic_site.jobs import (
    JobBusy,
    JobNotQueued,
    job_claim,
    job_finish,
    job_progress_callback,
    job_start,
    jobs_running,
)
from plexomatic_site.models import Job

pytestmark = pytest.mark.django_db


def test_second_claim_of_the_same_key_is_refused():
    first = job_claim(kind="scan", lock_key="scan:1")
    with pytest.raises(JobBusy, match="A scan job is already running"):
        job_claim(kind="scan", lock_key="scan:1")
    # Another key is independent.
    job_claim(kind="scan", lock_key="scan:2")
    job_finish(first, summary={"new": 3})
    again = job_claim(kind="scan", lock_key="scan:1")
    assert again.status == Job.Status.RUNNING


def test_lock_is_enforced_by_the_database():
    Job.objects.create(kind="scan", lock_key="scan:9", status="queued")
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind="scan", lock_key="scan:9", status="running")


def test_job_of_a_dead_process_is_released():
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = job_claim(kind="apply", lock_key="apply:1")
    Job.objects.filter(pk=stale.pk).update(pid=dead.pid)
    fresh = job_claim(kind="apply", lock_key="apply:1")
    stale.refresh_from_db()
    assert stale.status == Job.Status.FAILED
    assert "Interrupted" in stale.error
    assert fresh.status == Job.Status.RUNNING


def test_busy_message_uses_the_article_the_job_kind_needs():
    job_claim(kind="apply", lock_key="library:1")
    with pytest.raises(JobBusy, match=r"^An apply job is already running"):
        job_claim(kind="apply", lock_key="library:1")


def test_job_on_another_host_is_stale_only_without_heartbeat():
    job = job_claim(kind="scan", lock_key="scan:5")
    Job.objects.filter(pk=job.pk).update(hostname="elsewhere", heartbeat_at=timezone.now())
    with pytest.raises(JobBusy):
        job_claim(kind="scan", lock_key="scan:5")
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=10))
    assert job_claim(kind="scan", lock_key="scan:5").status == Job.Status.RUNNING


def test_queued_job_holds_the_lock_until_started_and_finished():
    job = job_claim(kind="scan", lock_key="scan:7", queued=True)
    assert job.status == Job.Status.QUEUED
    with pytest.raises(JobBusy, match="queued"):
        job_claim(kind="scan", lock_key="scan:7")
    job_start(job)
    progress = job_progress_callback(job)
    progress(5, 10, "halfway")
    progress(10, 10, "done")
    job.refresh_from_db()
    assert (job.done, job.total, job.percent) == (10, 10, 100)
    job_finish(job, error="disk on fire")
    assert job.status == Job.Status.FAILED


def test_jobs_running_finishes_every_job_with_the_summary_or_the_error():
    jobs = [job_claim(kind="rollback", lock_key=f"library:{n}") for n in (1, 2)]
    with jobs_running(jobs) as run:
        run.summary = {"rolled_back": 3}
    assert [(j.status, j.summary) for j in jobs] == [(Job.Status.SUCCEEDED, {"rolled_back": 3})] * 2

    jobs = [job_claim(kind="rollback", lock_key=f"library:{n}") for n in (1, 2)]
    with pytest.raises(OSError), jobs_running(jobs):
        raise OSError("disk gone")
    assert [(j.status, j.error) for j in jobs] == [(Job.Status.FAILED, "OSError: disk gone")] * 2

    (job,) = jobs = [job_claim(kind="scan", lock_key="library:1")]
    with pytest.raises(KeyboardInterrupt), jobs_running(jobs):
        raise KeyboardInterrupt
    assert job.error == "Stopped: KeyboardInterrupt"


def test_jobs_running_with_one_job_that_cannot_start_runs_nothing_and_holds_no_lock():
    first = job_claim(kind="rollback", lock_key="library:1", queued=True)
    ended = job_claim(kind="rollback", lock_key="library:2", queued=True)
    job_finish(ended, error="Interrupted: the database was restored.")
    ran = []
    with pytest.raises(JobNotQueued), jobs_running([first, ended], start=True):
        ran.append(True)
    assert ran == []
    first.refresh_from_db()
    assert first.status == Job.Status.FAILED  # not left running, holding library 1
    assert job_claim(kind="scan", lock_key="library:1").status == Job.Status.RUNNING


def test_jobs_running_that_cannot_start_its_first_job_leaves_no_queued_job_behind():
    ended = job_claim(kind="rollback", lock_key="library:1", queued=True)
    job_finish(ended, error="Interrupted: the database was restored.")
    waiting = job_claim(kind="rollback", lock_key="library:2", queued=True)
    with pytest.raises(JobNotQueued), jobs_running([ended, waiting], start=True):
        pytest.fail("the body must not run")
    assert waiting.status == Job.Status.FAILED
    assert ended.error == "Interrupted: the database was restored."  # untouched
    assert job_claim(kind="scan", lock_key="library:2").status == Job.Status.RUNNING


def test_jobs_running_never_fails_a_job_another_worker_is_running():
    elsewhere = job_claim(kind="apply", lock_key="library:1", queued=True)
    job_start(elsewhere)
    with pytest.raises(JobNotQueued), jobs_running([elsewhere], start=True):
        pass
    elsewhere.refresh_from_db()
    assert elsewhere.status == Job.Status.RUNNING


def test_a_job_failed_by_a_surprise_names_the_exception():
    (job,) = jobs = [job_claim(kind="scan", lock_key="library:1")]
    with pytest.raises(KeyError), jobs_running(jobs):
        raise KeyError("path")
    assert job.error == "KeyError: 'path'"
