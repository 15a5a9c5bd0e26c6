"""When a backup is due, and taking one as a recorded job (command, page, scheduler)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from backups.models import Backup
from backups.services.folder import (
    BackupError,
)
from backups.services.retention import backups_prune
from backups.services.snapshot import Snapshot, backup_create
from backups.services.sync import backups_sync
from plexomatic_site.jobs import job_claim, job_finish
from plexomatic_site.models import Job
from plexomatic_site.progress import Progress, progress_ignore
from plexomatic_site.settings_store import setting_get

JOB_KIND = "backup"
# One backup job at a time, whoever starts it; the folder lock backs this up
# for backups taken outside a job (before a migration or a restore).
JOB_LOCK = "backup"


@dataclass(frozen=True)
class Taken:
    snapshot: Snapshot
    backup: Backup
    pruned: list[str]


def backup_due(*, now: datetime | None = None) -> bool:
    """A scheduled backup is due when scheduling is on and no verified backup is recent enough.

    Never on a database other than SQLite: its own tools back it up, and a
    schedule that can only fail would keep the overview warning for ever.
    """
    interval = setting_get("backup_interval_hours")
    if interval <= 0 or connection.vendor != "sqlite":
        return False
    newest = Backup.objects.verified().first()
    now = now or timezone.now()
    return newest is None or now - newest.created_at >= timedelta(hours=interval)


def backup_job_claim(*, user: Any = None, queued: bool = False) -> Job:
    """The backup lock, as a job; raises JobBusy when another backup job holds it."""
    return job_claim(kind=JOB_KIND, lock_key=JOB_LOCK, user=user, queued=queued)


def backup_take(
    *,
    kind: str,
    note: str = "",
    user: Any = None,
    progress: Progress = progress_ignore,
    job: Job | None = None,
) -> Taken:
    """Take a backup as a job (so failures are recorded for the overview), then prune.

    `job` is one already claimed (queued by the page, started by the worker);
    without it the job is claimed here. Either way it is finished here.
    Raises JobBusy when another backup job runs, BackupError when it fails.
    """
    job = job or backup_job_claim(user=user)
    try:
        snapshot = backup_create(kind=kind, note=note, progress=progress, job_id=job.pk)
        backups_sync()
        pruned = backups_prune()
    except BaseException as exc:
        # Always finish the job: a job left running would hold the lock.
        reason = str(exc) if isinstance(exc, BackupError) else f"Stopped unexpectedly: {exc!r}"
        job_finish(job, error=reason)
        raise
    job_finish(
        job,
        summary={"file_name": snapshot.path.name, "size": snapshot.manifest.size, "pruned": pruned},
    )
    return Taken(
        snapshot=snapshot, backup=Backup.objects.get(file_name=snapshot.path.name), pruned=pruned
    )


def backup_last_attempt() -> Job | None:
    """The most recent finished backup job: the overview warns when it failed."""
    return (
        Job.objects.filter(kind=JOB_KIND, status__in=[Job.Status.SUCCEEDED, Job.Status.FAILED])
        .order_by("-finished_at", "-id")
        .first()
    )
