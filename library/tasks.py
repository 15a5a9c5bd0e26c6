"""Background jobs, run by the django-tasks worker (in `serve`, or `manage.py db_worker`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django_tasks import task

from library.models import FileOperation, Library
from library.services.apply import library_apply
from library.services.locks import library_jobs_finish
from library.services.rollback import operations_rollback
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


@task()
def apply_library(
    *, job_id: int, library_id: int, previewed: list[tuple[int, str]], user_id: int | None
) -> dict[str, Any]:
    """`previewed`: (media id, new path shown) pairs, as pairs because JSON keys are text."""
    job = Job.objects.get(pk=job_id)
    job_start(job)
    try:
        result = library_apply(
            library=Library.objects.get(pk=library_id),
            previewed=dict(previewed),
            user=None if user_id is None else get_user_model().objects.filter(pk=user_id).first(),
            progress=job_progress_callback(job),
        )
    except Exception as exc:
        library_jobs_finish([job], error=str(exc))
        raise
    library_jobs_finish([job], summary=result.summary())
    return result.summary()


@task()
def rollback_operations(*, job_ids: list[int], operation_ids: list[int]) -> dict[str, Any]:
    """Roll back operations; `job_ids` hold the locks of every library involved."""
    jobs = list(Job.objects.filter(pk__in=job_ids).order_by("pk"))
    for job in jobs:
        job_start(job)
    try:
        result = operations_rollback(
            operations=FileOperation.objects.filter(pk__in=operation_ids).select_related(
                "batch__library"
            ),
            progress=job_progress_callback(jobs[0]),
        )
    except Exception as exc:
        library_jobs_finish(jobs, error=str(exc))
        raise
    library_jobs_finish(jobs, summary=result.summary())
    return result.summary()
