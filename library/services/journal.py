"""Single-operation journal updates, shared by apply, rollback and recovery.

The operation's new state and the media file's path are committed together,
so the database never says a file is somewhere it is not.
"""

from __future__ import annotations

import os

from django.db import transaction
from django.utils import timezone

from library.models import FileOperation, MediaFile


def _media_moved(operation: FileOperation, *, to: str) -> None:
    if operation.media_file_id is None:
        return
    MediaFile.objects.filter(pk=operation.media_file_id).update(
        path=to, name=os.path.basename(to), path_bytes=None, missing=False
    )


def operation_complete(operation: FileOperation) -> None:
    with transaction.atomic():
        operation.status = FileOperation.Status.COMPLETED
        operation.completed_at = timezone.now()
        operation.error = ""
        operation.save(update_fields=["status", "completed_at", "error"])
        _media_moved(operation, to=operation.new_path)


def operation_fail(operation: FileOperation, *, error: str, attention: bool = False) -> None:
    operation.status = FileOperation.Status.FAILED
    operation.error = error
    operation.needs_attention = attention
    operation.save(update_fields=["status", "error", "needs_attention"])


def operation_rollback_start(operation: FileOperation) -> None:
    """Journal a rollback before its file moves (see FileOperation.rollback_started_at)."""
    operation.rollback_started_at = timezone.now()
    operation.save(update_fields=["rollback_started_at"])


def operation_rollback_abandon(operation: FileOperation) -> None:
    """The file did not move back: the operation stays completed."""
    operation.rollback_started_at = None
    operation.save(update_fields=["rollback_started_at"])


def operation_rolled_back(operation: FileOperation) -> None:
    with transaction.atomic():
        operation.status = FileOperation.Status.ROLLED_BACK
        operation.rolled_back_at = timezone.now()
        operation.rollback_started_at = None
        operation.save(update_fields=["status", "rolled_back_at", "rollback_started_at"])
        _media_moved(operation, to=operation.original_path)
