"""The receivers of plexomatic_site.events: what finished work announced, sent on.

`changes_notify` hears `files_changed` (the end of an apply, a rollback or an
import, once every file operation is settled); `backup_failed_notify` hears
`backup_failed`. Each only records what to send (a Notification row per
configured target) and starts its delivery in a thread (see delivery), so it
returns at once; and it never raises: telling Plex is never a reason for a
file job to fail.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from library.models import FileOperation
from notify.delivery import deliveries_start
from notify.folders import folders_changed
from notify.models import Notification
from plexomatic_site.models import JobKind
from plexomatic_site.settings_store import settings_current
from plexomatic_site.summaries import JobSummary

unexpected = logging.getLogger("plexomatic.unexpected")


def webhook_body(
    *, event: str, text: str, summary: dict[str, Any], batch: int | None
) -> dict[str, Any]:
    """The JSON a webhook receives: the event, its batch, its counts and its failures.

    `text` is the sentence a chat webhook (Slack's, Mattermost's) shows as the message.
    """
    return {
        "event": event,
        "text": f"Plex-o-matic: {text}",
        "batch": batch,
        # Whole numbers, and counts by reason (an apply's skipped files).
        "counts": {
            key: value
            for key, value in summary.items()
            if isinstance(value, int | dict) and not isinstance(value, bool) and key != "batch"
        },
        "failures": [
            text for value in summary.values() if isinstance(value, list) for text in value
        ],
        "at": timezone.now().isoformat(),
    }


def _record(rows: list[Notification]) -> None:
    for row in rows:
        row.save()
    pks = [row.pk for row in rows]
    transaction.on_commit(lambda: deliveries_start(pks))


def changes_notify(
    sender: object, *, operations: Iterable[FileOperation], summary: JobSummary, **kwargs: Any
) -> None:
    """Tell Plex which folders changed, and the webhook what happened, without waiting.

    `operations`: those the job worked on; the ones whose file moved are completed
    (an apply or import) or rolled back (a rollback). `summary`: the job's.
    """
    try:
        _changes_notify(list(operations), summary)
    except Exception:
        unexpected.exception("Could not record the notifications after a %s", summary.kind)


def _changes_notify(operations: list[FileOperation], summary: JobSummary) -> None:
    current = settings_current()
    if not operations or not (current["plex_url"] or current["webhook_url"]):
        return
    moved = (
        FileOperation.Status.ROLLED_BACK
        if summary.kind == JobKind.ROLLBACK
        else FileOperation.Status.COMPLETED
    )
    batch = operations[0].batch_id
    folders = folders_changed(
        (op.original_path, op.new_path) for op in operations if op.status == moved
    )
    rows = []
    if current["plex_url"] and folders:
        rows.append(
            Notification(
                event=summary.kind,
                target=Notification.Target.PLEX,
                batch_id=batch,
                payload={"folders": folders},
            )
        )
    if current["webhook_url"]:
        body = webhook_body(
            event=summary.kind,
            text=f"{summary.kind.label}: {summary.headline()}",
            summary=summary.to_json(),
            batch=batch,
        )
        rows.append(
            Notification(
                event=summary.kind,
                target=Notification.Target.WEBHOOK,
                batch_id=batch,
                payload=body,
            )
        )
    _record(rows)


def backup_failed_notify(sender: object, *, reason: str, **kwargs: Any) -> None:
    """Tell the webhook a backup failed (`reason`: the failure's sentence)."""
    try:
        if settings_current()["webhook_url"]:
            body = webhook_body(
                event="backup_failed",
                text=f"a backup failed. {reason}",
                summary={"failures": [reason]},
                batch=None,
            )
            _record(
                [
                    Notification(
                        event="backup_failed", target=Notification.Target.WEBHOOK, payload=body
                    )
                ]
            )
    except Exception:
        unexpected.exception("Could not record the notification of a failed backup")
