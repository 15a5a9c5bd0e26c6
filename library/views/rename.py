"""Rename preview, the Apply button, and the progress of renaming jobs."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from library.forms import ApplyForm, LibraryChoiceForm
from library.models import Batch, Library
from library.services.locks import enqueue_or_release, library_jobs_claim
from library.services.plan import Reason, plan_build
from library.tasks import apply_library
from plexomatic_site.jobs import JobBusy
from plexomatic_site.models import Job


@require_GET
def rename_preview(request: HttpRequest) -> HttpResponse:
    """The plan for one library: what would be renamed, and why anything else stays."""
    first = Library.objects.first()
    form = LibraryChoiceForm(request.GET or None, initial={"library": first})
    if request.GET and not form.is_valid():
        return render(request, "library/rename_preview.html", {"form": form}, status=400)
    library = form.cleaned_data["library"] if request.GET else first
    plan = plan_build(library=library) if library else None
    return render(
        request,
        "library/rename_preview.html",
        {
            "form": form,
            "library": library,
            "groups": plan.groups() if plan else [],
            "counts": plan.counts() if plan else {},
            "ready": Reason.READY,
            "correct": Reason.ALREADY_CORRECT,
        },
    )


@require_POST
def rename_apply(request: HttpRequest) -> HttpResponse:
    form = ApplyForm(request.POST)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect("library:rename")
    library = form.cleaned_data["library"]
    try:
        (job,) = library_jobs_claim(
            kind="apply", libraries=[library], user=request.user, queued=True
        )
    except JobBusy as exc:
        messages.error(request, str(exc))
        return redirect(f"{reverse('library:rename')}?library={library.pk}")
    enqueue_or_release(
        [job],
        apply_library,
        job_id=job.pk,
        library_id=library.pk,
        media_ids=[m.pk for m in form.cleaned_data["media"]],
        user_id=request.user.pk,
    )
    messages.success(request, f"Renaming {len(form.cleaned_data['media'])} file(s) in {library}.")
    return redirect("library:job", pk=job.pk)


def _job_state(job: Job) -> dict[str, object]:
    batch = job.summary.get("batch") if isinstance(job.summary, dict) else None
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "message": job.message,
        "error": job.error,
        "summary": job.summary,
        "active": job.status in Job.ACTIVE,
        "batch": batch if batch and Batch.objects.filter(pk=batch).exists() else None,
        "summary_lines": [
            (key.replace("_", " ").capitalize(), value)
            for key, value in (job.summary or {}).items()
            if key != "problems"
        ],
    }


@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(Job, pk=pk, kind__in=["apply", "rollback"])
    return render(request, "library/rename_job.html", {"job": job, "state": _job_state(job)})


@require_GET
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    job = get_object_or_404(Job, pk=pk, kind__in=["apply", "rollback"])
    return JsonResponse(_job_state(job))
