"""Background jobs, run by the django-tasks worker inside `serve`."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from library.models import Library
from library.services.scan import library_scan
from plexomatic_site.jobs import job_finish, job_progress_callback, job_start
from plexomatic_site.models import Job


@task()
def scan_library(*, job_id: int, library_id: int) -> dict[str, Any]:
    job = Job.objects.get(pk=job_id)
    job_start(job)
    try:
        summary = library_scan(
            library=Library.objects.get(pk=library_id), progress=job_progress_callback(job)
        )
    except Exception as exc:
        job_finish(job, error=str(exc))
        raise
    job_finish(job, summary=summary.as_dict())
    return summary.as_dict()
