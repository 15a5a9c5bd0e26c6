"""Adding an uploaded database file to the backup folder, through every check."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from contextlib import closing
from datetime import UTC, datetime

from backups.models import BackupKind
from backups.services.check import backup_check
from backups.services.folder import (
    TEMP_PREFIX,
    BackupError,
    Progress,
    backup_folder,
    folder_lock,
    progress_ignore,
)
from backups.services.snapshot import (
    Snapshot,
    backup_file_name,
    cleanup_on_failure,
    snapshot_publish,
)


def backup_import(
    *,
    chunks: Iterable[bytes],
    original_name: str,
    max_bytes: int,
    progress: Progress = progress_ignore,
) -> Snapshot:
    """Store uploaded bytes as a manual backup if they pass the same checks as a restore.

    The file is written under a temporary name and only renamed into place
    (with a manifest) once it is a whole, healthy Plex-o-matic database of a
    schema this code knows; otherwise nothing is kept.
    """
    folder = backup_folder()
    with folder_lock(folder=folder, timeout=60):
        now = datetime.now(UTC)
        final = folder / backup_file_name(BackupKind.MANUAL, now)
        temp = folder / (TEMP_PREFIX + final.name)
        with cleanup_on_failure(temp=temp, final=final, failure="The upload was refused"):
            written = 0
            with open(temp, "xb") as handle:
                for chunk in chunks:
                    written += len(chunk)
                    if written > max_bytes:
                        raise BackupError(
                            f"{original_name} is larger than the upload limit of "
                            f"{max_bytes // (1024 * 1024)} MB."
                        )
                    handle.write(chunk)
                    progress(written, None, "Receiving")
            applied = backup_check(path=temp, progress=progress)
            # An uploaded file may be flagged for WAL; a backup is one file.
            with closing(sqlite3.connect(temp, isolation_level=None)) as db:
                db.execute("PRAGMA journal_mode=DELETE")
            return snapshot_publish(
                temp=temp,
                final=final,
                kind=BackupKind.MANUAL,
                note=f"Uploaded from {original_name}"[:200],
                applied=applied,
                created_at=now,
            )
