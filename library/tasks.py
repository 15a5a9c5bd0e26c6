"""Background jobs, run by the django-tasks worker (in `serve`, or `manage.py db_worker`).

Each task runs the jobs a view queued (see plexomatic_site.jobs.job_enqueue).
Scans, applies and rollbacks touch the library's folder, so they first check
that this worker may and can: a worker that cannot see the folder takes the
job and fails it with one sentence naming its host (README, "Several workers").
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from contextlib import suppress
from functools import partial
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django_tasks import task

from library.errors import LibraryError
from library.models import FileOperation, Library
from library.services.apply import ApplyResult, library_apply, plan_apply
from library.services.locks import library_lock
from library.services.naming import naming_templates
from library.services.plan_store import plan_and_check, plan_current, plan_inputs, plan_stored
from library.services.rollback import operations_rollback, rollback_libraries
from library.services.scan import library_scan
from plexomatic_site.jobs import (
    JobBusy,
    Summarised,
    Work,
    job_enqueue,
    job_run,
    jobs_queued,
    worker_host,
)
from plexomatic_site.models import Job, JobKind
from plexomatic_site.progress import Progress

S = TypeVar("S", bound=Summarised)


class FolderNotHere(LibraryError):
    """This worker may not or cannot reach a library's folder: the job fails, nothing changed."""


def _folders_here(libraries: Sequence[Library], work: Work[S], *, progress: Progress) -> S:
    """`work`, once every library's folder is this worker's to touch and can be read here."""
    here = worker_host()
    for library in libraries:
        root = library.root_path
        if library.worker_host and library.worker_host != here:
            # Queued before the library was pinned elsewhere.
            raise FolderNotHere(
                f"Library “{library.name}” is now pinned to worker host {library.worker_host}, "
                f"and this worker is {here}, so nothing was changed; start it again."
            )
        if not (os.path.isdir(root) and os.access(root, os.R_OK | os.X_OK)):
            raise FolderNotHere(
                f"Library “{library.name}”'s folder {root} cannot be read on worker host "
                f"{here}, so nothing was changed; mount it there, or set the library's worker "
                "host to the machine that has it."
            )
    return work(progress=progress)


@task()
def scan_library(*, job_ids: list[int], library_id: int) -> dict[str, Any]:
    library = Library.objects.get(pk=library_id)
    work = partial(_folders_here, [library], partial(library_scan, library=library))
    return job_run(jobs_queued(job_ids), work).to_json()


@task()
def apply_library(
    *,
    job_ids: list[int],
    library_id: int,
    user_id: int | None,
    previewed: list[tuple[int, str]] | None = None,
    digest: str | None = None,
) -> dict[str, Any]:
    """The renames the user saw: `previewed`, (media id, new path shown) pairs (as pairs
    because JSON keys are text), or every rename of the stored plan named by `digest`."""
    library = Library.objects.get(pk=library_id)
    user = None if user_id is None else get_user_model().objects.filter(pk=user_id).first()
    work: Work[ApplyResult]
    if digest is None:
        work = partial(library_apply, library=library, previewed=dict(previewed or ()), user=user)
    else:
        work = partial(plan_apply, library=library, digest=digest, user=user)
    work = partial(_folders_here, [library], work)
    try:
        return job_run(jobs_queued(job_ids), work).job_summary().to_json()
    finally:
        plan_follow(library)


@task()
def rollback_operations(*, job_ids: list[int], operation_ids: list[int]) -> dict[str, Any]:
    """Roll back operations; `job_ids` hold the locks of every library involved."""
    operations = FileOperation.objects.filter(pk__in=operation_ids).select_related("batch__library")
    libraries = rollback_libraries(operations)
    work = partial(_folders_here, libraries, partial(operations_rollback, operations=operations))
    try:
        return job_run(jobs_queued(job_ids), work).job_summary().to_json()
    finally:
        for library in libraries:
            plan_follow(library)


@task()
def plan_library(*, job_ids: list[int], library_id: int) -> dict[str, Any]:
    """Bring the stored rename plan up to date (after a settings change or a library edit)."""
    work = partial(plan_and_check, library=Library.objects.get(pk=library_id))
    return job_run(jobs_queued(job_ids), work).job_summary().to_json()


def plan_enqueue(library: Library, *, user: Any = None) -> Job:
    """Queue a refresh of the library's stored plan; JobBusy if a job holds the library
    (a scan refreshes the plan itself when it ends; an apply or rollback queues this)."""
    return job_enqueue(
        kind=JobKind.PLAN,
        locks=[library_lock(library)],
        task=plan_library,
        user=user,
        library_id=library.pk,
    )


def plan_follow(library: Library) -> None:
    """After an apply or a rollback that moved files (and so marked the stored plan out
    of date, plan_outdate): the plan is refreshed by a PLAN job of its own, so the moves
    end without waiting for it. Nothing is queued for a job that never started, and a
    job that already holds the library (a scan) refreshes the plan itself when it ends."""
    if plan_current(library, plan_stored(library)):
        return
    with suppress(JobBusy):
        plan_enqueue(library)


def plans_enqueue_stale(**signal: Any) -> None:
    """After a settings change or a library edit: queue a refresh of every stored plan
    the change made stale (a library without one gets it from its next scan)."""
    templates = naming_templates()
    for library in Library.objects.select_related("plan"):
        stored = getattr(library, "plan", None)
        if stored is None or stored.inputs == plan_inputs(library, templates):
            continue
        try:
            plan_enqueue(library)
        except JobBusy:
            continue  # the job holding the library refreshes the plan when it ends
