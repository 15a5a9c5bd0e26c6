"""The site's own background jobs, run by the django-tasks worker (`serve` or `db_worker`)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from plexomatic_site.database import database_vacuum
from plexomatic_site.jobs import job_run, jobs_queued


@task()
def vacuum_database(*, job_ids: list[int]) -> dict[str, Any]:
    """Compacting the database, asked for on the backups page."""
    return job_run(jobs_queued(job_ids), database_vacuum).to_json()
