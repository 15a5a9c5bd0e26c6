from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from itertools import groupby
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from inbox.forms import ImportFilterForm, ImportSelectedForm
from inbox.locks import import_locks
from inbox.models import InboxFolder
from inbox.services.inbox_import import inbox_plan_make
from inbox.services.inbox_plan import Choice, ImportItem, ImportPlan
from inbox.tasks import import_inbox
from library.models import FileOperation
from library.services.plan import Reason
from library.views.plan_rows import PlanRow, reason_tone
from plexomatic_site.errors import JobError
from plexomatic_site.jobs import job_enqueue
from plexomatic_site.models import JobKind
from plexomatic_site.settings_store import settings_current

OperationType = FileOperation.OperationType

# The preview's duplicate choices are posted as `choice:<path in the inbox>`.
CHOICE_FIELD = "choice:"
# Rows per preview page: each ticked row posts a field, and Django refuses a form of
# more than DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000).
PAGE_SIZE = 200
FILTERS = ("status", "q")
STAYS_GROUP = "Stays in the inbox"


@require_GET
def inbox_list(request: HttpRequest) -> HttpResponse:
    inboxes = InboxFolder.objects.select_related(
        "library", "tv_library", "movie_library", "anime_library"
    )
    return render(request, "inbox/inbox_list.html", {"inboxes": inboxes})


@dataclass
class ImportLine:
    """A file of the inbox as the import preview lists it: its plan row, the group it is
    listed under, and its plan item (none for a file still being written)."""

    relative: str
    row: PlanRow
    group: str
    item: ImportItem | None = None

    @property
    def pickable(self) -> bool:
        """Whether it has a checkbox: it is imported, or its duplicate choice may import it."""
        return self.item is not None and (self.row.ready or bool(self.item.existing))

    def matches(self, filters: dict[str, Any]) -> bool:
        status, q = filters.get("status"), filters.get("q")
        if status == ImportFilterForm.IMPORT and not self.row.ready:
            return False
        if status == ImportFilterForm.STAYS and self.row.ready:
            return False
        if status == ImportFilterForm.DUPLICATE and not (self.item and self.item.existing):
            return False
        return not q or q.casefold() in f"{self.relative}\n{self.row.target}".casefold()


def _import_row(item: ImportItem, relative: str, label_for: str) -> PlanRow:
    """A file of the import plan, as the rename preview's rows: its path in the inbox,
    its path in the library, and how it gets there (or why it stays)."""
    plan = item.plan
    if not plan.ready:
        return PlanRow(
            relative,
            plan.target,
            label=plan.reason_label,
            tone=reason_tone(plan.reason),
            detail=plan.detail,
            label_for=label_for if item.existing else "",
        )
    label = OperationType(item.kind).label if item.kind else Reason.READY.label
    return PlanRow(
        relative,
        plan.target_display,
        label=label,
        tone="ok",
        detail=item.note,
        effects=plan.effects,
        label_for=label_for,
    )


def _settling_row(path: str, root: str, suffixes: list[str]) -> PlanRow:
    """A file the import leaves for later: a partial-download name, or one still growing."""
    partial = path.endswith(tuple(suffixes))
    label = "partial download" if partial else "still being written"
    detail = "" if partial else "changed within the settle time; imported once it is still"
    return PlanRow(os.path.relpath(path, root), None, label=label, tone="warning", detail=detail)


def _lines(plan: ImportPlan) -> list[ImportLine]:
    """Every file of the inbox in the preview's order: by the library it goes to, then
    the files that stay; by path within each."""
    root = os.path.normpath(plan.inbox.path)
    suffixes = settings_current()["inbox_partial_suffixes"]
    lines: list[ImportLine] = []
    for item in [*plan.ready(), *plan.left()]:
        relative = plan.relative(item)
        row = _import_row(item, relative, label_for=f"file-{len(lines)}")
        group = f"Into {item.library}" if row.ready else STAYS_GROUP
        lines.append(ImportLine(relative, row, group, item))
    lines += [
        ImportLine(os.path.relpath(path, root), _settling_row(path, root, suffixes), STAYS_GROUP)
        for path in plan.collected.settling
    ]
    return sorted(lines, key=lambda line: (line.group == STAYS_GROUP, line.group, line.relative))


def _plan_or_back(request: HttpRequest, inbox: InboxFolder) -> ImportPlan | None:
    """The inbox's import plan now, or None with the reason told (the inbox is refused)."""
    try:
        return inbox_plan_make(inbox)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None


def _filters(form: ImportFilterForm) -> dict[str, str]:
    return {name: value for name, value in form.cleaned_data.items() if name in FILTERS and value}


@require_GET
def inbox_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """What an import would do now, in the rename preview's workbench: each file's new
    path and how it gets there, a choice per duplicate, and why each other file stays;
    a page at a time, filtered, with a selection over every page."""
    inbox = get_object_or_404(InboxFolder.objects.select_related("library"), pk=pk)
    form = ImportFilterForm(request.GET)
    if not form.is_valid():
        context = {"inbox": inbox, "form": form, "choices": Choice.choices}
        return render(request, "inbox/inbox_preview.html", context, status=400)
    plan = _plan_or_back(request, inbox)
    if plan is None:
        return redirect("inbox:list")
    lines = _lines(plan)
    filters = _filters(form)
    listed = [line for line in lines if line.matches(filters)]
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    stays = Counter(line.row.reason_label for line in lines if not line.row.ready)
    if plan.collected.left:
        stays["sample, junk or hidden"] = plan.collected.left
    query = urlencode(filters)
    return render(
        request,
        "inbox/inbox_preview.html",
        {
            "inbox": inbox,
            "form": form,
            "filters": filters,
            "query": query,
            "bar_key": f"inbox:{inbox.pk}:{query}",
            "page_obj": page,
            "groups": [(group, list(run)) for group, run in groupby(page, lambda line: line.group)],
            "page_pickable": any(line.pickable for line in page),
            "matching": sum(1 for line in listed if line.pickable),
            "listed_any": bool(lines),
            "ready": len(plan.ready()),
            "stays": stays.most_common(),
            "stay_total": sum(stays.values()),
            "duplicates": sum(1 for item in plan.items if item.existing),
            "errors": plan.collected.errors,
            "choices": Choice.choices,
        },
    )


def _posted_choices(request: HttpRequest) -> dict[str, str]:
    """The duplicates' choices from the preview: `choice:<path in the inbox>` fields."""
    return {
        key.removeprefix(CHOICE_FIELD): value
        for key in request.POST
        if key.startswith(CHOICE_FIELD) and (value := request.POST[key]) in Choice.values
    }


def _posted_files(
    request: HttpRequest, inbox: InboxFolder, choices: dict[str, str]
) -> list[str] | None:
    """The files to import, by their path in the inbox, as the preview posted them: the
    workbench's selection over every page of its filters, the files ticked on one page
    (`scope=page`, without the script), or None for every file."""
    if "selection" not in request.POST:
        return request.POST.getlist("file") if request.POST.get("scope") == "page" else None
    form = ImportSelectedForm(request.POST)
    if not form.is_valid():
        raise JobError("That import request was not valid; reload the preview.")
    plan = inbox_plan_make(inbox, choices=choices)
    filters = _filters(form)
    pickable = [line for line in _lines(plan) if line.pickable and line.matches(filters)]
    return [line.relative for line in form.selected(pickable, key=lambda line: line.relative)]


@require_POST
def inbox_import_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Import the files the preview posted (see _posted_files), as a job."""
    inbox = get_object_or_404(InboxFolder, pk=pk)
    choices = _posted_choices(request)
    try:
        files = _posted_files(request, inbox, choices)
        if files == []:
            raise JobError("No file is selected: tick the files to import.")
        job = job_enqueue(
            kind=JobKind.IMPORT,
            locks=import_locks(inbox),
            task=import_inbox,
            user=request.user,
            inbox_id=inbox.pk,
            user_id=request.user.pk,
            choices=choices,
            only=files,
        )
    except (JobError, ValidationError) as exc:
        why = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, f"“{inbox.name}” was not imported. {why}")
        return redirect("inbox:preview", pk=inbox.pk)
    what = "every file" if files is None else f"{len(files)} file(s)"
    messages.info(request, f"Importing {what} of “{inbox.name}”…")
    return redirect("job", pk=job.pk)
