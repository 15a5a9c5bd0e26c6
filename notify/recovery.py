"""Notifications a stopped process left "sending", settled when `recover` runs (at the
start of `serve` and `db_worker`).

A delivery's retries and back-off all happen in the thread that sends it, within
Notification.GIVE_UP_AFTER; nothing sends a row again later. So a row whose
process is gone (its pid, on this host) or that is older than any delivery
lasts (a row of another host) failed, and says so.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from notify.models import Notification
from plexomatic_site.jobs import process_alive, worker_host

CUT_OFF = (
    "Not sent: the process sending it stopped (Plex-o-matic was stopped or killed); "
    "it is not sent again."
)


def notifications_settle(**_signal: Any) -> str:
    """Mark the rows a stopped process left sending as failed; a sentence when any were."""
    sending = Notification.objects.filter(status=Notification.Status.SENDING)
    here = Q(hostname__iexact=worker_host(), pid__isnull=False)
    pids = sending.filter(here).values_list("pk", "pid")
    dead = [pk for pk, pid in pids if pid is not None and not process_alive(pid)]
    old = ~here & Q(created_at__lt=timezone.now() - Notification.GIVE_UP_AFTER)
    fields = {
        "status": Notification.Status.FAILED,
        "problems": [CUT_OFF],
        "message": "Not sent.",
        "finished_at": timezone.now(),
    }
    settled = sending.filter(Q(pk__in=dead) | old).update(**fields)
    return f"Settled {settled} notification(s) a stopped process left sending." if settled else ""
