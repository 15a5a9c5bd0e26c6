from __future__ import annotations

import os
from collections.abc import Iterable

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from library.forms import LibraryForm, MediaFilterForm, ShowFilterForm
from library.models import Library, MediaFile
from library.selectors import extra_main, media_rows
from library.services.libraries import library_delete
from library.services.locks import library_lock
from library.services.media_counts import media_counts
from library.services.plex_check import library_plex_check, plex_check_counts
from library.services.show import show_seasons
from library.summaries import ScanSummary
from library.tasks import plans_enqueue_stale, scan_library
from plexomatic_site.jobs import LockKey, job_enqueue
from plexomatic_site.models import Job, JobKind
from plexomatic_site.pagination import CappedPaginator

PAGE_SIZE = 50
# Excluded files listed on the library page (the first, by path; the total is counted).
EXCLUDED_SHOWN = 100


def _latest_jobs(libraries: Iterable[Library]) -> dict[int, Job]:
    """Each library's newest job, read as one row per library however many it had."""
    keys = [str(library_lock(library)) for library in libraries]
    newest = (
        Job.objects.filter(lock_key__in=keys)
        .values("lock_key")
        .annotate(newest=Max("id"))
        .values("newest")
    )
    by_library: dict[int, Job] = {}
    for job in Job.objects.filter(pk__in=newest):
        library_id = LockKey.parse(job.lock_key).id
        if library_id is not None:
            by_library[library_id] = job
    return by_library


@require_GET
def library_list(request: HttpRequest) -> HttpResponse:
    libraries = list(Library.objects.all())
    jobs = _latest_jobs(libraries)
    counts = media_counts(libraries)
    rows = [(library, counts[library.pk], jobs.get(library.pk)) for library in libraries]
    return render(request, "library/library_list.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def library_add(request: HttpRequest) -> HttpResponse:
    form = LibraryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        library = form.save()
        messages.success(request, f"Added “{library.name}”. Scan it to find its media.")
        return redirect("library:detail", pk=library.pk)
    return render(request, "library/library_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def library_edit(request: HttpRequest, pk: int) -> HttpResponse:
    library = get_object_or_404(Library, pk=pk)
    form = LibraryForm(request.POST or None, instance=library)
    if request.method == "POST" and form.is_valid():
        form.save()
        plans_enqueue_stale()  # a new folder or kind changes every name of its plan
        messages.success(request, f"Saved “{library.name}”.")
        return redirect("library:detail", pk=library.pk)
    return render(request, "library/library_form.html", {"form": form, "library": library})


@require_http_methods(["GET", "POST"])
def library_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    library = get_object_or_404(Library, pk=pk)
    if request.method == "POST":
        removed = library_delete(library=library)
        messages.success(
            request,
            f"Removed “{library.name}” and its {removed} media rows. No file on disk was touched.",
        )
        return redirect("library:list")
    return render(
        request,
        "library/library_confirm_delete.html",
        {"library": library, "count": library.media_files.count()},
    )


@require_POST
def library_scan_view(request: HttpRequest, pk: int) -> HttpResponse:
    library = get_object_or_404(Library, pk=pk)
    job_enqueue(
        kind=JobKind.SCAN,
        locks=[library_lock(library)],
        task=scan_library,
        user=request.user,
        library_id=library.pk,
    )
    messages.info(request, f"Scanning “{library.name}”…")
    return redirect("library:detail", pk=library.pk)


@require_GET
def library_detail(request: HttpRequest, pk: int) -> HttpResponse:
    library = get_object_or_404(Library, pk=pk)
    form = MediaFilterForm(request.GET or None)
    media = MediaFile.objects.filter(library=library)
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"] != "all":
            media = media.filter(kind=data["kind"] or MediaFile.Kind.VIDEO)
        if data["q"]:
            media = media.filter(Q(name__icontains=data["q"]) | Q(title__icontains=data["q"]))
        if data["media_type"]:
            media = media.filter(media_type=data["media_type"])
        if data["title"]:
            media = media.filter(title=data["title"])
        if data["season"] is not None:
            media = media.filter(season=data["season"])
        if data["missing"]:
            media = media.filter(missing=data["missing"] == "yes")
        if data["conflict"]:
            media = media.exclude(conflict="")
        media = media.order_by(*MediaFilterForm.SORTS[data["sort"] or "name"], "pk")
    else:
        media = media.filter(kind=MediaFile.Kind.VIDEO).order_by("name", "pk")
        if form.is_bound:
            messages.error(request, "Some filters are not valid; showing every video.")
    page = CappedPaginator(media, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = media_rows(page.object_list, library_id=library.pk)
    query = request.GET.copy()
    query.pop("page", None)
    job = _latest_jobs([library]).get(library.pk)
    last_scan = ScanSummary.from_json(library.last_scan_summary or {})
    excluded = library.excluded_files.order_by("path")[:EXCLUDED_SHOWN]
    return render(
        request,
        "library/library_detail.html",
        {
            "library": library,
            "form": form,
            "page_obj": page,
            "query": query.urlencode(),
            "job": job,
            "plex_check": plex_check_counts(library),
            "last_scan": last_scan if library.last_scan_summary else None,
            # Shown relative to the library's folder, as the rename preview shows paths.
            "excluded": [
                (os.path.relpath(row.path, library.root_path), row.rule, row.folder)
                for row in excluded
            ],
            "excluded_total": last_scan.excluded + last_scan.excluded_folders,
        },
    )


@require_GET
def plex_check_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Every file whose current path Plex may misread, and why (renamed or not)."""
    library = get_object_or_404(Library, pk=pk)
    check = library_plex_check(library=library)
    page = Paginator(check.files, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "library/plex_check.html",
        {"library": library, "check": check, "page_obj": page, "query": ""},
    )


@require_GET
def media_detail(request: HttpRequest, pk: int, media_pk: int) -> HttpResponse:
    """One file: what was recognised, and the evidence (name, folders, the deciding rule)."""
    media = get_object_or_404(
        MediaFile.objects.select_related("library", "video"), pk=media_pk, library_id=pk
    )
    return render(
        request,
        "library/media_detail.html",
        {"media": media, "library": media.library, "extra_of": extra_main(media)},
    )


@require_GET
def show_detail(request: HttpRequest, pk: int) -> HttpResponse:
    library = get_object_or_404(Library, pk=pk)
    form = ShowFilterForm(request.GET)
    if not form.is_valid():
        messages.error(request, "That show address is not valid; pick the show from the list.")
        return redirect("library:detail", pk=library.pk)
    title, year = form.cleaned_data["title"], form.cleaned_data["year"]
    seasons = show_seasons(library=library, title=title, year=year)
    if not seasons:
        messages.error(request, f"No episodes of “{title}” in {library.name}.")
        return redirect("library:detail", pk=library.pk)
    return render(
        request,
        "library/show_detail.html",
        {"library": library, "title": title, "seasons": seasons},
    )
