from __future__ import annotations

import os

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from inbox.locks import import_locks
from inbox.models import InboxFolder
from inbox.services.inbox_import import inbox_plan_make
from inbox.services.inbox_plan import Choice
from inbox.tasks import import_inbox
from plexomatic_site.errors import JobError
from plexomatic_site.jobs import job_enqueue
from plexomatic_site.models import JobKind

# The preview's duplicate choices are posted as `choice:<path in the inbox>`.
CHOICE_FIELD = "choice:"


@require_GET
def inbox_list(request: HttpRequest) -> HttpResponse:
    inboxes = InboxFolder.objects.select_related(
        "library", "tv_library", "movie_library", "anime_library"
    )
    return render(request, "inbox/inbox_list.html", {"inboxes": inboxes})


@require_GET
def inbox_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """What an import would do now: each file's new path, and a choice per duplicate."""
    inbox = get_object_or_404(InboxFolder.objects.select_related("library"), pk=pk)
    try:
        plan = inbox_plan_make(inbox)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("inbox:list")
    root = inbox.path
    rows = [
        (os.path.relpath(item.plan.source, root), item) for item in [*plan.ready(), *plan.left()]
    ]
    return render(
        request,
        "inbox/inbox_preview.html",
        {
            "inbox": inbox,
            "rows": rows,
            "ready": len(plan.ready()),
            "settling": [os.path.relpath(path, root) for path in plan.collected.settling],
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
