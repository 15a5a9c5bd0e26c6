"""Background jobs, run by the django-tasks worker (in `serve`, or `manage.py db_worker`).

Each task runs the jobs a view queued (see plexomatic_site.jobs.job_enqueue).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django_tasks import task

from library.models import FileOperation, Library
from library.services.apply import library_apply
from library.services.rollback import operations_rollback
from library.services.scan import library_scan
from plexomatic_site.jobs import job_run, jobs_queued


@task()
def scan_library(*, job_ids: list[int], library_id: int) -> dict[str, Any]:
    work = partial(library_scan, library=Library.objects.get(pk=library_id))
    return job_run(jobs_queued(job_ids), work).to_json()


@task()
def apply_library(
    *, job_ids: list[int], library_id: int, previewed: list[tuple[int, str]], user_id: int | None
) -> dict[str, Any]:
    """`previewed`: (media id, new path shown) pairs, as pairs because JSON keys are text."""
    work = partial(
        library_apply,
        library=Library.objects.get(pk=library_id),
        previewed=dict(previewed),
        user=None if user_id is None else get_user_model().objects.filter(pk=user_id).first(),
    )
    return job_run(jobs_queued(job_ids), work).job_summary().to_json()


@task()
def rollback_operations(*, job_ids: list[int], operation_ids: list[int]) -> dict[str, Any]:
    """Roll back operations; `job_ids` hold the locks of every library involved."""
    operations = FileOperation.objects.filter(pk__in=operation_ids).select_related("batch__library")
    work = partial(operations_rollback, operations=operations)
    return job_run(jobs_queued(job_ids), work).job_summary().to_json()
