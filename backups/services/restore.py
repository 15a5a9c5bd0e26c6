"""Restoring a backup into the running site, safely and undoably."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from django.core.management import call_command
from django.core.management.commands.migrate import Command as DjangoMigrateCommand
from django.db import connections
from django.utils import timezone

from backups.models import BackupKind
from backups.services.check import backup_check, migrations_missing, readonly_connect
from backups.services.folder import (
    BackupError,
    backup_path,
    live_database_path,
)
from backups.services.manifest import Manifest, manifest_read
from backups.services.schedule import JOB_KIND as BACKUP_JOB_KIND
from backups.services.snapshot import STEP_PAGES, Snapshot, backup_create
from backups.services.sync import backups_sync
from library.models import Library
from library.services.locks import library_lock_key
from plexomatic_site.jobs import jobs_release_stale
from plexomatic_site.models import Job
from plexomatic_site.progress import Progress, progress_ignore


@dataclass(frozen=True)
class RestoreResult:
    restored: str
    undo: Snapshot
    migrated: list[str]


def _copy_into_live(*, backup: Path, live: Path, progress: Progress) -> None:
    """Write the backup's pages into the live database through SQLite itself.

    SQLite's backup API replaces the content inside one write transaction on
    the live file: other connections see the old database or the new one,
    never a mix, and the WAL and shared-memory files stay consistent (a file
    copy over a live WAL database would corrupt it).
    """
    with (
        closing(readonly_connect(backup)) as source,
        closing(sqlite3.connect(live, timeout=20, isolation_level=None)) as target,
    ):
        source.backup(
            target,
            pages=STEP_PAGES,
            progress=lambda status, remaining, total: progress(
                total - remaining, total, "Restoring"
            ),
        )
        # Best effort: fold the restored pages back into the main file now.
        target.execute("PRAGMA wal_checkpoint(PASSIVE)")


def _page_size(path: Path) -> int:
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
        return db.execute("PRAGMA page_size").fetchone()[0]


def _refuse_other_page_size(*, backup: Path, live: Path) -> None:
    ours, theirs = _page_size(backup), _page_size(live)
    if ours != theirs:
        raise BackupError(
            f"{backup.name} uses {ours}-byte pages where the live database uses {theirs}; "
            "SQLite cannot restore across page sizes while the database is in WAL mode."
        )


def _refuse_while_jobs_run() -> None:
    """Refuse while any job is queued or running: the restore would lose its work.

    An apply's rename journal, a scan's results: whatever a job writes after
    the pre_restore backup is neither in that backup nor in the restored
    database, so renamed files would be left without their journal.
    """
    jobs_release_stale()
    job = Job.objects.filter(status__in=Job.ACTIVE).order_by("created_at", "id").first()
    if job is None:
        return
    library = next(
        (
            lib
            for lib in Library.objects.only("pk", "name")
            if library_lock_key(lib) == job.lock_key
        ),
        None,
    )
    of_library = f" of library “{library.name}”" if library is not None else ""
    raise BackupError(
        f"{job.phrase}{of_library} is {job.get_status_display().lower()}; "
        "wait for it to finish before restoring."
    )


def _end_restored_jobs(*, manifest: Manifest) -> None:
    """Jobs a restored database records as queued or running belong to its past.

    Left active they would hold their locks for ever. The backup job that
    took this very backup did succeed (here is its file), so it is recorded as
    such rather than as a failed backup attempt; any other job was cut short.
    """
    active = Job.objects.filter(status__in=Job.ACTIVE)
    if manifest.job_id is not None:
        active.filter(pk=manifest.job_id, kind=BACKUP_JOB_KIND).update(
            status=Job.Status.SUCCEEDED,
            summary={"file_name": manifest.file_name, "size": manifest.size},
            finished_at=manifest.checked_at or manifest.created_at,
        )
    active.update(
        status=Job.Status.FAILED,
        error="Interrupted: the database was restored from a backup taken while this job ran.",
        finished_at=timezone.now(),
    )


def backup_restore(*, name: str, progress: Progress = progress_ignore) -> RestoreResult:
    """Replace the live database with backup `name`, after checking it and backing up.

    Order matters: every check runs before anything is written, so a refused
    backup changes nothing; the pre_restore backup is taken before the live
    database is touched, so every restore can be undone. Running jobs are
    checked again just before the copy: one may have started meanwhile.
    """
    live = live_database_path()
    path = backup_path(name)
    try:
        manifest = manifest_read(path)
    except ValueError as exc:
        raise BackupError(
            f"{path.name} is not restored because {exc}; verify it first, which checks the "
            "file and writes a manifest when it is a sound Plex-o-matic database."
        ) from None
    applied = backup_check(path=path, expected_sha256=manifest.sha256, progress=progress)
    _refuse_other_page_size(backup=path, live=live)
    _refuse_while_jobs_run()
    undo = backup_create(
        kind=BackupKind.PRE_RESTORE, note=f"Before restoring {path.name}", progress=progress
    )
    _refuse_while_jobs_run()
    _copy_into_live(backup=path, live=live, progress=progress)
    # This thread's connections may hold cached state of the replaced file.
    connections.close_all()
    missing = migrations_missing(applied)
    if missing:
        progress(0, None, "Migrating the restored database forward")
        try:
            # Django's own migrate: the restored file was just checked and is
            # itself a backup, so no pre-migration copy of it is needed.
            call_command(DjangoMigrateCommand(), interactive=False, verbosity=0)
        except Exception as exc:
            raise BackupError(
                f"{path.name} was restored but migrating it forward failed ({exc}); "
                f"restore {undo.path.name} to go back to where you were."
            ) from exc
    _end_restored_jobs(manifest=manifest)
    backups_sync()
    return RestoreResult(restored=path.name, undo=undo, migrated=missing)
