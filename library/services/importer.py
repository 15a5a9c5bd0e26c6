"""Import the history of the plex-o-matic command-line tool.

Its SQLite database (by default ~/.plexomatic/plexomatic.db) keeps a table
`file_renames(id, original_path, new_path, operation_type, checksum, status,
created_at, completed_at, rolled_back_at)`, status being pending, completed
or rolled_back and times naive UTC text ('YYYY-MM-DD HH:MM:SS.ffffff').
Each row becomes a FileOperation of one `import` batch, remembered by a
source key (tool row id + creation time) so importing again adds only rows
that are new. The file is opened read-only; nothing is written when it is
not such a database.
"""

from __future__ import annotations

import datetime
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction

from library.errors import NotPlexomaticDatabase
from library.models import Batch, FileOperation, Library, MediaFile
from library.services.paths import is_within
from plexomatic_site.progress import Progress, progress_ignore

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

DEFAULT_PATH = "~/.plexomatic/plexomatic.db"
COLUMNS = (
    "id",
    "original_path",
    "new_path",
    "operation_type",
    "checksum",
    "status",
    "created_at",
    "completed_at",
    "rolled_back_at",
)
CHUNK = 2000


@dataclass
class ImportResult:
    batch: Batch | None = None
    imported: int = 0
    already: int = 0
    skipped: list[str] = field(default_factory=list)


def _read_rows(path: str) -> list[sqlite3.Row]:
    if not os.path.isfile(path):
        raise NotPlexomaticDatabase(f"There is no file at {path}.")
    try:
        connection = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise NotPlexomaticDatabase(f"{path} cannot be opened as a database ({exc}).") from None
    connection.row_factory = sqlite3.Row
    try:
        columns = {row["name"] for row in connection.execute("PRAGMA table_info(file_renames)")}
        missing = [c for c in COLUMNS if c not in columns]
        if missing:
            raise NotPlexomaticDatabase(
                f"{path} is not a plex-o-matic database: "
                + (
                    "it has no file_renames table."
                    if not columns
                    else f"its file_renames table lacks {', '.join(missing)}."
                )
            )
        return connection.execute(
            f"SELECT {', '.join(COLUMNS)} FROM file_renames ORDER BY id"  # noqa: S608
        ).fetchall()
    except sqlite3.DatabaseError as exc:
        raise NotPlexomaticDatabase(f"{path} is not a plex-o-matic database ({exc}).") from None
    finally:
        connection.close()


def _utc(text: str | None) -> datetime.datetime | None:
    """The tool's naive UTC text as an aware datetime (ValueError when malformed)."""
    if not text:
        return None
    return datetime.datetime.fromisoformat(str(text)).replace(tzinfo=datetime.UTC)


def _source_key(row: sqlite3.Row) -> str:
    return f"plexomatic-cli:{row['id']}:{row['created_at']}"


def _operation(row: sqlite3.Row) -> FileOperation:
    """One journal row from one tool row (ValueError with the reason when unusable)."""
    status = str(row["status"] or "").lower()
    kind = str(row["operation_type"] or "").lower()
    if kind not in FileOperation.OperationType.values:
        raise ValueError(f"unknown operation type {row['operation_type']!r}")
    if status not in {"pending", "completed", "rolled_back"}:
        raise ValueError(f"unknown status {row['status']!r}")
    if not row["original_path"] or not row["new_path"] or row["original_path"] == row["new_path"]:
        raise ValueError("its paths are missing or equal")
    created = _utc(row["created_at"])
    if created is None:
        raise ValueError("it has no creation time")
    completed = _utc(row["completed_at"])
    rolled_back = _utc(row["rolled_back_at"])
    operation = FileOperation(
        original_path=row["original_path"],
        new_path=row["new_path"],
        operation_type=kind,
        checksum=str(row["checksum"] or "")[:100],
        source_key=_source_key(row),
        created_at=created,
        completed_at=completed,
        rolled_back_at=rolled_back,
    )
    if status == "pending":
        # A pending row in the tool is an interrupted move: never resume it here.
        operation.status = FileOperation.Status.FAILED
        operation.error = "Left pending by the plex-o-matic tool; check both paths by hand."
    elif status == "completed":
        operation.status = FileOperation.Status.COMPLETED
        operation.completed_at = completed or created
    else:
        operation.status = FileOperation.Status.ROLLED_BACK
        operation.rolled_back_at = rolled_back or completed or created
    return operation


def _common_library(operations: list[FileOperation]) -> Library | None:
    for library in Library.objects.all():
        root = os.path.normpath(library.root_path)
        if all(
            is_within(op.original_path, root) and is_within(op.new_path, root) for op in operations
        ):
            return library
    return None


def _link_media(operations: list[FileOperation]) -> None:
    """Point each operation at the media file now at its current path, when known."""

    def current(op: FileOperation) -> str:
        return op.new_path if op.status == FileOperation.Status.COMPLETED else op.original_path

    for start in range(0, len(operations), CHUNK):
        chunk = operations[start : start + CHUNK]
        ids = dict(
            MediaFile.objects.filter(path__in={current(op) for op in chunk}).values_list(
                "path", "id"
            )
        )
        for op in chunk:
            op.media_file_id = ids.get(current(op))


def plexomatic_import(
    *,
    path: str,
    user: User | AnonymousUser | None = None,
    progress: Progress = progress_ignore,
) -> ImportResult:
    """Add the tool's operations that are not imported yet to the history, as one batch."""
    rows = _read_rows(path)
    result = ImportResult()
    known: set[str] = set()
    keys = [_source_key(row) for row in rows]
    for start in range(0, len(keys), CHUNK):
        known.update(
            FileOperation.objects.filter(source_key__in=keys[start : start + CHUNK]).values_list(
                "source_key", flat=True
            )
        )
    new: list[FileOperation] = []
    for done, row in enumerate(rows, start=1):
        if _source_key(row) in known:
            result.already += 1
            continue
        try:
            new.append(_operation(row))
        except ValueError as exc:
            result.skipped.append(f"row {row['id']}: {exc}")
        progress(done, len(rows), "Reading")
    if not new:
        return result
    _link_media(new)
    created_at = [op.created_at for op in new]
    with transaction.atomic():
        result.batch = Batch.objects.create(
            kind=Batch.Kind.IMPORT,
            library=_common_library(new),
            created_by=user if user is not None and user.is_authenticated else None,
            note=f"Imported from {path}"[:200],
        )
        for op in new:
            op.batch = result.batch
        saved = FileOperation.objects.bulk_create(new, batch_size=500)
        # created_at is set on insert (auto_now_add); put the tool's times back.
        for op, when in zip(saved, created_at, strict=True):
            op.created_at = when
        FileOperation.objects.bulk_update(saved, ["created_at"], batch_size=500)
    result.imported = len(saved)
    return result
