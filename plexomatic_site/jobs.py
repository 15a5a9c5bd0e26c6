"""Long-running jobs: a database lock per job key, progress, and stale-lock recovery.

A job is claimed with `job_claim` (raises JobBusy if another one holds the
key), reports progress through the callback from `job_progress_callback`, and
ends with `job_finish`. A job whose process died (SIGKILL, power cut) is found
by `jobs_release_stale` from its pid or its silent heartbeat, and marked
failed, so a crash never leaves a library locked for ever.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from plexomatic_site.models import Job
from plexomatic_site.progress import Progress

# A running job writes a heartbeat at least this often (see job_progress_callback).
HEARTBEAT_EVERY = timedelta(seconds=2)
# A running job on another machine with no heartbeat for this long is stale.
STALE_AFTER = timedelta(minutes=2)


class JobBusy(Exception):
    """Another job holds the same lock."""

    def __init__(self, job: Job) -> None:
        self.job = job
        started = job.started_at or job.created_at
        super().__init__(
            f"{job.phrase} is already {job.get_status_display().lower()} "
            f"(started {started:%Y-%m-%d %H:%M:%S} UTC); wait for it to finish."
        )


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_stale(job: Job) -> bool:
    if job.hostname == socket.gethostname() and job.pid:
        return not _process_alive(job.pid)
    last = job.heartbeat_at or job.created_at
    return timezone.now() - last > STALE_AFTER


def jobs_release_stale(*, lock_key: str | None = None) -> int:
    """Mark active jobs whose process is gone as failed; returns how many."""
    active = Job.objects.filter(status__in=Job.ACTIVE)
    if lock_key is not None:
        active = active.filter(lock_key=lock_key)
    stale = [job.pk for job in active if job.status == Job.Status.RUNNING and _is_stale(job)]
    return Job.objects.filter(pk__in=stale).update(
        status=Job.Status.FAILED,
        error="Interrupted: the process running this job stopped before it finished.",
        finished_at=timezone.now(),
    )


def job_claim(*, kind: str, lock_key: str, user: Any = None, queued: bool = False) -> Job:
    """Take the lock for `lock_key`, or raise JobBusy naming the job that holds it.

    queued=True records a job a background worker will start later (the lock
    is held from now); otherwise the job is running in this process.
    """
    jobs_release_stale(lock_key=lock_key)
    now = timezone.now()
    fields: dict[str, Any] = {
        "kind": kind,
        "lock_key": lock_key,
        "created_by": user if getattr(user, "is_authenticated", False) else None,
    }
    if not queued:
        fields.update(
            status=Job.Status.RUNNING,
            started_at=now,
            heartbeat_at=now,
            hostname=socket.gethostname(),
            pid=os.getpid(),
        )
    try:
        with transaction.atomic():
            return Job.objects.create(**fields)
    except IntegrityError:
        holder = Job.objects.filter(lock_key=lock_key, status__in=Job.ACTIVE).first()
        if holder is None:  # finished between our insert and this read
            return job_claim(kind=kind, lock_key=lock_key, user=user, queued=queued)
        raise JobBusy(holder) from None


class JobNotQueued(Exception):
    """A task was asked to start a job that is not waiting to start."""

    def __init__(self, job: Job) -> None:
        self.job = job
        super().__init__(
            f"{job.phrase} is {job.get_status_display().lower()}, not queued, so it is not "
            "started again."
        )


def job_start(job: Job) -> None:
    """A queued job is picked up by a worker in this process.

    Only a queued job starts (raises JobNotQueued otherwise): a task must
    never redo a job that already ended, such as one that a restored backup
    recorded as queued and the restore then marked failed.
    """
    now = timezone.now()
    started = Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        hostname=socket.gethostname(),
        pid=os.getpid(),
    )
    job.refresh_from_db()
    if not started:
        raise JobNotQueued(job)


def job_progress_callback(job: Job) -> Progress:
    """A progress callback for services that stores progress on the job, throttled."""
    last_write = timezone.now() - HEARTBEAT_EVERY

    def progress(done: int, total: int | None = None, message: str = "") -> None:
        nonlocal last_write
        now = timezone.now()
        if now - last_write < HEARTBEAT_EVERY / 4 and (total is None or done < total):
            return
        last_write = now
        Job.objects.filter(pk=job.pk).update(
            done=done, total=total, message=message[:500], heartbeat_at=now
        )

    return progress


def job_finish(job: Job, *, summary: dict[str, Any] | None = None, error: str = "") -> None:
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.FAILED if error else Job.Status.SUCCEEDED,
        summary=summary or {},
        error=error,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()


def jobs_enqueue(jobs: list[Job], task: Any, **kwargs: Any) -> None:
    """Queue `task` for claimed jobs; if it cannot be queued, release their locks."""
    try:
        task.enqueue(**kwargs)
    except Exception as exc:
        for job in jobs:
            job_finish(job, error=f"Could not queue the job: {exc}")
        raise


@dataclass
class JobsRun:
    """What the body of `jobs_running` hands back: the summary its jobs end with."""

    summary: dict[str, Any] = field(default_factory=dict)


# Modules whose exceptions are written as sentences for the user.
_OUR_MODULES = ("library.", "backups.", "plexomatic_site.")


def _failure_text(exc: BaseException) -> str:
    if not isinstance(exc, Exception):
        return f"Stopped: {type(exc).__name__}"  # Ctrl-C, SystemExit
    if type(exc).__module__.startswith(_OUR_MODULES) and str(exc):
        return str(exc)
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


@contextmanager
def jobs_running(jobs: list[Job], *, start: bool = False) -> Iterator[JobsRun]:
    """Run the body as `jobs`, and finish them whatever happens, so no lock outlives it.

    With `start` (a worker picking up queued jobs) they are started first; if
    one cannot start (JobNotQueued) the body does not run. On any exception
    the jobs running here, and any still queued (left, it would hold its lock
    for ever), fail with its message; then the exception goes on.
    """
    run = JobsRun()
    ours = [] if start else list(jobs)  # running in this body
    try:
        for job in jobs:
            if start:
                job_start(job)
                ours.append(job)
        yield run
    except BaseException as exc:
        for job in jobs:
            job.refresh_from_db()
            # A running job this body did not start is someone else's: leave it.
            if job in ours or job.status == Job.Status.QUEUED:
                job_finish(job, error=_failure_text(exc))
        raise
    for job in jobs:
        job_finish(job, summary=run.summary)
