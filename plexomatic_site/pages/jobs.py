"""A long job's page and its status JSON: progress while it runs, then its typed summary."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from plexomatic_site.jobs import STALE_AFTER
from plexomatic_site.models import Job, JobKind
from plexomatic_site.summaries import job_summary

# A queued job says why it waits only after this long: a worker that is there
# picks a job up within a second or two.
WAIT_HINT_AFTER = timedelta(seconds=5)
# What a job's progress counts, by kind, for its rate ("250 files/s").
JOB_UNITS: dict[str, str] = {
    JobKind.SCAN: "files",
    JobKind.APPLY: "files",
    JobKind.ROLLBACK: "operations",
    JobKind.BACKUP: "pages",
}

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


def duration_words(seconds: float) -> str:
    """A duration as people say it: "0.4 s", "12 s", "3 min 4 s", "2 h 5 min"."""
    if seconds < 10:
        return f"{max(seconds, 0):.1f} s"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"


def _job_time(job: Job, now: datetime) -> str:
    """How long the job has waited or run, or took: "Running for 12 s"."""
    if job.status == Job.Status.QUEUED:
        return f"Waiting for {duration_words((now - job.created_at).total_seconds())}"
    if job.started_at is None:
        return ""
    if job.status == Job.Status.RUNNING:
        return f"Running for {duration_words((now - job.started_at).total_seconds())}"
    if job.finished_at is None:
        return ""
    return f"Took {duration_words((job.finished_at - job.started_at).total_seconds())}"


def _job_waiting(job: Job, now: datetime) -> dict[str, str] | None:
    """Why a queued job has not started, once it has waited a while: the worker is busy
    with another job (one with a live heartbeat), or no worker seems to run at all."""
    if job.status != Job.Status.QUEUED or now - job.created_at < WAIT_HINT_AFTER:
        return None
    busy = (
        Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__gte=now - STALE_AFTER)
        .exclude(pk=job.pk)
        .order_by("started_at")
        .first()
    )
    if busy is not None:
        return {"busy": f"{busy.phrase} is running first", "url": reverse("job", args=[busy.pk])}
    return {"busy": "", "url": ""}


def _job_state(job: Job) -> dict[str, Any]:
    """What the page shows and its script polls: the same for every kind of job."""
    now = timezone.now()
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
        "time": _job_time(job, now),
        "unit": JOB_UNITS.get(job.kind, ""),
        "waiting": _job_waiting(job, now),
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
