"""Adding an uploaded database file to the backup folder, through every check."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from backups.errors import BackupError, BackupInvalid
from backups.models import BackupKind
from backups.services.check import backup_check, header_problem
from backups.services.folder import TEMP_PREFIX, backup_folder, folder_lock
from backups.services.snapshot import (
    Origin,
    Snapshot,
    backup_file_name,
    backup_name_time,
    check_and_hash,
    cleanup_on_failure,
    snapshot_publish,
)
from plexomatic_site.environment import OWNER_ONLY_FILE, owner_only_file
from plexomatic_site.file_removal import file_remove
from plexomatic_site.progress import Progress, progress_ignore


@dataclass(frozen=True)
class StagedUpload:
    """An upload already written to disk (data folder's tmp/), hashed as it arrived."""

    path: Path
    size: int
    sha256: str
    # More bytes arrived than the limit allows; the file holds only the first ones.
    too_large: bool = False


def _too_large(original_name: str, max_bytes: int) -> BackupError:
    return BackupError(
        f"{original_name} is too large; uploads are limited to {filesizeformat(max_bytes)}."
    )


def _move_in(staged: Path, temp: Path) -> None:
    """Rename the staged upload into the backup folder; copy only across filesystems."""
    try:
        os.replace(staged, temp)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        owner_only_file(temp)
        shutil.copyfile(staged, temp)
        file_remove(staged)


def backup_import(
    *,
    original_name: str,
    chunks: Iterable[bytes] | None = None,
    staged: StagedUpload | None = None,
    progress: Progress = progress_ignore,
) -> Snapshot:
    """Store uploaded bytes as an imported backup if they pass the same checks as a restore.

    The bytes come as `chunks`, or `staged` in a file already (the site's
    upload handler wrote and hashed it as it arrived: it is renamed into the
    backup folder, never copied again on the same filesystem).
    The file is written under a temporary name and only renamed into place
    (with a manifest) once it is a whole, healthy Plex-o-matic database of a
    schema this code knows; otherwise nothing is kept. This is the one place
    the upload size limit is enforced: on the bytes actually received.
    """
    max_bytes = settings.PLEXOMATIC_BACKUP_UPLOAD_MAX_BYTES
    folder = backup_folder()
    with folder_lock(folder=folder, timeout=60):
        now = datetime.now(UTC)
        final = folder / backup_file_name(BackupKind.IMPORTED, now)
        temp = folder / (TEMP_PREFIX + final.name)
        with cleanup_on_failure(temp=temp, final=final, failure="The upload was refused"):
            known_sha256: str | None = None
            if staged is not None:
                if staged.too_large or staged.size > max_bytes:
                    raise _too_large(original_name, max_bytes)
                _move_in(staged.path, temp)
                known_sha256 = staged.sha256
            else:
                _receive(chunks or [], temp=temp, label=original_name, progress=progress)
            if _single_file(temp, original_name=original_name):
                known_sha256 = None  # rewritten: hash what is stored now
            if known_sha256 is None:
                applied, sha256 = check_and_hash(
                    path=temp, identity=True, label=original_name, progress=progress
                )
            else:
                applied = backup_check(
                    path=temp, identity=True, label=original_name, progress=progress
                )
                sha256 = known_sha256
            return snapshot_publish(
                temp=temp,
                final=final,
                kind=BackupKind.IMPORTED,
                note=f"Uploaded from {original_name}"[:200],
                origin=Origin(migrations=applied, sha256=sha256),
                # When it was taken, if its name says so (never later than now);
                # else all we know is when it came.
                created_at=min(backup_name_time(original_name) or now, now),
            )


def _receive(chunks: Iterable[bytes], *, temp: Path, label: str, progress: Progress) -> None:
    max_bytes = settings.PLEXOMATIC_BACKUP_UPLOAD_MAX_BYTES
    written = 0
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY_FILE)
    with open(fd, "wb") as handle:
        for chunk in chunks:
            written += len(chunk)
            if written > max_bytes:
                raise _too_large(label, max_bytes)
            handle.write(chunk)
            progress(written, None, "Receiving")


# File format bytes 18-19 of a database flagged for WAL mode.
WAL_VERSION = b"\x02\x02"


def _single_file(path: Path, *, original_name: str) -> bool:
    """A backup is one file: an upload flagged for WAL is switched to a rollback journal.

    True when the file was rewritten so.
    """
    if problem := header_problem(path):
        raise BackupInvalid(f"{original_name} {problem}.")
    with open(path, "rb") as handle:
        if handle.read(20)[18:20] != WAL_VERSION:
            return False
    try:
        with closing(sqlite3.connect(path, isolation_level=None)) as db:
            db.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.DatabaseError as exc:
        raise BackupInvalid(f"{original_name} cannot be read as a database ({exc}).") from None
    return True
