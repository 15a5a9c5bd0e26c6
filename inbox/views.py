from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from inbox.locks import import_locks
from inbox.models import InboxFolder
from inbox.tasks import import_inbox
from plexomatic_site.errors import JobError
from plexomatic_site.jobs import job_enqueue
from plexomatic_site.models import JobKind


@require_GET
def inbox_list(request: HttpRequest) -> HttpResponse:
    inboxes = InboxFolder.objects.select_related(
        "library", "tv_library", "movie_library", "anime_library"
    )
    return render(request, "inbox/inbox_list.html", {"inboxes": inboxes})


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
        )
    except JobError as exc:
        messages.error(request, f"“{inbox.name}” was not imported. {exc}")
        return redirect("inbox:list")
    messages.info(request, f"Importing “{inbox.name}”…")
    return redirect("job", pk=job.pk)
