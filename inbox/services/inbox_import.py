"""Importing an inbox: collect, plan, then apply the plan as one journaled batch.

The same journal as a rename (`apply.journal_write`): every operation is
committed `pending`, with the file's checksum, before any file is touched;
then each is done by its kind (`apply.operation_perform`: a move, a verified
copy, a hard link checked to be the same inode, or a symbolic link), never
over an existing name, and committed in groups (`JournalWriter`). A replaced
file is journaled and moved to the recycle folder before its successor
arrives. A failure fails that file (and its subtitles and extras) only; a crash
leaves pending operations that `operations_recover` settles from the disk.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from inbox.models import InboxFolder
from inbox.services.collect import inbox_collect
from inbox.services.folders import inbox_check
from inbox.services.inbox_plan import ImportItem, ImportPlan, inbox_plan
from inbox.services.recycle import recycle_empty, recycle_prepare
from inbox.summaries import ImportSummary
from library.models import Batch, FileOperation, Library
from library.services.apply import journal_write, operation_perform, operation_refused
from library.services.fileops import FolderCheck, error_text
from library.services.journal import JournalWriter, operation_fail, operations_outcome
from library.services.plan import PlanItem
from library.services.scan import ScanRules, library_scan
from library.summaries import ERRORS_KEPT
from plexomatic_site.events import files_changed
from plexomatic_site.progress import Progress, progress_ignore
from plexomatic_site.settings_store import settings_current

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


@dataclass
class ImportResult:
    plan: ImportPlan
    batch: Batch | None = None
    completed: int = 0
    failed: list[FileOperation] = field(default_factory=list)
    recycled_removed: int = 0

    def job_summary(self) -> ImportSummary:
        left: dict[str, int] = {}
        for item in self.plan.left():
            left[item.plan.reason_label] = left.get(item.plan.reason_label, 0) + 1
        return ImportSummary(
            inbox_id=self.plan.inbox.pk,
            batch=self.batch.pk if self.batch else None,
            completed=self.completed,
            failed=len(self.failed),
            left=dict(sorted(left.items())),
            settling=len(self.plan.collected.settling),
            failures=[f"{op.original_path}: {op.error}" for op in self.failed[:ERRORS_KEPT]],
            errors=self.plan.collected.errors[:ERRORS_KEPT],
        )


def inbox_plan_make(
    inbox: InboxFolder,
    *,
    choices: dict[str, str] | None = None,
    only: Collection[str] | None = None,
    now: float | None = None,
) -> ImportPlan:
    """What an import of the inbox would do now (nothing is touched); `choices` and
    `only` as `inbox_plan` takes them."""
    inbox_check(inbox)
    current = settings_current()
    collected = inbox_collect(
        os.path.normpath(inbox.path),
        rules=ScanRules.for_library(inbox.library or Library()),
        settle_seconds=current["inbox_settle_seconds"],
        partial_suffixes=current["inbox_partial_suffixes"],
        now=now,
    )
    return inbox_plan(
        inbox,
        collected,
        default_choice=current["inbox_duplicate_rule"],
        choices=choices,
        only=only,
    )


def _journal_items(plan: ImportPlan) -> tuple[list[PlanItem], dict[int, str]]:
    """The plan items to journal, in the order they are done (a replaced file's move to
    the recycle folder right before its successor), and each one's operation type."""
    items: list[PlanItem] = []
    kinds: dict[int, str] = {}
    for item in plan.ready():
        if item.recycle is not None:
            items.append(item.recycle)
            kinds[id(item.recycle)] = FileOperation.OperationType.RECYCLE
        items.append(item.plan)
        kinds[id(item.plan)] = item.kind
    return items, kinds


def _blocked(operation: FileOperation, item: ImportItem | None, failed: set[int]) -> str:
    """Why an operation must not run because one it depends on failed, or ''."""
    if item is None:
        return ""
    media = item.plan.media
    if media.video is not None and id(media.video) in failed:
        return "Not imported: its video could not be imported."
    if any(id(owner.media) in failed for owner in item.plan.owners):
        return "Not imported: its film or show could not be imported."
    if item.recycle is not None and id(item.recycle.media) in failed:
        return "Not imported: the file it replaces could not be moved to the recycle folder."
    return ""


def inbox_import(
    *,
    inbox: InboxFolder,
    choices: dict[str, str] | None = None,
    only: Collection[str] | None = None,
    user: User | AnonymousUser | None = None,
    progress: Progress = progress_ignore,
) -> ImportResult:
    """Import the inbox's settled files (`only` those, when given) into their libraries,
    as one batch; the caller holds the locks of the inbox and of its libraries."""
    current = settings_current()
    plan = inbox_plan_make(inbox, choices=choices, only=only)
    result = ImportResult(plan=plan)
    libraries = inbox.libraries()
    for library in libraries:
        result.recycled_removed += recycle_empty(
            os.path.normpath(library.root_path), days=current["inbox_recycle_days"]
        )
    ready = plan.ready()
    if not ready:
        progress(0, 0, "Nothing to import")
        return result
    for each in ready:
        if each.recycle is not None:
            recycle_prepare(each.recycle.root)
    items, kinds = _journal_items(plan)
    by_plan = {id(each.plan): each for each in ready}
    by_recycle = {id(each.recycle): each for each in ready if each.recycle is not None}
    batch, operations = journal_write(
        library=libraries[0] if len(libraries) == 1 else None,
        items=items,
        user=user,
        full=current["checksum_full_content"],
        progress=progress,
        batch_kind=Batch.Kind.IMPORT,
        source_folder=os.path.normpath(inbox.path),
        kind=lambda i: kinds[id(i)],
    )
    result.batch = batch
    inbox_folders = FolderCheck(inbox.path)
    folders = {lib.pk: FolderCheck(lib.root_path) for lib in plan.libraries()}
    # Only a recycled file has a row the database could refuse to move.
    writer = JournalWriter(completed=True, refused=operation_refused)
    failed: set[int] = set()
    total = len(operations)
    for done, (entry, operation) in enumerate(zip(items, operations, strict=True), start=1):
        item = by_plan.get(id(entry))
        owner = item or by_recycle[id(entry)]
        assert owner.library is not None
        library_folders = folders[owner.library.pk]
        if operation.status == FileOperation.Status.PENDING:
            why = _blocked(operation, item, failed)
            if why:
                operation_fail(operation, error=why)
            else:
                source = library_folders if item is None else inbox_folders
                try:
                    if operation_perform(operation, source=source, target=library_folders):
                        writer.add(operation)
                except OSError as exc:  # e.g. the recycle folder became unwritable
                    operation_fail(operation, error=error_text(exc))
        if operation.status == FileOperation.Status.FAILED:
            failed.add(id(entry.media))
        progress(done, total, "Importing files")
    writer.flush()
    result.completed, result.failed = operations_outcome(operations)
    for library in plan.libraries():
        # The new files get their rows (and the stored plan its lines) as a scan finds them.
        library_scan(library=library, progress=progress)
    files_changed.send(sender=FileOperation, operations=operations, summary=result.job_summary())
    return result
