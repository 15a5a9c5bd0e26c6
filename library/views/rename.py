"""Rename preview (a page at a time) and the Apply buttons."""

from __future__ import annotations

from collections import Counter
from itertools import groupby
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from library.errors import PlanChanged
from library.forms import (
    ApplyAllForm,
    ApplyForm,
    ApplySelectedForm,
    LibraryPickForm,
    PreviewFilterForm,
)
from library.models import Library, LibraryPlan, PlannedMove
from library.services.locks import library_lock
from library.services.plan import Reason
from library.services.plan_store import plan_as_seen, plan_current, plan_stored, plan_updating
from library.tasks import apply_library, plan_enqueue
from library.views.plan_rows import PlanRow, reason_tone
from plexomatic_site.jobs import job_enqueue
from plexomatic_site.models import JobKind
from plexomatic_site.pagination import CappedPaginator

# Rows per preview page. Each ticked row posts two fields, and Django refuses
# a form of more than DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000): stay well below.
PREVIEW_PAGE_SIZE = 200
# The preview's filters (PreviewFilterForm, less the library).
PREVIEW_FILTERS = ("group", "reason", "changed", "q")


class PreviewRow(PlanRow):
    """A stored plan line as the preview shows it."""

    def __init__(self, move: PlannedMove) -> None:
        super().__init__(
            move.source,
            move.target,
            label=Reason(move.reason).label,
            tone=reason_tone(move.reason),
            detail=move.detail,
            effects=move.effects,
            label_for=f"media-{move.media_id}" if move.reason == Reason.READY else "",
        )
        self.move = move


def _plan_rows(library: Library, form: PreviewFilterForm) -> QuerySet[PlannedMove]:
    """The rows the preview lists, in page order."""
    rows = PlannedMove.objects.filter(library=library)
    reason = form.cleaned_data.get("reason")
    if not reason:
        rows = rows.filter(listed=True)
    elif reason != "all":
        rows = rows.filter(reason=reason)
    return _narrowed(rows, form).order_by("group_key", "source")


def _renames(library: Library, form: PreviewFilterForm) -> QuerySet[PlannedMove]:
    """The renames among the rows listed: what "select all" selects, over every page.
    (A rename is always listed, so this reads planned_reason_changed_idx alone.)"""
    rows = PlannedMove.objects.filter(library=library, reason=Reason.READY)
    if form.cleaned_data.get("reason") not in ("", "all", Reason.READY):
        return rows.none()
    return _narrowed(rows, form).order_by()


def _narrowed(rows: QuerySet[PlannedMove], form: PreviewFilterForm) -> QuerySet[PlannedMove]:
    """The rows of one show or movie, changed part and search, as the filters say."""
    if group := form.cleaned_data.get("group"):
        rows = rows.filter(group_key=group.casefold())
    if changed := form.cleaned_data.get("changed"):
        rows = rows.filter(changed=changed)
    if q := form.cleaned_data.get("q"):
        rows = rows.filter(Q(source__icontains=q) | Q(target__icontains=q))
    return rows


def _filters(form: PreviewFilterForm) -> dict[str, str]:
    """The preview's filters that are set, as the query string and the forms carry them."""
    return {
        name: str(value)
        for name, value in form.cleaned_data.items()
        if name in PREVIEW_FILTERS and value
    }


def _matching_renames(library: Library, form: PreviewFilterForm, plan: LibraryPlan | None) -> int:
    """How many renames match the filters: what "select all" selects, over every page."""
    if plan is None:
        return 0
    every = form.cleaned_data.get("reason") in ("", "all", Reason.READY)
    if every and not _filters(form).keys() - {"reason"}:
        return int(plan.counts.get(Reason.READY, 0))  # counted when the plan was stored
    return _renames(library, form).count()


def _preview_url(library: Library, filters: dict[str, str]) -> str:
    return f"{reverse('library:rename')}?{urlencode({'library': library.pk, **filters})}"


@require_GET
def rename_preview(request: HttpRequest) -> HttpResponse:
    """The stored plan of one library, a page at a time: what would be renamed, and
    why anything else stays."""
    first = Library.objects.first()
    # With no query, the first library, unfiltered.
    form = PreviewFilterForm(request.GET or ({"library": first.pk} if first else None))
    if form.is_bound and not form.is_valid():
        return render(request, "library/rename_preview.html", {"form": form}, status=400)
    library = form.cleaned_data["library"] if form.is_bound else None
    context: dict[str, Any] = {"form": form, "library": library}
    if library is not None:
        plan = plan_stored(library)
        page = CappedPaginator(_plan_rows(library, form), PREVIEW_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        rows = [PreviewRow(move) for move in page]
        counts = Counter(plan.counts if plan else {})
        updating = plan_updating(library)
        filters = _filters(form)
        query = urlencode(filters | {"library": library.pk})
        digest = plan.digest if plan else ""
        context.update(
            plan=plan,
            updating=updating,
            stale=updating is not None or not plan_current(library, plan),
            page_obj=page,
            query=query,
            filters=filters,
            # The selection bar's: its selection is of this plan under these filters.
            bar_key=f"rename:{library.pk}:{digest}:{query}",
            bar_fields={"library": library.pk, "digest": digest},
            matching=_matching_renames(library, form, plan),
            # Rows are ordered by group, so a page regroups by runs.
            groups=[(group, list(items)) for group, items in groupby(rows, lambda r: r.move.group)],
            page_ready=any(row.ready for row in rows),
            counts=counts,
            # Files that stay, counted by reason, most common first, ties in the
            # order reasons are declared: the stored counts are a JSON object,
            # whose keys PostgreSQL (jsonb) keeps in an order of its own.
            stays=[
                (Reason(reason).label, count)
                for reason, count in sorted(
                    counts.items(), key=lambda item: (-item[1], list(Reason).index(item[0]))
                )
                if reason != Reason.READY
            ],
            stay_total=sum(counts.values()) - counts[Reason.READY],
            collisions=counts[Reason.COLLISION],
            ready=Reason.READY,
        )
    return render(request, "library/rename_preview.html", context)


def _queue_apply(
    request: HttpRequest, *, library: Library, files: int, **renames: Any
) -> HttpResponse:
    """Claim the library and queue the apply of `renames` (see library.tasks.apply_library)."""
    job = job_enqueue(
        kind=JobKind.APPLY,
        locks=[library_lock(library)],
        task=apply_library,
        user=request.user,
        library_id=library.pk,
        user_id=request.user.pk,
        **renames,
    )
    messages.success(request, f"Renaming {files} file(s) in {library}.")
    return redirect("job", pk=job.pk)


@require_POST
def rename_apply(request: HttpRequest) -> HttpResponse:
    """The renames ticked on one preview page."""
    form = ApplyForm(request.POST)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(map(str, error)))
        return redirect("library:rename")
    previewed = form.cleaned_data["previewed"]
    return _queue_apply(
        request,
        library=form.cleaned_data["library"],
        files=len(previewed),
        previewed=list(previewed.items()),
    )


@require_POST
def rename_apply_all(request: HttpRequest) -> HttpResponse:
    """Every rename of the plan, provided it is still the plan the preview showed."""
    form = ApplyAllForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That apply request was not valid; reload the preview.")
        return redirect("library:rename")
    library = form.cleaned_data["library"]
    back = redirect(f"{reverse('library:rename')}?library={library.pk}")
    try:
        plan = plan_as_seen(library, form.cleaned_data["digest"])
    except PlanChanged as exc:
        messages.error(request, str(exc))
        return back
    if not plan.counts.get(Reason.READY):
        messages.error(request, f"Nothing in {library} needs renaming.")
        return back
    return _queue_apply(
        request, library=library, files=plan.counts[Reason.READY], digest=plan.digest
    )


@require_POST
def rename_apply_selected(request: HttpRequest) -> HttpResponse:
    """The renames selected in the preview over every page of its filters (the page's
    script posts this): exactly those rows of the stored plan the user saw."""
    form = ApplySelectedForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That apply request was not valid; reload the preview.")
        return redirect("library:rename")
    library = form.cleaned_data["library"]
    back = redirect(_preview_url(library, _filters(form)))
    try:
        plan = plan_as_seen(library, form.cleaned_data["digest"])
    except PlanChanged as exc:
        messages.error(request, str(exc))
        return back
    # One read of the matching renames: a selection may name 100,000 ids, too many
    # for an IN list, and each is checked against the plan anyway.
    renames = _renames(library, form).values_list("media_id", "target")
    previewed = form.selected(renames, key=lambda rename: rename[0])
    if not previewed:
        messages.error(request, "No rename is selected: tick the files to rename.")
        return back
    if len(previewed) == plan.counts.get(Reason.READY):
        # The whole plan: the job reads it from the store instead of the queue.
        return _queue_apply(request, library=library, files=len(previewed), digest=plan.digest)
    return _queue_apply(request, library=library, files=len(previewed), previewed=previewed)


@require_POST
def rename_replan(request: HttpRequest) -> HttpResponse:
    """Plan the library again now (an out-of-date plan nobody is updating)."""
    form = LibraryPickForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That request was not valid; reload the preview.")
        return redirect("library:rename")
    job = plan_enqueue(form.cleaned_data["library"], user=request.user)
    return redirect("job", pk=job.pk)
