"""Rename preview (a page at a time) and the Apply buttons."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from library.forms import ApplyAllForm, ApplyForm, LibraryChoiceForm
from library.models import Library
from library.services.locks import library_lock
from library.services.plan import Reason, plan_build
from library.tasks import apply_library
from plexomatic_site.jobs import job_enqueue
from plexomatic_site.models import JobKind

# Rows per preview page. Each ticked row posts two fields, and Django refuses
# a form of more than DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000): stay well below.
PREVIEW_PAGE_SIZE = 200


@require_GET
def rename_preview(request: HttpRequest) -> HttpResponse:
    """The plan for one library: what would be renamed, and why anything else stays."""
    first = Library.objects.first()
    form = LibraryChoiceForm(request.GET or None, initial={"library": first})
    if request.GET and not form.is_valid():
        return render(request, "library/rename_preview.html", {"form": form}, status=400)
    library = form.cleaned_data["library"] if request.GET else first
    context: dict[str, Any] = {"form": form, "library": library}
    if library is not None:
        plan = plan_build(library=library)
        shown = [item for _, items in plan.groups() for item in items]
        page = Paginator(shown, PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(
            page_obj=page,
            query=f"library={library.pk}",
            # Groups are contiguous in `shown`, so a page regroups by runs.
            groups=[(group, list(items)) for group, items in groupby(page, lambda i: i.group)],
            page_ready=any(item.ready for item in page),
            counts=plan.counts(),
            # Files that stay, counted by reason, most common first.
            stays=[
                (Reason(reason).label, count)
                for reason, count in plan.counts().most_common()
                if reason != Reason.READY
            ],
            digest=plan.digest(),
            ready=Reason.READY,
            correct=Reason.ALREADY_CORRECT,
        )
    return render(request, "library/rename_preview.html", context)


def _queue_apply(
    request: HttpRequest, *, library: Library, previewed: dict[int, str]
) -> HttpResponse:
    """Claim the library and queue the apply of `previewed` (media id → new path shown)."""
    job = job_enqueue(
        kind=JobKind.APPLY,
        locks=[library_lock(library)],
        task=apply_library,
        user=request.user,
        library_id=library.pk,
        previewed=list(previewed.items()),
        user_id=request.user.pk,
    )
    messages.success(request, f"Renaming {len(previewed)} file(s) in {library}.")
    return redirect("job", pk=job.pk)


@require_POST
def rename_apply(request: HttpRequest) -> HttpResponse:
    """The renames ticked on one preview page."""
    form = ApplyForm(request.POST)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(map(str, error)))
        return redirect("library:rename")
    return _queue_apply(
        request, library=form.cleaned_data["library"], previewed=form.cleaned_data["previewed"]
    )


@require_POST
def rename_apply_all(request: HttpRequest) -> HttpResponse:
    """Every rename of the plan, provided it is still the plan the preview showed."""
    form = ApplyAllForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That apply request was not valid; reload the preview.")
        return redirect("library:rename")
    library = form.cleaned_data["library"]
    plan = plan_build(library=library)
    if plan.digest() != form.cleaned_data["digest"]:
        messages.error(
            request,
            "The renames have changed since the preview was shown (a scan, another apply "
            "or a settings change); nothing was moved. Check the preview and apply again.",
        )
        return redirect(f"{reverse('library:rename')}?library={library.pk}")
    previewed = {item.media.pk: item.target_display for item in plan.ready()}
    if not previewed:
        messages.error(request, f"Nothing in {library} needs renaming.")
        return redirect(f"{reverse('library:rename')}?library={library.pk}")
    return _queue_apply(request, library=library, previewed=previewed)
