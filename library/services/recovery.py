"""Crash recovery: settle every interrupted operation from what is on disk.

An apply journals each operation as `pending` before moving its file; a
rollback sets `rollback_started_at` before moving it back. After a crash,
each such operation is settled by looking at both paths, never by guessing:

- the file is only at the destination: the move happened (its checksum is
  verified); apply → `completed`, rollback → `rolled_back`;
- the file is only at the source: it never moved; apply → `failed` with
  "interrupted before the file moved" (nothing to undo), rollback → stays
  `completed`;
- both paths exist and are the same file (a link + unlink move cut in
  half): the extra name is removed and the move counts as done;
- both exist as different files, neither exists, or the checksum differs:
  `failed` with `needs_attention`, shown on the overview for a person to
  decide.

A half-written cross-filesystem copy (`.plexomatic-op<id>.partial` beside
the target) is ours and is deleted while the source is still there.

An import's move (from its inbox) and a replaced file's move to the recycle
folder settle like any move. Its copies and links settle by what the new
name is: the link to the original (same inode, or a symbolic link to it) or
a copy with the journaled checksum means done, nothing there means not done
(the original stays in the inbox), anything else needs a person; an
interrupted removal by rollback is done when the name is gone.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Literal

from django.db.models import Q

from library.errors import UnknownChecksum
from library.models import FileOperation, Library
from library.services.checksum import checksum_matches
from library.services.fileops import temp_path_for
from library.services.journal import (
    operation_complete,
    operation_fail,
    operation_rollback_abandon,
    operation_rolled_back,
)
from library.services.locks import library_lock
from library.services.plan_store import plan_refresh
from library.services.rollback import ADDED, operation_library, paths_allowed
from library.summaries import RecoverySummary
from plexomatic_site.jobs import JobBusy, job_run, jobs_claim, worker_host
from plexomatic_site.models import JobKind
from plexomatic_site.progress import Progress, progress_ignore

MOVED, NOT_MOVED, ATTENTION = "moved", "not_moved", "attention"


# How one interrupted operation was settled: the RecoveryResult count it adds to.
Outcome = Literal["completed", "not_moved", "rolled_back", "flagged"]


@dataclass
class RecoveryResult:
    completed: int = 0
    not_moved: int = 0
    rolled_back: int = 0
    flagged: int = 0
    busy: list[str] = field(default_factory=list)
    unavailable: list[str] = field(default_factory=list)
    # Pinned to another worker host, whose db_worker settles them when it starts.
    elsewhere: list[str] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    @property
    def settled(self) -> int:
        return self.completed + self.not_moved + self.rolled_back + self.flagged


def _settle(source: str, destination: str, checksum: str, temp: str) -> tuple[str, str]:
    """Where the file is: (MOVED | NOT_MOVED | ATTENTION, why)."""
    at_source, at_destination = os.path.lexists(source), os.path.lexists(destination)
    if at_source and os.path.lexists(temp):
        os.unlink(temp)  # our unfinished copy; the source is whole
    if at_source and at_destination:
        if os.path.samefile(source, destination):
            os.unlink(source)
            return MOVED, ""
        return ATTENTION, (
            f"Interrupted: a file is at both {source} and {destination}. "
            "Check which to keep; nothing was changed."
        )
    if at_source:
        return NOT_MOVED, ""
    if not at_destination:
        return ATTENTION, (
            f"Interrupted: the file is at neither {source} nor {destination}. "
            "It may have been moved or deleted by something else."
        )
    try:
        verified = not checksum or checksum_matches(destination, checksum)
    except (OSError, UnknownChecksum):
        verified = False
    if not verified:
        return ATTENTION, (
            f"Interrupted: the file at {destination} does not match the journaled checksum."
        )
    return MOVED, ""


def _settle_added(operation: FileOperation, *, applying: bool) -> tuple[str, str]:
    """Where an import's copy or link is: (MOVED | NOT_MOVED | ATTENTION, why). MOVED
    means the import's (applying) or the rollback's (not applying) change is on disk."""
    original, new = operation.original_path, operation.new_path
    temp = temp_path_for(new, f"op{operation.pk}")
    if os.path.lexists(temp):
        os.unlink(temp)  # our unfinished copy; the original is untouched
    added = _added_intact(operation)
    if not applying:
        # The rollback removes the name last: it is either still there, or gone.
        if os.path.lexists(new):
            return NOT_MOVED, ""
        if os.path.lexists(original):
            return MOVED, ""
        return ATTENTION, (
            f"Interrupted: neither {original} nor its copy or link at {new} is there."
        )
    if added:
        return MOVED, ""
    if os.path.lexists(new):
        return ATTENTION, (
            f"Interrupted: {new} is not the copy or link the import was making. "
            "Check which to keep; nothing was changed."
        )
    if os.path.lexists(original):
        return NOT_MOVED, ""
    return ATTENTION, f"Interrupted: the file is no longer at {original}, and was not imported."


def _added_intact(operation: FileOperation) -> bool:
    """Whether the new name is what the import made: the link to the original, or a copy
    with the journaled checksum."""
    original, new = operation.original_path, operation.new_path
    try:
        if operation.operation_type == FileOperation.OperationType.SYMLINK:
            return os.path.islink(new) and os.readlink(new) == original
        if operation.operation_type == FileOperation.OperationType.HARDLINK:
            return os.path.samefile(new, original)
        return bool(operation.checksum) and checksum_matches(new, operation.checksum)
    except (OSError, UnknownChecksum):
        return False


def _recover_apply(operation: FileOperation, state: str, why: str) -> Outcome:
    """Settle an interrupted apply's move."""
    if state == MOVED:
        operation_complete(operation)
        return "completed"
    if state == NOT_MOVED:
        operation_fail(
            operation, error="Interrupted before this file moved; it is still at its original path."
        )
        return "not_moved"
    operation_fail(operation, error=why, attention=True)
    return "flagged"


def _recover_rollback(operation: FileOperation, state: str, why: str) -> Outcome:
    """Settle an interrupted rollback's move back."""
    if state == MOVED:
        operation_rolled_back(operation)
        return "rolled_back"
    operation_rollback_abandon(operation)
    if state == NOT_MOVED:
        return "not_moved"
    operation.needs_attention, operation.error = True, why
    operation.save(update_fields=["needs_attention", "error"])
    return "flagged"


def _recover_one(operation: FileOperation, result: RecoveryResult) -> None:
    # A pending operation is an apply's move; a completed one with a rollback
    # started is a move back: the same question (where is the file?) the other way.
    applying = operation.status == FileOperation.Status.PENDING
    settle = _recover_apply if applying else _recover_rollback
    if operation.operation_type in ADDED:
        result.add(settle(operation, *_settle_added(operation, applying=applying)))
        return
    source, destination, token = (
        (operation.original_path, operation.new_path, f"op{operation.pk}")
        if applying
        else (operation.new_path, operation.original_path, f"rb{operation.pk}")
    )
    state, why = _settle(source, destination, operation.checksum, temp_path_for(destination, token))
    result.add(settle(operation, state, why))


def operations_recover(*, progress: Progress = progress_ignore) -> RecoveryResult:
    """Settle interrupted applies and rollbacks. Libraries busy with a live job, whose
    folder is not there (an unmounted drive), or pinned to another worker host (here its
    folder may be an empty mount point), are skipped and left for a later run."""
    interrupted = list(
        FileOperation.objects.filter(
            Q(status=FileOperation.Status.PENDING)
            | Q(status=FileOperation.Status.COMPLETED, rollback_started_at__isnull=False)
        )
        .select_related("batch__library")
        .order_by("id")
    )
    result = RecoveryResult()
    libraries = list(Library.objects.all())
    by_library: dict[Library | None, list[FileOperation]] = {}
    for operation in interrupted:
        by_library.setdefault(operation_library(operation, libraries), []).append(operation)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        progress(done, len(interrupted), "Recovering")

    for library, operations in by_library.items():
        if library is None:
            # Paths outside every library are never touched, only reported.
            for operation in operations:
                operation_fail(
                    operation,
                    error="Interrupted, and its paths are outside every library.",
                    attention=True,
                )
                result.flagged += 1
            continue
        if library.worker_host not in ("", worker_host()):
            result.elsewhere.append(library.name)
            continue
        root = os.path.normpath(library.root_path)
        if not os.path.isdir(root):
            # An unmounted drive would look like "file at neither path": wait for it.
            result.unavailable.append(library.name)
            continue
        try:
            jobs = jobs_claim(kind=JobKind.RECOVER, locks=[library_lock(library)])
        except JobBusy:
            result.busy.append(library.name)
            continue
        job_run(
            jobs,
            partial(_recover_library, library, operations, result=result, settled_one=tick),
        )
    return result


def _recover_library(
    library: Library,
    operations: list[FileOperation],
    *,
    progress: Progress,
    result: RecoveryResult,
    settled_one: Callable[[], None],
) -> RecoverySummary:
    """Settle one library's operations; the caller holds its lock.

    `progress` is the job's; the caller's counts across libraries (`settled_one`).
    """
    root = os.path.normpath(library.root_path)
    settled_before = result.settled
    for operation in operations:
        if paths_allowed(operation, root):
            _recover_one(operation, result)
        settled_one()
    settled = result.settled - settled_before
    if settled:
        plan_refresh(library)  # settled moves changed paths the stored plan holds
    return RecoverySummary(library_id=library.pk, settled=settled)
