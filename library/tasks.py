"""Background jobs, run by the django-tasks worker (in `serve`, or `manage.py db_worker`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django_tasks import task

from library.models import FileOperation, Library
from library.services.apply import library_apply
from library.services.rollback import operations_rollback
from library.services.scan import library_scan
from plexomatic_site.jobs import job_progress_callback, jobs_running
from plexomatic_site.models import Job


@task()
def scan_library(*, job_id: int, library_id: int) -> dict[str, Any]:
    job = Job.objects.get(pk=job_id)
    with jobs_running([job], start=True) as run:
        run.summary = library_scan(
            library=Library.objects.get(pk=library_id), progress=job_progress_callback(job)
        ).as_dict()
    return run.summary


@task()
def apply_library(
    *, job_id: int, library_id: int, previewed: list[tuple[int, str]], user_id: int | None
) -> dict[str, Any]:
    """`previewed`: (media id, new path shown) pairs, as pairs because JSON keys are text."""
    job = Job.objects.get(pk=job_id)
    with jobs_running([job], start=True) as run:
        run.summary = library_apply(
            library=Library.objects.get(pk=library_id),
            previewed=dict(previewed),
            user=None if user_id is None else get_user_model().objects.filter(pk=user_id).first(),
            progress=job_progress_callback(job),
        ).summary()
    return run.summary


@task()
def rollback_operations(*, job_ids: list[int], operation_ids: list[int]) -> dict[str, Any]:
    """Roll back operations; `job_ids` hold the locks of every library involved."""
    jobs = list(Job.objects.filter(pk__in=job_ids).order_by("pk"))
    with jobs_running(jobs, start=True) as run:
        run.summary = operations_rollback(
            operations=FileOperation.objects.filter(pk__in=operation_ids).select_related(
                "batch__library"
            ),
            progress=job_progress_callback(jobs[0]),
        ).summary()
    return run.summary
