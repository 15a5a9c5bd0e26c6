"""The import job, run by the django-tasks worker (see plexomatic_site.jobs.job_enqueue)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django_tasks import task

from inbox.models import InboxFolder
from inbox.services.inbox_import import inbox_import
from plexomatic_site.jobs import job_run, jobs_queued


@task()
def import_inbox(
    *,
    job_ids: list[int],
    inbox_id: int,
    user_id: int | None,
    choices: dict[str, str] | None = None,
    only: list[str] | None = None,
) -> dict[str, Any]:
    """`choices`: a duplicate's choice by its path in the inbox (from the preview);
    `only`: the paths in the inbox selected in the preview, or None for every file."""
    inbox = InboxFolder.objects.select_related("library").get(pk=inbox_id)
    user = None if user_id is None else get_user_model().objects.filter(pk=user_id).first()
    work = partial(inbox_import, inbox=inbox, user=user, choices=choices, only=only)
    return job_run(jobs_queued(job_ids), work).job_summary().to_json()
