"""When a backup is due, and taking one as a recorded job (command, page, scheduler)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from backups.errors import BackupError
from backups.models import Backup
from backups.services.folder import BACKUP_SUFFIXES
from backups.services.retention import backups_prune
from backups.services.snapshot import Snapshot, backup_create
from backups.services.sync import backups_sync
from backups.summaries import BackupSummary
from plexomatic_site.events import backup_failed
from plexomatic_site.jobs import LockKey, job_run, jobs_claim
from plexomatic_site.models import Job, JobKind
from plexomatic_site.progress import Progress, progress_ignore
from plexomatic_site.settings_store import setting_get

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Taken:
    snapshot: Snapshot
    # None only when the index could not be updated (see warnings).
    backup: Backup | None
    pruned: list[str]
    # What went wrong after the backup was safely kept (index, pruning).
    warnings: list[str]

    def job_summary(self) -> BackupSummary:
        return BackupSummary(
            file_name=self.snapshot.path.name,
            size=self.snapshot.manifest.size,
            pruned=self.pruned,
            warnings=self.warnings,
        )


# Rows these keep are bookkeeping, not the user's data: a database holding only
# them (a fresh install) is not worth a backup, and restoring one would wipe all.
BOOKKEEPING_APPS = {
    "admin",
    "auth",
    "axes",
    "contenttypes",
    "sessions",
    "django_tasks_db",
    "backups",
}


def database_holds_nothing() -> bool:
    """No user and no data: the empty database of a fresh install.

    Jobs (a first scheduled backup attempt) are bookkeeping too.
    """
    if get_user_model()._default_manager.exists():
        return False
    for model in apps.get_models():
        if model._meta.app_label in BOOKKEEPING_APPS or model is Job:
            continue
        if model._base_manager.exists():
            return False
    return True


def backup_due(*, now: datetime | None = None) -> bool:
    """A scheduled backup is due when scheduling is on and no verified backup is recent enough.

    Only backups this install took count: an imported database says nothing
    about when this one was last saved.

    Never on a database other than SQLite or PostgreSQL: its own tools back
    it up, and a schedule that can only fail would keep the overview warning
    for ever. Never of an empty database (no user, no data): restoring that backup
    would wipe everything and re-open first-run setup.
    """
    interval = setting_get("backup_interval_hours")
    if interval <= 0 or connection.vendor not in BACKUP_SUFFIXES or database_holds_nothing():
        return False
    newest = Backup.objects.verified().taken_here().first()
    now = now or timezone.now()
    return newest is None or now - newest.created_at >= timedelta(hours=interval)


def backup_job_run(*, kind: str, note: str = "", progress: Progress = progress_ignore) -> Taken:
    """Take a backup now as a job (so a failure is recorded for the overview).

    One backup job at a time, whoever starts it (raises JobBusy); the folder
    lock backs this up for backups taken outside a job (before a migration
    or a restore).
    """
    jobs = jobs_claim(kind=JobKind.BACKUP, locks=[LockKey.BACKUP])
    work = partial(backup_take, kind=kind, note=note, job_id=jobs[0].pk)
    return job_run(jobs, work, progress=progress)


def backup_take(
    *, kind: str, note: str = "", job_id: int | None = None, progress: Progress = progress_ignore
) -> Taken:
    """Take a backup, then prune; the work of a backup job (`job_id`, kept in its manifest).

    Raises BackupError when the backup fails; a failure after the backup is
    kept only adds to `warnings`.
    """
    try:
        snapshot = backup_create(kind=kind, note=note, progress=progress, job_id=job_id)
    except BackupError as exc:
        backup_failed.send(sender=Backup, reason=str(exc))
        raise
    pruned, warnings = _tidy_after(snapshot)
    return Taken(
        snapshot=snapshot,
        backup=Backup.objects.filter(file_name=snapshot.path.name).first(),
        pruned=pruned,
        warnings=warnings,
    )


def _tidy_after(snapshot: Snapshot) -> tuple[list[str], list[str]]:
    """Re-sync the index and prune: (pruned file names, warnings).

    The backup is published and safe by now: whatever fails here is
    housekeeping, reported as a warning, not as a failed backup.
    """
    try:
        backups_sync()
        return backups_prune(), []
    except KeyboardInterrupt:
        return [], ["Interrupted while pruning old backups; the backup itself is kept."]
    except Exception as exc:
        logger.exception("Backup %s kept, but tidying the backup folder failed", snapshot.path)
        return [], [
            f"The backup is kept, but updating the backup list or pruning old backups failed: {exc}"
        ]


def backup_last_attempt() -> Job | None:
    """The most recent finished backup job: the overview warns when it failed."""
    return (
        Job.objects.filter(
            kind=JobKind.BACKUP, status__in=[Job.Status.SUCCEEDED, Job.Status.FAILED]
        )
        .order_by("-finished_at", "-id")
        .first()
    )
