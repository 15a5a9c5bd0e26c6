"""Journal updates shared by apply, rollback and recovery.

An operation's new state and its media file's path are always committed in
the same transaction, so the database never says a file is somewhere it is
not. Apply and rollback commit finished moves in groups (`JournalWriter`):
a crash before a group is committed leaves those operations as the
journal had them before the move, and crash recovery settles them from the
disk like any other interrupted move.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from library.models import FileOperation, MediaFile
from library.services.checksum import identities_settled
from library.services.fileops import folders_sync

# A group is committed after this many moves or this many seconds. Each commit first
# waits for its folders' fsync (a filesystem journal commit: ~2 ms on an idle disk,
# ~70 ms on a busy one), so groups are large; a crash leaves at most one group
# uncommitted, which recovery settles from the disk.
GROUP_SIZE = 1000
GROUP_SECONDS = 1.0


def _media_move(operations: list[FileOperation], *, to_new: bool) -> None:
    """Point each operation's media file at its path, in move order (so a chain never
    holds two rows on one path), with one prepared statement."""
    table = connection.ops.quote_name(MediaFile._meta.db_table)
    rows = []
    for op in operations:
        if op.media_file_id is not None:
            path = op.new_path if to_new else op.original_path
            rows.append((path, os.path.basename(path), False, op.media_file_id))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET path = %s, name = %s, path_bytes = NULL, missing = %s "  # noqa: S608
            "WHERE id = %s",
            rows,
        )


def _identities_store(operations: list[FileOperation]) -> None:
    """Each moved file's identity (see FileOperation.identity), with one prepared statement."""
    table = connection.ops.quote_name(FileOperation._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET identity = %s WHERE id = %s",  # noqa: S608
            [(op.identity, op.pk) for op in operations if op.identity],
        )


def _commit(operations: list[FileOperation], *, completed: bool) -> None:
    """One transaction: the operations' new status and their media files' paths, once
    the moves themselves are durable (their folders synced), so a power cut can never
    leave a row that says a move completed while the disk lost it."""
    folders_sync(path for op in operations for path in (op.original_path, op.new_path))
    if completed:  # outside the transaction: this may wait for the clock's next tick
        for op, identity in zip(
            operations, identities_settled(op.new_path for op in operations), strict=True
        ):
            op.identity = identity
    now = timezone.now()
    ids = [op.pk for op in operations]
    with transaction.atomic():
        if completed:
            FileOperation.objects.filter(pk__in=ids).update(
                status=FileOperation.Status.COMPLETED, completed_at=now, error=""
            )
            _identities_store(operations)
        else:
            FileOperation.objects.filter(pk__in=ids).update(
                status=FileOperation.Status.ROLLED_BACK,
                rolled_back_at=now,
                rollback_started_at=None,
            )
        _media_move(operations, to_new=completed)
    for op in operations:
        if completed:
            op.status, op.completed_at, op.error = FileOperation.Status.COMPLETED, now, ""
        else:
            op.status, op.rolled_back_at = FileOperation.Status.ROLLED_BACK, now
            op.rollback_started_at = None


def operation_complete(operation: FileOperation) -> None:
    _commit([operation], completed=True)


def operation_rolled_back(operation: FileOperation) -> None:
    _commit([operation], completed=False)


def operation_fail(operation: FileOperation, *, error: str, attention: bool = False) -> None:
    operation.status = FileOperation.Status.FAILED
    operation.error = error
    operation.needs_attention = attention
    operation.save(update_fields=["status", "error", "needs_attention"])


def operations_rollback_start(operations: list[FileOperation]) -> None:
    """Journal a rollback before any of its files move (see rollback_started_at)."""
    now = timezone.now()
    ids = [op.pk for op in operations]
    with transaction.atomic():
        for start in range(0, len(ids), 1000):
            FileOperation.objects.filter(pk__in=ids[start : start + 1000]).update(
                rollback_started_at=now
            )
    for op in operations:
        op.rollback_started_at = now


def operation_rollback_abandon(operation: FileOperation) -> None:
    """The file did not move back: the operation stays completed."""
    operation.rollback_started_at = None
    operation.save(update_fields=["rollback_started_at"])


class JournalWriter:
    """Commits finished moves in groups; `refused` is called for a move the database
    refused (e.g. a path another media row holds) so the caller can undo it."""

    def __init__(
        self, *, completed: bool, refused: Callable[[FileOperation, DatabaseError], None]
    ) -> None:
        self.completed = completed
        self.refused = refused
        self.pending: list[FileOperation] = []
        self.since = time.monotonic()

    def add(self, operation: FileOperation) -> None:
        self.pending.append(operation)
        if len(self.pending) >= GROUP_SIZE or time.monotonic() - self.since > GROUP_SECONDS:
            self.flush()

    def flush(self) -> None:
        group, self.pending, self.since = self.pending, [], time.monotonic()
        if not group:
            return
        try:
            _commit(group, completed=self.completed)
        except DatabaseError:
            # One row broke the group (a chain inside it, or a taken path):
            # commit one by one, in move order, to find it.
            for operation in group:
                try:
                    _commit([operation], completed=self.completed)
                except DatabaseError as exc:
                    self.refused(operation, exc)


def operations_outcome(operations: Sequence[FileOperation]) -> tuple[int, list[FileOperation]]:
    """After a batch's moves: how many operations completed, and the others (failed)."""
    done = [op for op in operations if op.status == FileOperation.Status.COMPLETED]
    return len(done), [op for op in operations if op.status != FileOperation.Status.COMPLETED]
