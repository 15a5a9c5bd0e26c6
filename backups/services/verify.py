"""Checking a stored backup again, and adopting one copied in by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from backups.errors import BackupInvalid
from backups.models import BackupKind
from backups.services.check import backup_check
from backups.services.folder import POSTGRESQL, backup_path, folder_lock, wal_refuse
from backups.services.manifest import Manifest, file_sha256, manifest_read, manifest_write
from backups.services.postgres import Contents, dump_verify, is_dump
from plexomatic_site.progress import Progress, progress_ignore


def _check(*, path: Path, manifest: Manifest | None, progress: Progress) -> Contents:
    """What the file holds, once it passed its engine's checks (against `manifest` if any)."""
    sha256 = manifest.sha256 if manifest is not None else None
    if not is_dump(path):
        applied = backup_check(path=path, expected_sha256=sha256, progress=progress)
        return Contents(migrations=applied, tables={})
    expected = None
    if manifest is not None and manifest.engine == POSTGRESQL:
        expected = Contents(migrations=manifest.migrations, tables=manifest.tables)
    return dump_verify(path=path, expected_sha256=sha256, expected=expected, progress=progress)


def backup_verify(*, name: str, progress: Progress = progress_ignore) -> Manifest:
    """Check backup `name` against its manifest and record the result in the manifest.

    A file without a valid manifest (copied in by hand) is checked as a
    database; if it passes, it gets a manifest and becomes restorable.
    Raises BackupInvalid (after recording it) when the check fails, and
    BackupError (recording nothing) when a write-ahead log beside the file
    holds changes the check would not see, or the file is a PostgreSQL dump
    and the site does not run on PostgreSQL.
    """
    path = backup_path(name)
    with folder_lock(folder=path.parent, timeout=60):
        wal_refuse(path)
        try:
            manifest = manifest_read(path)
        except ValueError:
            contents = _check(path=path, manifest=None, progress=progress)
            stat = path.stat()
            manifest = Manifest(
                file_name=path.name,
                kind=BackupKind.IMPORTED,
                created_at=datetime.fromtimestamp(stat.st_mtime, UTC),
                size=stat.st_size,
                sha256=file_sha256(path),
                app_version="",
                migrations=contents.migrations,
                engine=POSTGRESQL if is_dump(path) else "sqlite",
                tables=contents.tables,
                note="Added to the backup folder by hand.",
                checked_at=datetime.now(UTC),
            )
            manifest_write(backup=path, manifest=manifest)
            return manifest
        try:
            _check(path=path, manifest=manifest, progress=progress)
        except BackupInvalid as exc:
            manifest.checked_at, manifest.check_error = datetime.now(UTC), str(exc)
            manifest_write(backup=path, manifest=manifest)
            raise
        manifest.checked_at, manifest.check_error = datetime.now(UTC), ""
        manifest_write(backup=path, manifest=manifest)
        return manifest
