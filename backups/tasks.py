"""Background jobs of backups, run by the django-tasks worker (in `serve`, or `db_worker`)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django_tasks import task

from backups.models import BackupKind
from backups.services.schedule import backup_take
from plexomatic_site.jobs import job_run, jobs_queued


@task()
def take_backup(*, job_ids: list[int], note: str) -> dict[str, Any]:
    """A manual backup asked for on the backups page."""
    jobs = jobs_queued(job_ids)
    work = partial(backup_take, kind=BackupKind.MANUAL, note=note, job_id=jobs[0].pk)
    return job_run(jobs, work).job_summary().to_json()
