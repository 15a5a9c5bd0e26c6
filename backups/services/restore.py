"""Restoring a backup into the running site, safely and undoably."""

from __future__ import annotations

import copy
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.commands.migrate import Command as DjangoMigrateCommand
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.utils import load_backend
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from backups.errors import BackupError
from backups.models import BackupKind
from backups.services.check import (
    SchemaFact,
    backup_check,
    backup_has_admin,
    migrations_missing,
    readonly_connect,
    schema_describe,
    schema_problem,
)
from backups.services.folder import (
    SIDE_SUFFIXES,
    TEMP_PREFIX,
    backup_path,
    folder_lock,
    live_database_path,
    remove_quietly,
    wal_refuse,
)
from backups.services.manifest import Manifest, manifest_path, manifest_read
from backups.services.snapshot import LOCK_TIMEOUT, STEP_PAGES, Snapshot, backup_create
from backups.services.sync import backups_sync
from backups.summaries import BackupSummary
from plexomatic_site.environment import owner_only_file
from plexomatic_site.jobs import job_active_other
from plexomatic_site.models import Job, JobKind
from plexomatic_site.progress import Progress, progress_ignore
from plexomatic_site.startup import database_is_new, database_unknown_migrations

# Tries before a restore gives up because the site keeps writing meanwhile.
ATTEMPTS = 3
# The connection alias of the temporary copy being made ready to go live.
STAGING_ALIAS = "restore_staging"
# The connection alias of the fresh database whose schema a restore must match.
REFERENCE_ALIAS = "restore_reference"
INTERRUPTED = "Interrupted: the database was restored from a backup taken while this job ran."


@dataclass(frozen=True)
class RestoreResult:
    restored: str
    undo: Snapshot
    migrated: list[str]
    # False: the restored database holds no active administrator.
    has_admin: bool = True


class _RestoredButUndone(BackupError):
    """The restore went live, failed its self-check and was put back: keep the undo backup."""


class _SiteWrote(Exception):
    """Someone committed to the live database after the pre_restore backup began."""


def _live_connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=20, isolation_level=None)


def _data_version(db: sqlite3.Connection) -> int:
    # Changes whenever any other connection commits to the database.
    return db.execute("PRAGMA data_version").fetchone()[0]


def _copy_into_live(
    *,
    source: Path,
    live: Path,
    label: str,
    watch: sqlite3.Connection | None,
    version: int,
    progress: Progress,
) -> None:
    """Write the staged copy's pages into the live database through SQLite itself.

    SQLite's backup API replaces the content inside one write transaction on
    the live file: other connections see the old database or the new one,
    never a mix, and the WAL and shared-memory files stay consistent (a file
    copy over a live WAL database would corrupt it).

    That transaction takes the live write lock at its first step and holds it
    to the end, so after a step no one else can commit. If `watch` has seen a
    commit since `version` was read (before the pre_restore backup began),
    that write is in neither the undo backup nor the restored database: stop
    before the copy commits, and SQLite rolls the copy back. Without `watch`
    (putting a failed restore back), whatever was written meanwhile is replaced.
    """
    with closing(readonly_connect(source)) as staged, closing(_live_connect(live)) as target:
        pages = staged.execute("PRAGMA page_count").fetchone()[0]

        def step_done(status: int, remaining: int, total: int) -> None:
            # SQLITE_DONE comes after the copy committed: too late, and our own commit.
            if (
                watch is not None
                and status != sqlite3.SQLITE_DONE
                and _data_version(watch) != version
            ):
                raise _SiteWrote
            progress(total - remaining, total, "Restoring")

        try:
            # At least two steps, so the check above runs before the commit.
            staged.backup(target, pages=max(1, min(STEP_PAGES, pages - 1)), progress=step_done)
        except sqlite3.Error as exc:
            raise BackupError(
                f"{label} was not restored: writing it into the database failed (SQLite said: "
                f"{exc}); the database is unchanged, SQLite rolled the copy back."
            ) from exc
        # Best effort: fold the restored pages back into the main file now.
        target.execute("PRAGMA wal_checkpoint(PASSIVE)")


@contextmanager
def _staging_connection(path: Path, *, alias: str = STAGING_ALIAS) -> Iterator[str]:
    """A Django connection alias on `path`, configured like the live database.

    The connection exists in this thread only (it is not added to the
    DATABASES settings), so no other thread of the site can ever use it.
    """
    settings_dict = copy.deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict)
    settings_dict["NAME"] = str(path)
    staging = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    connections[alias] = staging
    try:
        yield alias
    finally:
        staging.close()
        del connections[alias]


# The schema of a fresh database, per set of migrations on disk (they never
# change while the process runs; building one takes a second or two).
_reference_schemas: dict[frozenset[tuple[str, str]], frozenset[SchemaFact]] = {}


def _reference_schema(*, folder: Path) -> frozenset[SchemaFact]:
    """The tables, columns and indexes of a brand-new database migrated to the end."""
    loader = MigrationLoader(connections[DEFAULT_DB_ALIAS], ignore_no_migrations=True)
    key = frozenset(loader.disk_migrations)
    if key not in _reference_schemas:
        temp = folder / f"{TEMP_PREFIX}reference-{uuid.uuid4().hex}.sqlite3"
        try:
            with _staging_connection(temp, alias=REFERENCE_ALIAS) as using:
                call_command(DjangoMigrateCommand(), database=using, interactive=False, verbosity=0)
            with closing(sqlite3.connect(temp, isolation_level=None)) as db:
                db.execute("PRAGMA journal_mode=DELETE")
            _reference_schemas[key] = schema_describe(temp)
        finally:
            for side in ("", *SIDE_SUFFIXES):
                remove_quietly(temp.with_name(temp.name + side))
    return _reference_schemas[key]


def _refuse_other_schema(*, temp: Path, label: str) -> None:
    """Refuse a staged copy whose tables, columns or indexes are not exactly ours.

    A backup with a table dropped, or "hollow" (migration rows but no tables),
    passes the integrity check and the marker row, then breaks every page
    that reads the missing table once it is live.
    """
    with closing(sqlite3.connect(temp, isolation_level=None)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    problem = schema_problem(
        actual=schema_describe(temp), expected=_reference_schema(folder=temp.parent)
    )
    if problem is not None:
        raise BackupError(f"{label} was not restored: it {problem}; the database is unchanged.")


def _migrate(*, using: str, label: str) -> None:
    try:
        # Django's own migrate: this is a copy of a backup that stays in the
        # folder, so no pre-migration backup of it is needed.
        call_command(DjangoMigrateCommand(), database=using, interactive=False, verbosity=0)
    except Exception as exc:
        raise BackupError(
            f"{label} was not restored: migrating it forward failed ({exc}); "
            "the database is unchanged."
        ) from exc


def _stage(
    *, path: Path, temp: Path, manifest: Manifest, missing: list[str], progress: Progress
) -> None:
    progress(0, None, "Preparing the restored database")
    try:
        owner_only_file(temp)
        shutil.copyfile(path, temp)
        with _staging_connection(temp) as using:
            if missing:
                progress(0, None, "Migrating the restored database forward")
                _migrate(using=using, label=path.name)
            progress(0, None, "Comparing its tables with a fresh database")
            connections[using].close()
            _refuse_other_schema(temp=temp, label=path.name)
            _end_restored_jobs(using=using, manifest=manifest)
        with closing(sqlite3.connect(temp, isolation_level=None)) as db:
            # One self-contained file again, as readonly_connect reads it.
            db.execute("PRAGMA journal_mode=DELETE")
    except (OSError, sqlite3.Error, DatabaseError) as exc:
        reason = exc.strerror or exc if isinstance(exc, OSError) else exc
        raise BackupError(
            f"{path.name} was not restored: preparing a copy of it in the backup folder failed "
            f"({reason}); the database is unchanged."
        ) from exc


@contextmanager
def _staged(
    *, path: Path, manifest: Manifest, missing: list[str], progress: Progress
) -> Iterator[Path]:
    """A temporary copy of the backup made ready to go live, removed afterwards.

    Everything that must change in the restored data happens here, before it
    is live: a migration that fails leaves the site untouched, and the
    background worker never sees the backup's unfinished jobs and tasks.
    The copy has a temporary name and exists only while the caller holds the
    folder lock, so a crash leaves nothing to index (the next holder clears it).
    """
    temp = path.parent / f"{TEMP_PREFIX}restoring-{path.name}"
    try:
        _stage(path=path, temp=temp, manifest=manifest, missing=missing, progress=progress)
        yield temp
    finally:
        remove_quietly(temp)


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
    job = job_active_other()
    if job is None:
        return
    raise BackupError(
        f"{job.phrase} is {job.get_status_display().lower()}; "
        "wait for it to finish before restoring."
    )


def _end_restored_jobs(*, using: str, manifest: Manifest) -> None:
    """Jobs and tasks a restored database records as unfinished belong to its past.

    Left active, a job would hold its lock for ever and a queued task would
    run again (an old apply renaming files from a stale preview). The backup
    job that took this very backup did succeed (here is its file), so it is
    recorded as such rather than as a failed backup attempt; any other job
    was cut short.
    """
    now = timezone.now()
    active = Job.objects.using(using).filter(status__in=Job.ACTIVE)
    if manifest.job_id is not None:
        active.filter(pk=manifest.job_id, kind=JobKind.BACKUP).update(
            status=Job.Status.SUCCEEDED,
            summary=BackupSummary(file_name=manifest.file_name, size=manifest.size).to_json(),
            finished_at=manifest.checked_at or manifest.created_at,
        )
    active.update(status=Job.Status.FAILED, error=INTERRUPTED, finished_at=now)
    DBTaskResult.objects.using(using).filter(
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=f"{BackupError.__module__}.{BackupError.__qualname__}",
        traceback=INTERRUPTED,
    )


def _self_check_problem() -> str | None:
    """What /healthz checks (the database answers, no migration pending), plus one query on
    each model: every table and column the code reads is there. None when all is well."""
    connection = connections[DEFAULT_DB_ALIAS]
    connection.close()
    try:
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            return "migrations are pending"
        if newer := database_unknown_migrations(executor):
            return f"it has migrations this version does not know ({', '.join(newer)})"
        for model in apps.get_models():
            list(model._base_manager.using(DEFAULT_DB_ALIAS).all()[:1])
    except DatabaseError as exc:
        return f"{exc}"
    finally:
        connection.close()
    return None


def _put_back(*, undo: Snapshot, live: Path, label: str, problem: str) -> None:
    """The restored database fails its self-check: copy the pre_restore backup back in."""
    _copy_into_live(
        source=undo.path,
        live=live,
        label=undo.path.name,
        watch=None,
        version=0,
        progress=progress_ignore,
    )
    connections.close_all()
    raise _RestoredButUndone(
        f"{label} was restored but failed the check that follows a restore ({problem}), so "
        f"the database was put back as it was before, from {undo.path.name}; nothing was lost."
    )


def _discard(undo: Snapshot) -> None:
    """Remove the pre_restore backup of a restore that did not happen (never indexed)."""
    undo.path.unlink(missing_ok=True)
    manifest_path(undo.path).unlink(missing_ok=True)


def _replace_live(
    *, path: Path, live: Path, manifest: Manifest, missing: list[str], progress: Progress
) -> Snapshot | None:
    """Back up the live database, then replace it; None if the site wrote meanwhile.

    Nothing of ours writes to the live database between reading its data
    version and the copy taking the write lock: any change seen is the site's.
    """
    undo: Snapshot | None = None
    try:
        # The folder lock, held throughout, also keeps index syncs (which
        # write to the live database) away until the copy is done.
        with (
            folder_lock(folder=path.parent, timeout=LOCK_TIMEOUT),
            closing(_live_connect(live)) as watch,
        ):
            version = _data_version(watch)
            undo = backup_create(
                kind=BackupKind.PRE_RESTORE,
                note=f"Before restoring {path.name}",
                progress=progress,
                folder_locked=True,
            )
            with _staged(path=path, manifest=manifest, missing=missing, progress=progress) as src:
                _copy_into_live(
                    source=src,
                    live=live,
                    label=path.name,
                    watch=watch,
                    version=version,
                    progress=progress,
                )
            if (problem := _self_check_problem()) is not None:
                _put_back(undo=undo, live=live, label=path.name, problem=problem)
    except _RestoredButUndone:
        raise
    except (_SiteWrote, BackupError) as exc:
        if undo is not None:
            _discard(undo)
        if isinstance(exc, _SiteWrote):
            return None
        raise
    return undo


def _migrate_if_new() -> None:
    """A brand-new database has nothing to lose: create its tables, then restore into it.

    This is the disaster-recovery path: a fresh install, a backup copied into
    the backup folder, `manage.py restore NAME --yes`.
    """
    if database_is_new():
        call_command(DjangoMigrateCommand(), interactive=False, verbosity=0)


def setup_marker_path() -> Path:
    """A file in the data folder: the database was restored from a backup without an admin.

    While it exists and no administrator does, first-run setup answers only
    on the machine itself (loopback), not to whoever reaches the site first.
    """
    return Path(settings.DATA_DIR) / "restored-without-admin"


def setup_loopback_only() -> bool:
    if not setup_marker_path().exists():
        return False
    if get_user_model()._default_manager.filter(is_superuser=True, is_active=True).exists():
        setup_marker_path().unlink(missing_ok=True)
        return False
    return True


def _refuse_no_admin(path: Path, *, allow_no_admin: bool) -> bool:
    """True when the backup has an administrator; refuse one without unless allowed."""
    if backup_has_admin(path) is not False:
        return True
    if not allow_no_admin:
        raise BackupError(
            f"{path.name} holds no active administrator: after restoring it, nobody could "
            "log in to manage the site, and first-run setup would open again (from this "
            "machine only). Confirm that you mean it (--allow-no-admin on the command line)."
        )
    return False


def backup_restore(
    *, name: str, allow_no_admin: bool = False, progress: Progress = progress_ignore
) -> RestoreResult:
    """Replace the live database with backup `name`, after checking it and backing up.

    Order matters: every check runs before anything is written, so a refused
    backup changes nothing; the pre_restore backup is taken before the live
    database is touched, so every restore can be undone. If the site commits
    anything between the start of that backup and the copy, the copy is
    abandoned (that write would be lost) and the whole step retried.
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
    # Read with immutable=1, a backup's WAL would be ignored: its changes silently lost.
    wal_refuse(path)
    applied = backup_check(path=path, expected_sha256=manifest.sha256, progress=progress)
    has_admin = _refuse_no_admin(path, allow_no_admin=allow_no_admin)
    _migrate_if_new()
    _refuse_other_page_size(backup=path, live=live)
    missing = migrations_missing(applied)
    for _attempt in range(ATTEMPTS):
        # Before the data version is read: releasing a stale job writes.
        _refuse_while_jobs_run()
        undo = _replace_live(
            path=path, live=live, manifest=manifest, missing=missing, progress=progress
        )
        if undo is not None:
            break
    else:
        # A job that started meanwhile is the likeliest writer: name it if so.
        _refuse_while_jobs_run()
        raise BackupError(
            f"{path.name} was not restored: the site wrote to the database while the "
            f"pre_restore backup was being taken ({ATTEMPTS} tries), and those changes would "
            "have been lost; nothing was changed. Try again in a moment."
        )
    # This thread's connections may hold cached state of the replaced file.
    connections.close_all()
    if has_admin:
        setup_marker_path().unlink(missing_ok=True)
    else:
        setup_marker_path().touch()
    backups_sync()
    return RestoreResult(restored=path.name, undo=undo, migrated=missing, has_admin=has_admin)
