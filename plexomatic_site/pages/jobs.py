"""A long job's page and its status JSON: progress while it runs, then its typed summary."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from plexomatic_site.models import Job, JobKind
from plexomatic_site.summaries import job_summary

# The menu entry a job's page belongs under, by job kind.
JOB_SECTIONS: dict[str, str] = {
    JobKind.SCAN: "libraries",
    JobKind.DELETE: "libraries",
    JobKind.APPLY: "rename",
    JobKind.PLAN: "rename",
    JobKind.ROLLBACK: "history",
    JobKind.RECOVER: "history",
    JobKind.BACKUP: "backups",
    JobKind.VACUUM: "backups",
    JobKind.IMPORT: "inbox",
}


def _job_state(job: Job) -> dict[str, Any]:
    """What the page shows and its script polls: the same for every kind of job."""
    summary = job_summary(job) if not job.is_active else None
    link = summary.link() if summary is not None else None
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "message": job.message,
        "error": job.error,
        "active": job.is_active,
        "headline": summary.headline() if summary is not None else "",
        "lines": [
            {"text": line.text, "level": line.level, "code": line.code}
            for line in (summary.lines() if summary is not None else [])
        ],
        "link": {"text": link.text, "url": link.url} if link is not None else None,
    }


@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A background job (scan, apply, rollback, backup): its progress, then its result."""
    job = get_object_or_404(Job, pk=pk)
    return render(
        request,
        "plexomatic_site/job.html",
        {"job": job, "state": _job_state(job), "section": JOB_SECTIONS.get(job.kind, "")},
    )


@require_GET
@never_cache
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Progress of a background job, polled by the page that shows it."""
    return JsonResponse(_job_state(get_object_or_404(Job, pk=pk)))
