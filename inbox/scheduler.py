"""The thread in `serve` that imports each enabled inbox every `inbox_import_minutes`.

An inbox is due when its last import job (by the button, the command's job or
this thread) started longer ago than the interval, so a restart does not
import again at once. Each import is queued as the button queues it, with the
same locks: one already queued or running makes the claim fail, and the inbox
waits for the next check.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone

from inbox.locks import import_locks
from inbox.models import InboxFolder
from inbox.tasks import import_inbox
from plexomatic_site.errors import JobError
from plexomatic_site.jobs import job_enqueue
from plexomatic_site.models import Job, JobKind
from plexomatic_site.periodic import PeriodicThread
from plexomatic_site.settings_store import setting_get

logger = logging.getLogger(__name__)


def inboxes_due(minutes: int) -> list[InboxFolder]:
    """The enabled inboxes whose last import started `minutes` ago or more (or never)."""
    since = timezone.now() - timedelta(minutes=minutes)
    recent = set(
        Job.objects.filter(kind=JobKind.IMPORT, created_at__gt=since).values_list(
            "lock_key", flat=True
        )
    )
    inboxes = InboxFolder.objects.filter(enabled=True).select_related(
        "library", "tv_library", "movie_library", "anime_library"
    )
    return [inbox for inbox in inboxes if str(import_locks(inbox)[0]) not in recent]


class InboxScheduler(PeriodicThread):
    """Checks every `check_every` seconds whether an inbox is due."""

    def __init__(self, *, check_every: float = 30.0) -> None:
        super().__init__(name="plexomatic-inbox", every=check_every)

    def run_due(self) -> None:
        minutes = setting_get("inbox_import_minutes")
        if not minutes:
            return
        for inbox in inboxes_due(minutes):
            try:
                job_enqueue(
                    kind=JobKind.IMPORT,
                    locks=import_locks(inbox),
                    task=import_inbox,
                    inbox_id=inbox.pk,
                    user_id=None,
                )
            except JobError as exc:
                logger.info("Scheduled import of “%s” waits: %s", inbox.name, exc)
            else:
                logger.info("Scheduled import of “%s” queued.", inbox.name)
