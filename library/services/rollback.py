"""Undo completed operations: newest first, checksum verified, never overwriting.

Every operation is checked before any file moves (still completed, paths
inside a library, the file still at its new path with the identity journaled
after its move or, failing that, its journaled checksum); then the files move
back in reverse order, so a chain (a→b, b→c) unwinds cleanly. What cannot be
undone is reported with the reason and left as it is.

An import is undone by kind: a moved file moves back to its inbox; a copy or
a hard or symbolic link is removed only once the copy's checksum, the link's
inode or target is verified and the original is confirmed still there; a
file it replaced comes back from the recycle folder (a move like any other).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import DatabaseError

from library.errors import UnknownChecksum
from library.models import Batch, FileOperation, Library
from library.services.checksum import SAMPLED, checksum_all, checksum_matches, file_identity
from library.services.fileops import (
    MOVE_LEAVES_ROOT,
    FolderCheck,
    error_text,
    file_move,
    folders_remove_empty,
    rename_no_clobber,
)
from library.services.journal import (
    JournalWriter,
    operation_rollback_abandon,
    operations_rollback_start,
)
from library.services.paths import is_within
from library.services.plan_store import plan_outdate
from library.services.scan import library_scan
from library.summaries import ERRORS_KEPT, RollbackSummary
from plexomatic_site.events import files_changed
from plexomatic_site.progress import Progress, progress_ignore
from plexomatic_site.settings_store import setting_get


@dataclass
class RollbackProblem:
    operation: FileOperation
    reason: str


@dataclass
class RollbackResult:
    rolled_back: int = 0
    problems: list[RollbackProblem] = field(default_factory=list)
    folders_removed: int = 0

    def job_summary(self) -> RollbackSummary:
        return RollbackSummary(
            rolled_back=self.rolled_back,
            not_rolled_back=len(self.problems),
            problems=[
                f"operation {p.operation.pk} ({p.operation.new_path}): {p.reason}"
                for p in self.problems[:ERRORS_KEPT]
            ],
        )


def source_root(operation: FileOperation, root: str) -> str:
    """The folder the operation's original path must lie in: its library's, or for an
    import (but a replaced file's move to the recycle folder) its inbox's."""
    if operation.operation_type == FileOperation.OperationType.RECYCLE:
        return root
    return operation.batch.source_folder or root


def paths_allowed(operation: FileOperation, root: str) -> bool:
    """Whether the operation stays where it may: its new path inside the library at
    `root`, its original inside the library or the import's inbox."""
    return is_within(operation.new_path, root) and is_within(
        operation.original_path, source_root(operation, root)
    )


# The kinds an import adds a name with, the original staying: undone by removing the name.
ADDED = frozenset(
    {
        FileOperation.OperationType.COPY,
        FileOperation.OperationType.HARDLINK,
        FileOperation.OperationType.SYMLINK,
    }
)


def operation_library(operation: FileOperation, libraries: Iterable[Library]) -> Library | None:
    """The library holding the operation's paths (its batch's, when it has one)."""
    candidates = [operation.batch.library] if operation.batch.library else list(libraries)
    for library in candidates:
        if paths_allowed(operation, os.path.normpath(library.root_path)):
            return library
    return None


def rollback_libraries(operations: Iterable[FileOperation]) -> list[Library]:
    """Every library a rollback of these operations touches (their locks are needed)."""
    libraries = list(Library.objects.all())
    found = {operation_library(op, libraries) for op in operations}
    return sorted((lib for lib in found if lib is not None), key=lambda lib: lib.pk)


def _not_possible(operation: FileOperation, root: str | None) -> str:
    """Why the operation cannot be undone, or '' when it can (checked before moving)."""
    if operation.status == FileOperation.Status.ROLLED_BACK:
        when = operation.rolled_back_at
        return f"Already rolled back{f' on {when:%Y-%m-%d %H:%M} UTC' if when else ''}."
    if operation.status == FileOperation.Status.PENDING:
        return "Still pending from an interrupted apply; run `manage.py recover` first."
    if operation.status == FileOperation.Status.FAILED:
        return "It never completed, so there is nothing to undo."
    if root is None:
        return "Refused: its paths are not inside a library folder."
    if not os.path.lexists(operation.new_path):
        return f"The file is no longer at {operation.new_path}."
    if operation.operation_type in ADDED:
        return _added_not_removable(operation)
    if not operation.checksum:
        return "No checksum was journaled, so the file cannot be verified; not moved."
    try:
        if _unchanged_since_move(operation):
            return ""
        if not checksum_matches(operation.new_path, operation.checksum):
            return "The file changed since it was renamed (checksum mismatch); not moved."
    except (OSError, UnknownChecksum) as exc:
        return f"The file could not be verified: {error_text(exc)}"
    return ""


def _unchanged_since_move(operation: FileOperation) -> bool:
    """Whether the file is provably the one that moved, without reading it: the identity
    journaled after the move is unchanged. Not for a full-content checksum: whoever chose
    those asked for the content to be read."""
    return (
        bool(operation.identity)
        and operation.checksum.startswith(f"{SAMPLED}:")
        and file_identity(operation.new_path) == operation.identity
    )


def _added_not_removable(operation: FileOperation) -> str:
    """Why an import's copy or link cannot be removed, or '': it is still what the import
    made (the copy's checksum, the link's inode or target) and the original is still there."""
    original, new = operation.original_path, operation.new_path
    if not os.path.lexists(original):
        return f"The original is no longer at {original}, so its copy or link is kept."
    kind = operation.operation_type
    try:
        if kind == FileOperation.OperationType.SYMLINK:
            if not os.path.islink(new) or os.readlink(new) != original:
                return f"{new} is no longer the link to {original}; not removed."
        elif kind == FileOperation.OperationType.HARDLINK:
            if not _same_inode(new, original):
                return f"{new} is no longer the same file as {original}; not removed."
        elif not operation.checksum:
            return "No checksum was journaled, so the copy cannot be verified; not removed."
        elif not (
            checksum_matches(new, operation.checksum)
            and checksum_matches(original, operation.checksum)
        ):
            return "The copy or its original changed since the import (checksum mismatch)."
    except (OSError, UnknownChecksum) as exc:
        return f"The file could not be verified: {error_text(exc)}"
    return ""


def _same_inode(a: str, b: str) -> bool:
    first, second = os.lstat(a), os.lstat(b)
    return (first.st_dev, first.st_ino) == (second.st_dev, second.st_ino)


def _undo(operation: FileOperation, *, source: FolderCheck, target: FolderCheck) -> None:
    """Undo one verified operation: move its file back, or remove the copy or link an
    import added (a hard link checked once more right before)."""
    if not (target.holds(operation.new_path) and source.holds(operation.original_path)):
        raise PermissionError(errno.EPERM, MOVE_LEAVES_ROOT)
    if operation.operation_type not in ADDED:
        file_move(
            source=operation.new_path,
            target=operation.original_path,
            checksum=operation.checksum,
            token=f"rb{operation.pk}",
        )
    elif operation.operation_type == FileOperation.OperationType.HARDLINK and not _same_inode(
        operation.new_path, operation.original_path
    ):
        raise OSError(errno.EIO, "No longer the same file as the original; not removed")
    else:
        os.unlink(operation.new_path)


def operations_rollback(
    *, operations: Iterable[FileOperation], progress: Progress = progress_ignore
) -> RollbackResult:
    """Move each completed operation's file back to its original path."""
    ordered = sorted(operations, key=lambda op: op.pk, reverse=True)
    libraries = list(Library.objects.all())
    result = RollbackResult()
    found = [(operation, operation_library(operation, libraries)) for operation in ordered]
    roots = {
        library.pk: os.path.normpath(library.root_path)
        for _, library in found
        if library is not None
    }
    checks = {pk: FolderCheck(root) for pk, root in roots.items()}
    inboxes = {
        op.batch.source_folder: FolderCheck(op.batch.source_folder)
        for op, _ in found
        if op.batch.source_folder
    }

    def source_check(operation: FileOperation, library: Library) -> FolderCheck:
        folder = source_root(operation, roots[library.pk])
        return inboxes[folder] if folder in inboxes else checks[library.pk]

    def reason(pair: tuple[FileOperation, Library | None]) -> str:
        operation, library = pair
        return _not_possible(operation, roots[library.pk] if library is not None else None)

    movable: list[tuple[FileOperation, Library]] = []
    total = len(found)
    verdicts = zip(found, checksum_all(reason, found), strict=True)
    for done, ((operation, library), why) in enumerate(verdicts, start=1):
        if why:
            result.problems.append(RollbackProblem(operation, why))
        else:
            assert library is not None  # _not_possible refuses an operation outside a library
            movable.append((operation, library))
        progress(done, total, "Verifying checksums")
    emptied: dict[str, list[str]] = {}

    def refused(operation: FileOperation, exc: DatabaseError) -> None:
        # Keep disk and database in agreement: the file goes back where the
        # database still says it is.
        rename_no_clobber(operation.original_path, operation.new_path)
        operation_rollback_abandon(operation)
        result.problems.append(
            RollbackProblem(operation, f"The database refused the old path ({exc}).")
        )

    operations_rollback_start([operation for operation, _ in movable])
    for library in {library for _, library in movable}:
        plan_outdate(library)  # the caller's PLAN job refreshes it (library.tasks.plan_follow)
    writer = JournalWriter(completed=False, refused=refused)
    for done, (operation, library) in enumerate(movable, start=1):
        try:
            _undo(operation, source=source_check(operation, library), target=checks[library.pk])
        except FileExistsError:
            operation_rollback_abandon(operation)
            result.problems.append(
                RollbackProblem(
                    operation,
                    f"Another file is now at {operation.original_path}; it was not overwritten.",
                )
            )
        except OSError as exc:
            operation_rollback_abandon(operation)
            result.problems.append(RollbackProblem(operation, error_text(exc)))
        else:
            writer.add(operation)
            emptied.setdefault(roots[library.pk], []).append(os.path.dirname(operation.new_path))
        progress(done, len(movable), "Moving files back")
    writer.flush()
    result.rolled_back = sum(
        1 for operation, _ in movable if operation.status == FileOperation.Status.ROLLED_BACK
    )
    if setting_get("remove_empty_folders"):
        for root, folders in emptied.items():
            result.folders_removed += folders_remove_empty(root=root, folders=folders)
    imported = {lib.pk for op, lib in movable if op.batch.kind == Batch.Kind.IMPORT}
    for library in {library for _, library in movable}:
        if library.pk in imported:
            # An import's files were indexed by a scan; one scan forgets those removed.
            library_scan(library=library, progress=progress)
    files_changed.send(sender=FileOperation, operations=ordered, summary=result.job_summary())
    return result
