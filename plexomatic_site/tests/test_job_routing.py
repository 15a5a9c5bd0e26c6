"""Which worker host runs a job, and which host may release another's lock (SQLite, one machine
standing in for several through PLEXOMATIC_WORKER_HOST; test_several_workers runs real ones)."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from library.services.locks import library_lock
from library.summaries import RollbackSummary
from library.tasks import scan_library
from library.tests.factories import library_make
from plexomatic_site.jobs import (
    JobError,
    LockKey,
    host_queue,
    job_enqueue,
    job_run,
    job_worker_host,
    jobs_claim,
    jobs_queued,
    jobs_release_stale,
    worker_queues,
)
from plexomatic_site.models import Job, JobKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _alpha(settings):
    settings.PLEXOMATIC_WORKER_HOST = "alpha"


def _dead_pid() -> int:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    return dead.pid


def test_a_host_queue_fits_django_tasks_db_and_tells_long_names_apart():
    assert host_queue("nas1") == "host-nas1"
    first, second = (host_queue(f"{'media-server-' * 3}{n}.example.org") for n in (1, 2))
    assert len(first) == len(second) == 32 and first != second
    assert first.startswith("host-media-serv")
    assert worker_queues() == ["default", "host-alpha"]


def test_a_library_job_waits_for_its_pinned_host_or_any_worker(tmp_path):
    anywhere = library_make(tmp_path / "tv", "TV")
    pinned = library_make(tmp_path / "films", "Films")
    pinned.worker_host = "nas1"
    assert job_worker_host(kind=JobKind.SCAN, locks=[library_lock(anywhere)]) == ""
    assert job_worker_host(kind=JobKind.SCAN, locks=[library_lock(pinned)]) == "nas1"
    # The site's own locks: the host whose site queued the job, where the backups are.
    assert job_worker_host(kind=JobKind.BACKUP, locks=[LockKey.BACKUP]) == "alpha"


def test_a_job_needing_libraries_of_two_hosts_is_refused_and_claims_nothing(tmp_path):
    one, two = library_make(tmp_path / "a", "A"), library_make(tmp_path / "b", "B")
    one.worker_host, two.worker_host = "nas1", "nas2"
    locks = [library_lock(one), library_lock(two)]
    with pytest.raises(JobError) as refused:
        job_enqueue(kind=JobKind.ROLLBACK, locks=locks, task=scan_library)
    assert str(refused.value) == (
        "Not queued: this rollback job needs library “A” on nas1; library “B” on nas2, "
        "and no one worker runs on several hosts; do it one library at a time."
    )
    assert not Job.objects.exists() and not DBTaskResult.objects.exists()


def test_the_queued_task_sits_in_the_pinned_hosts_queue(tmp_path):
    library = library_make(tmp_path / "tv")
    library.worker_host = "nas1"
    library.save()
    job = job_enqueue(
        kind=JobKind.SCAN, locks=[library_lock(library)], task=scan_library, library_id=library.pk
    )
    task = DBTaskResult.objects.get()
    assert (task.queue_name, task.args_kwargs["kwargs"]["job_ids"]) == ("host-nas1", [job.pk])
    job.refresh_from_db()
    assert (job.status, job.message) == (Job.Status.QUEUED, "Waiting for a worker on host nas1.")
    # Once a worker starts it, the message is the job's progress.
    (started,) = jobs_queued([job.pk])
    job_run([started], lambda *, progress: RollbackSummary(rolled_back=0))
    assert (started.status, started.message) == (Job.Status.SUCCEEDED, "")


def _running(lock: int, **fields: object) -> Job:
    now = timezone.now()
    values = {"started_at": now, "heartbeat_at": now, "hostname": "alpha", "pid": _dead_pid()}
    values.update(fields)
    return Job.objects.create(
        kind=JobKind.SCAN, lock_key=f"library:{lock}", status=Job.Status.RUNNING, **values
    )


def test_a_pid_is_checked_on_its_own_host_only_and_a_heartbeat_everywhere_else():
    dead_here = _running(1, hostname="ALPHA")  # host names are not case-sensitive
    live_elsewhere = _running(2, hostname="beta")  # its pid means nothing on alpha
    silent_elsewhere = _running(3, hostname="beta", heartbeat_at=timezone.now() - timedelta(3600))
    finished = _running(4)
    Job.objects.filter(pk=finished.pk).update(status=Job.Status.SUCCEEDED)

    assert jobs_release_stale() == 2

    statuses = {job.pk: job.status for job in Job.objects.all()}
    assert statuses == {
        dead_here.pk: Job.Status.FAILED,
        live_elsewhere.pk: Job.Status.RUNNING,
        silent_elsewhere.pk: Job.Status.FAILED,
        finished.pk: Job.Status.SUCCEEDED,  # not rewritten as interrupted
    }
    assert Job.objects.get(pk=silent_elsewhere.pk).error.startswith("Interrupted")


def test_a_job_records_the_worker_host_that_runs_it():
    (job,) = jobs_claim(kind=JobKind.SCAN, locks=[LockKey("library", 1)])
    assert job.hostname == "alpha"
