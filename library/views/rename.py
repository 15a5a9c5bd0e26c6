"""Rename preview and the Apply button."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from library.forms import ApplyForm, LibraryChoiceForm
from library.models import Library
from library.services.locks import enqueue_or_release, library_jobs_claim
from library.services.plan import Reason, plan_build
from library.tasks import apply_library
from plexomatic_site.jobs import JobBusy


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
            messages.error(request, " ".join(map(str, error)))
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
        previewed=list(form.cleaned_data["previewed"].items()),
        user_id=request.user.pk,
    )
    messages.success(request, f"Renaming {len(form.cleaned_data['media'])} file(s) in {library}.")
    return redirect("job", pk=job.pk)
