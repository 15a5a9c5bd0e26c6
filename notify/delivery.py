"""Sending a Notification: in a thread of its own, retried with back-off, never raising.

Why a thread and not a queued task: serve runs one task worker, and a Plex
server that takes its time answering (every attempt waiting out its timeout)
would hold up the next apply behind it. The thread starts once the event's
rows are committed, after the file operations are finished; it writes only
its own Notification row. It is not a daemon, so a command (`manage.py
apply`) delivers before its process exits; the longest it can take is
bounded by the timeouts (see ATTEMPT_DELAYS and client.TIMEOUT).

Nothing here logs a token, a header or a webhook address.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from functools import partial
from typing import TypeVar

from django.db import connections
from django.utils import timezone

from notify import plex
from notify.client import http_request
from notify.errors import NotifyError
from notify.folders import refreshes_plan
from notify.models import Notification
from plexomatic_site.settings_store import settings_current

# Outcomes, one sentence each (host names and folders, never a token or an address's path).
logger = logging.getLogger("plexomatic.notify")
# Tracebacks of bugs, to the log file (see settings.LOGGING).
unexpected = logging.getLogger("plexomatic.unexpected")

# Pauses before the second and third attempts of a request that may pass.
ATTEMPT_DELAYS: tuple[float, ...] = (1.0, 4.0)

# Problems kept word for word on a row; the message counts them all.
PROBLEMS_KEPT = 100

T = TypeVar("T")

_threads: set[threading.Thread] = set()
_threads_lock = threading.Lock()


def with_retries(send: Callable[[], T], *, count: Callable[[], None]) -> T:
    """`send()`, again after each of ATTEMPT_DELAYS while it fails in a way that may pass."""
    for delay in ATTEMPT_DELAYS:
        count()
        try:
            return send()
        except NotifyError as exc:
            if not exc.retry:
                raise
        time.sleep(delay)
    count()
    return send()


def _finish(notification: Notification, *, problems: list[str], message: str) -> None:
    hidden = len(problems) - PROBLEMS_KEPT
    notification.problems = problems[:PROBLEMS_KEPT] + (
        [f"… and {hidden} more."] if hidden > 0 else []
    )
    notification.message = message
    notification.status = Notification.Status.FAILED if problems else Notification.Status.SENT
    notification.finished_at = timezone.now()
    notification.save()
    level = logging.WARNING if problems else logging.INFO
    logger.log(
        level,
        "%s after %s: %s %s",
        notification.get_target_display(),
        notification.event,
        message,
        " ".join(problems[:3]),
    )


def _count(notification: Notification) -> Callable[[], None]:
    def count() -> None:
        notification.attempts += 1

    return count


def plex_deliver(notification: Notification, *, url: str, token: str) -> None:
    """Ask Plex to scan each changed folder once; what could not be asked is a problem."""
    refreshes, problems = refreshes_plan(notification.payload["folders"])
    done: list[dict[str, str]] = []
    stopped = ""
    for refresh in refreshes:
        if stopped:
            problems.append(f"{refresh.path}: not sent ({stopped})")
            continue
        try:
            send = partial(
                plex.section_refresh,
                url=url,
                token=token,
                section=refresh.section,
                path=refresh.path,
            )
            with_retries(send, count=_count(notification))
        except NotifyError as exc:
            problems.append(f"{refresh.path}: {exc}")
            if exc.stop:
                stopped = "the server failed on an earlier folder"
            continue
        done.append({"section": refresh.section, "path": refresh.path})
    notification.payload = {**notification.payload, "refreshed": done}
    message = f"Plex was asked to scan {len(done)} folder(s)"
    if problems:
        message += f"; {len(problems)} could not be asked"
    _finish(notification, problems=problems, message=message + ".")


def webhook_deliver(notification: Notification, *, url: str) -> None:
    body = json.dumps(notification.payload).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "Plex-o-matic"}
    try:
        with_retries(
            lambda: http_request(url, method="POST", headers=headers, body=body),
            count=_count(notification),
        )
    except NotifyError as exc:
        _finish(notification, problems=[str(exc)], message="The webhook was not delivered.")
        return
    _finish(notification, problems=[], message="The webhook was delivered.")


def notification_deliver(notification: Notification) -> None:
    """Send it with the settings as they are now, and record how it went."""
    current = settings_current()
    key = "plex_url" if notification.target == Notification.Target.PLEX else "webhook_url"
    if not current[key]:
        _finish(
            notification,
            problems=["Its address was removed from the settings before it was sent."],
            message="Not sent.",
        )
        return
    try:
        if notification.target == Notification.Target.PLEX:
            plex_deliver(notification, url=current["plex_url"], token=current["plex_token"])
        else:
            webhook_deliver(notification, url=current["webhook_url"])
    except Exception:
        # A bug must not leave the row sending for ever; the traceback holds no secret
        # (tokens are only ever in local variables, which tracebacks do not print).
        unexpected.exception("Notification %s could not be sent", notification.pk)
        _finish(notification, problems=["Unexpected error (logged)."], message="Not sent.")


def _deliver_in_thread(pk: int) -> None:
    try:
        notification = Notification.objects.filter(pk=pk).first()
        if notification is not None:
            notification_deliver(notification)
    except Exception:
        unexpected.exception("Notification %s could not be sent", pk)
    finally:
        connections.close_all()  # this thread's own connections
        with _threads_lock:
            _threads.discard(threading.current_thread())


def deliveries_start(pks: Iterable[int]) -> None:
    for pk in pks:
        thread = threading.Thread(
            target=_deliver_in_thread, args=(pk,), name=f"plexomatic-notify-{pk}"
        )
        with _threads_lock:
            _threads.add(thread)
        thread.start()


def deliveries_wait(timeout: float | None = None) -> None:
    """Wait for the deliveries started so far (tests; a process about to exit)."""
    with _threads_lock:
        running = list(_threads)
    for thread in running:
        thread.join(timeout)
