"""Long jobs: the one way to run one, whoever starts it.

A job is a row in `Job`: its kind, its lock, its progress and its result.
Every long job (scan, apply, rollback, recovery, library removal, backup)
goes through two steps, and only these:

1. `jobs_claim(kind=…, locks=[LockKey…])` takes the lock(s), all or none
   (JobBusy names the job that holds one); a view instead calls
   `job_enqueue`, which claims the locks as *queued* jobs and queues the
   background task that will run them.
2. `job_run(jobs, work)` runs `work(progress=…)`: it starts queued jobs (a
   worker picking them up), stores progress and a heartbeat, and finishes
   every job with the typed summary of what `work` returned, or with the
   failure's sentence (see plexomatic_site.errors), so no lock outlives it.

A job whose process died (SIGKILL, power cut) is found by
`jobs_release_stale` from its pid or its silent heartbeat, and marked
failed, so a crash never leaves a lock held for ever.

Workers on several machines share one (PostgreSQL) database. Each machine
has a worker host name (settings.PLEXOMATIC_WORKER_HOST) and its workers
take tasks from two queues: "default" (any worker) and their host's own
(`host_queue`). A job waits in the queue its locks name: the host a library
is pinned to, the host whose site queued it for the site's own locks
(backup, database), else "default". A pid means something only on its own
host: elsewhere a job is alive while its heartbeat is.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ClassVar, Protocol, TypeVar

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from plexomatic_site.errors import JobError, user_message
from plexomatic_site.models import Job, JobKind
from plexomatic_site.progress import Progress, progress_ignore, progress_to_all
from plexomatic_site.summaries import JobSummary

# A running job writes a heartbeat at least this often (see _progress_to_jobs).
HEARTBEAT_EVERY = timedelta(seconds=2)
# A running job on another machine with no heartbeat for this long is stale.
STALE_AFTER = timedelta(minutes=2)
# The queue every worker takes tasks from; each also takes its host's (host_queue).
ANY_WORKER_QUEUE = "default"
# django-tasks-db stores a queue name in 32 characters.
QUEUE_NAME_MAX = 32


def worker_host() -> str:
    """This machine's name among the workers (PLEXOMATIC_WORKER_HOST, else its host name)."""
    return str(settings.PLEXOMATIC_WORKER_HOST)


def host_queue(host: str) -> str:
    """The queue of the tasks only `host`'s workers run: "host-nas1". A long host name
    is cut and ends in a digest of the whole name, to fit QUEUE_NAME_MAX."""
    name = f"host-{host}"
    if len(name) <= QUEUE_NAME_MAX:
        return name
    digest = hashlib.sha256(host.encode()).hexdigest()[:16]
    return f"{name[: QUEUE_NAME_MAX - len(digest) - 1]}-{digest}"


def worker_queues() -> list[str]:
    """The queues this machine's workers (serve's and db_worker's) take tasks from."""
    return [ANY_WORKER_QUEUE, host_queue(worker_host())]


@dataclass(frozen=True)
class LockKey:
    """What a job locks: `library:<id>` (scans, applies, rollbacks of one library), `backup`
    or `database` (compacting the database file).

    `subject` names it in sentences ("library “TV”"); `worker_host` is the host
    whose workers must run a job holding it (a library's pin), blank for any.
    Neither is part of the key. A lock of no one object (backup, database) is
    the site's own: its job runs on the host whose site queued it, where the
    backup folder is.
    """

    scope: str
    id: int | None = None
    subject: str = field(default="", compare=False)
    worker_host: str = field(default="", compare=False)

    BACKUP: ClassVar[LockKey]
    DATABASE: ClassVar[LockKey]

    def __str__(self) -> str:
        return self.scope if self.id is None else f"{self.scope}:{self.id}"

    @classmethod
    def parse(cls, text: str) -> LockKey:
        scope, _, number = text.partition(":")
        return cls(scope, int(number) if number.isascii() and number.isdigit() else None)


LockKey.BACKUP = LockKey("backup")
LockKey.DATABASE = LockKey("database", subject="the database")


class JobBusy(JobError):
    """Another job holds the same lock."""

    def __init__(self, job: Job) -> None:
        self.job = job
        started = job.started_at or job.created_at
        super().__init__(
            f"{job.phrase} is already {job.get_status_display().lower()} "
            f"(started {started:%Y-%m-%d %H:%M:%S} UTC); wait for it to finish."
        )


class JobNotQueued(JobError):
    """A task was asked to start a job that is not waiting to start."""

    def __init__(self, job: Job) -> None:
        self.job = job
        super().__init__(
            f"{job.phrase} is {job.get_status_display().lower()}, not queued, so it is not "
            "started again."
        )


def process_alive(pid: int) -> bool:
    """Whether a process of this host has that id (one of another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def jobs_release_stale(*, lock: LockKey | None = None) -> int:
    """Mark running jobs whose process is gone as failed; returns how many.

    A job of this host is gone when its pid is; a job of another host when its
    heartbeat has been silent for STALE_AFTER (its pid means nothing here).
    Each update checks again that the job is still running, and still silent,
    so a job that finished or beat in the meantime is left alone.
    """
    running = Job.objects.filter(status=Job.Status.RUNNING)
    if lock is not None:
        running = running.filter(lock_key=str(lock))
    here = Q(hostname__iexact=worker_host(), pid__isnull=False)
    pids = running.filter(here).values_list("pk", "pid")
    dead = [pk for pk, pid in pids if pid is not None and not process_alive(pid)]
    cutoff = timezone.now() - STALE_AFTER
    silent = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    fields = {
        "status": Job.Status.FAILED,
        "error": "Interrupted: the process running this job stopped before it finished.",
        "finished_at": timezone.now(),
    }
    released = running.filter(pk__in=dead).update(**fields)
    return released + running.exclude(here).filter(silent).update(**fields)


def job_active_other(*, besides: LockKey | None = None) -> Job | None:
    """The oldest queued or running job, other than the one holding `besides`.

    For work that must run alone (a restore, compacting the database): stale
    jobs are released first, so a crashed job does not stand in the way.
    """
    jobs_release_stale()
    active = Job.objects.filter(status__in=Job.ACTIVE).order_by("created_at", "id")
    if besides is not None:
        active = active.exclude(lock_key=str(besides))
    return active.first()


def _claim_one(*, kind: JobKind, lock: LockKey, user: Any, queued: bool) -> Job:
    jobs_release_stale(lock=lock)
    now = timezone.now()
    fields: dict[str, Any] = {
        "kind": kind,
        "lock_key": str(lock),
        "subject": lock.subject,
        "created_by": user if getattr(user, "is_authenticated", False) else None,
    }
    if not queued:
        fields.update(_running_fields(now))
    try:
        with transaction.atomic():
            job = Job.objects.create(**fields)
    except IntegrityError:
        holder = Job.objects.filter(lock_key=str(lock), status__in=Job.ACTIVE).first()
        if holder is None:  # finished between our insert and this read
            return _claim_one(kind=kind, lock=lock, user=user, queued=queued)
        raise JobBusy(holder) from None
    # Only a job claimed running here runs without being queued first (never
    # one another worker started): job_run checks this mark on the instance.
    job.claimed_here = not queued  # type: ignore[attr-defined]
    return job


def _running_fields(now: datetime) -> dict[str, Any]:
    return {
        "status": Job.Status.RUNNING,
        "started_at": now,
        "heartbeat_at": now,
        "hostname": worker_host(),
        "pid": os.getpid(),
        "message": "",
    }


def jobs_claim(
    *, kind: JobKind, locks: Iterable[LockKey], user: Any = None, queued: bool = False
) -> list[Job]:
    """Take every lock, or none (raises JobBusy naming the job that holds one).

    queued=True records jobs a background worker starts later (the locks
    are held from now); otherwise they run in this process, through job_run.
    """
    claimed: list[Job] = []
    try:
        for lock in sorted(set(locks), key=str):  # one order: no two claimers deadlock
            claimed.append(_claim_one(kind=kind, lock=lock, user=user, queued=queued))
    except JobBusy:
        for job in claimed:
            _finish(job, error="Not started: another lock it needed was busy.")
        raise
    return claimed


class Enqueueable(Protocol):
    def using(self, *, queue_name: str) -> Enqueueable: ...

    def enqueue(self, *args: Any, **kwargs: Any) -> Any: ...


def job_worker_host(*, kind: JobKind, locks: Sequence[LockKey]) -> str:
    """The worker host that must run a job holding `locks`, blank for any (see the module's
    docstring); JobError when they are pinned to different hosts, which no one worker serves."""
    pinned: dict[str, list[str]] = {}
    for lock in locks:
        host = lock.worker_host or (worker_host() if lock.id is None else "")
        if host:
            pinned.setdefault(host, []).append(lock.subject or str(lock))
    if len(pinned) > 1:
        where = "; ".join(f"{', '.join(subjects)} on {host}" for host, subjects in pinned.items())
        raise JobError(
            f"Not queued: this {kind} job needs {where}, and no one worker runs on "
            "several hosts; do it one library at a time."
        )
    return next(iter(pinned), "")


def job_enqueue(
    *, kind: JobKind, locks: Iterable[LockKey], task: Enqueueable, user: Any = None, **kwargs: Any
) -> Job:
    """Claim the locks as queued jobs and queue `task(job_ids=[…], **kwargs)` to run them,
    in the queue of the workers that may (job_worker_host); until one starts them, the
    jobs' message says which.

    Returns the first job (the one whose page shows the progress). If the
    task cannot be queued, the locks are released and JobError says why.
    """
    locks = list(locks)
    host = job_worker_host(kind=kind, locks=locks)
    jobs = jobs_claim(kind=kind, locks=locks, user=user, queued=True)
    waiting = f"Waiting for a worker on host {host}." if host else "Waiting for a worker."
    Job.objects.filter(pk__in=[job.pk for job in jobs]).update(message=waiting)
    for job in jobs:
        job.message = waiting
    try:
        task.using(queue_name=host_queue(host) if host else ANY_WORKER_QUEUE).enqueue(
            job_ids=[job.pk for job in jobs], **kwargs
        )
    except Exception as exc:
        reason = f"Could not queue the job: {user_message(exc, context=f'queueing {kind}')}"
        for job in jobs:
            _finish(job, error=reason)
        raise JobError(reason) from exc
    return jobs[0]


def jobs_queued(job_ids: Sequence[int]) -> list[Job]:
    """The jobs a task was queued for, in claim order."""
    return list(Job.objects.filter(pk__in=job_ids).order_by("pk"))


def _start(job: Job) -> None:
    """Only a queued job starts: a task never redoes a job that already ended,
    such as one a restored backup recorded as queued and the restore failed."""
    started = Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
        **_running_fields(timezone.now())
    )
    job.refresh_from_db()
    if not started:
        raise JobNotQueued(job)


def _progress_to_jobs(jobs: Sequence[Job]) -> Progress:
    """Stores progress and the heartbeat on the jobs, at most a few times a second."""
    ids = [job.pk for job in jobs]
    last_write = timezone.now() - HEARTBEAT_EVERY

    def progress(done: int, total: int | None = None, message: str = "") -> None:
        nonlocal last_write
        now = timezone.now()
        if now - last_write < HEARTBEAT_EVERY / 4 and (total is None or done < total):
            return
        last_write = now
        Job.objects.filter(pk__in=ids).update(
            done=done, total=total, message=message[:500], heartbeat_at=now
        )

    return progress


class _Heartbeat(threading.Thread):
    """Beats for running jobs while their work runs, on the thread's own connection.

    A worker on another machine tells a live job from a dead one by its
    heartbeat alone, and progress cannot be that heartbeat: it may be silent
    for minutes (one large file checked) or written inside the work's own
    transaction, which no other connection sees before it commits.
    """

    def __init__(self, job_ids: Sequence[int]) -> None:
        super().__init__(name="plexomatic-heartbeat", daemon=True)
        self.job_ids = list(job_ids)
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(HEARTBEAT_EVERY.total_seconds()):
                try:
                    Job.objects.filter(pk__in=self.job_ids, status=Job.Status.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError:
                    # The server is away for a moment: the next beat connects again.
                    connection.close()
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join()


def _finish(job: Job, *, summary: JobSummary | None = None, error: str = "") -> None:
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.FAILED if error else Job.Status.SUCCEEDED,
        summary=summary.to_json() if summary is not None else {},
        error=error,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()


class Summarised(Protocol):
    """What a job's work returns: anything that can say its typed summary."""

    def job_summary(self) -> JobSummary: ...


R = TypeVar("R", bound=Summarised, covariant=True)


class Work(Protocol[R]):
    """A job's work: a service called with its other arguments bound (functools.partial)."""

    def __call__(self, *, progress: Progress) -> R: ...


def job_run(jobs: Sequence[Job], work: Work[R], *, progress: Progress = progress_ignore) -> R:
    """Run `work(progress=…)` as `jobs`, and finish them whatever happens.

    Queued jobs are started first; if one cannot start (JobNotQueued) the
    work does not run. `progress` (a command's bar, say) is called beside
    the jobs' own progress. On any exception the jobs running here, and any
    still queued, fail with its sentence; then the exception goes on.
    """
    ours: list[Job] = []
    try:
        for job in jobs:
            if job.status == Job.Status.QUEUED:
                _start(job)
            elif not getattr(job, "claimed_here", False):
                raise JobNotQueued(job)
            job.claimed_here = False  # type: ignore[attr-defined]  # runs once
            ours.append(job)
        # SQLite serves one machine, where a job's pid tells whether it is alive.
        heartbeat = None if connection.vendor == "sqlite" else _Heartbeat([j.pk for j in ours])
        if heartbeat is not None:
            heartbeat.start()
        try:
            result = work(progress=progress_to_all(progress, _progress_to_jobs(jobs)))
        finally:
            if heartbeat is not None:
                heartbeat.stop()
    except BaseException as exc:
        reason = user_message(exc, context=", ".join(f"{job.kind} job {job.pk}" for job in jobs))
        for job in jobs:
            job.refresh_from_db()
            # A running job this run did not start is someone else's: leave it.
            if job in ours or job.status == Job.Status.QUEUED:
                _finish(job, error=reason)
        raise
    summary = result.job_summary()
    for job in jobs:
        _finish(job, summary=summary)
    return result
