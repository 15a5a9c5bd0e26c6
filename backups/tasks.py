"""Background jobs of backups, run by the django-tasks worker (in `serve`, or `db_worker`)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from backups.models import BackupKind
from backups.services.schedule import backup_take
from plexomatic_site.jobs import job_progress_callback
from plexomatic_site.models import Job


@task()
def take_backup(*, job_id: int, note: str) -> dict[str, Any]:
    """A manual backup asked for on the backups page; backup_take starts and finishes the job."""
    job = Job.objects.get(pk=job_id)
    taken = backup_take(
        kind=BackupKind.MANUAL, note=note, job=job, progress=job_progress_callback(job)
    )
    return {
        "file_name": taken.snapshot.path.name,
        "pruned": taken.pruned,
        "warnings": taken.warnings,
    }
