from __future__ import annotations

import os
from collections import Counter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from inbox.locks import import_locks
from inbox.models import InboxFolder
from inbox.services.inbox_import import inbox_plan_make
from inbox.services.inbox_plan import Choice, ImportItem
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


@require_GET
def inbox_list(request: HttpRequest) -> HttpResponse:
    inboxes = InboxFolder.objects.select_related(
        "library", "tv_library", "movie_library", "anime_library"
    )
    return render(request, "inbox/inbox_list.html", {"inboxes": inboxes})


def _import_row(item: ImportItem, root: str) -> PlanRow:
    """A file of the import plan, as the rename preview's rows: its path in the inbox,
    its path in the library, and how it gets there (or why it stays)."""
    plan = item.plan
    source = os.path.relpath(plan.source, root)
    if not plan.ready:
        return PlanRow(
            source,
            plan.target,
            label=plan.reason_label,
            tone=reason_tone(plan.reason),
            detail=plan.detail,
        )
    label = OperationType(item.kind).label if item.kind else Reason.READY.label
    return PlanRow(
        source, plan.target_display, label=label, tone="ok", detail=item.note, effects=plan.effects
    )


def _settling_row(path: str, root: str, suffixes: list[str]) -> PlanRow:
    """A file the import leaves for later: a partial-download name, or one still growing."""
    partial = path.endswith(tuple(suffixes))
    label = "partial download" if partial else "still being written"
    detail = "" if partial else "changed within the settle time; imported once it is still"
    return PlanRow(os.path.relpath(path, root), None, label=label, tone="warning", detail=detail)


@require_GET
def inbox_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """What an import would do now, in the rename preview's rows: each file's new path and
    how it gets there, a choice per duplicate, and why each other file stays."""
    inbox = get_object_or_404(InboxFolder.objects.select_related("library"), pk=pk)
    try:
        plan = inbox_plan_make(inbox)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("inbox:list")
    root = inbox.path
    suffixes = settings_current()["inbox_partial_suffixes"]
    rows = [
        (os.path.relpath(item.plan.source, root), _import_row(item, root), item)
        for item in [*plan.ready(), *plan.left()]
    ]
    settling = [_settling_row(path, root, suffixes) for path in plan.collected.settling]
    stays = Counter(row.reason_label for _, row, _ in rows if not row.ready)
    stays.update(row.reason_label for row in settling)
    if plan.collected.left:
        stays["sample, junk or hidden"] = plan.collected.left
    duplicates = sum(1 for item in plan.items if item.existing)
    return render(
        request,
        "inbox/inbox_preview.html",
        {
            "inbox": inbox,
            "rows": rows,
            "settling": settling,
            "ready": len(plan.ready()),
            "stays": stays.most_common(),
            "stay_total": sum(stays.values()),
            "duplicates": duplicates,
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


@require_POST
def inbox_import_view(request: HttpRequest, pk: int) -> HttpResponse:
    inbox = get_object_or_404(InboxFolder, pk=pk)
    try:
        job = job_enqueue(
            kind=JobKind.IMPORT,
            locks=import_locks(inbox),
            task=import_inbox,
            user=request.user,
            inbox_id=inbox.pk,
            user_id=request.user.pk,
            choices=_posted_choices(request),
        )
    except JobError as exc:
        messages.error(request, f"“{inbox.name}” was not imported. {exc}")
        return redirect("inbox:list")
    messages.info(request, f"Importing “{inbox.name}”…")
    return redirect("job", pk=job.pk)
