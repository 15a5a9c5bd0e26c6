"""Restoring a backup into the running site, safely and undoably."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.commands.migrate import Command as DjangoMigrateCommand
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.loader import MigrationLoader

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
    POSTGRESQL,
    SIDE_SUFFIXES,
    TEMP_PREFIX,
    backup_path,
    folder_lock,
    live_database_path,
    live_engine,
    remove_quietly,
    wal_refuse,
)
from backups.services.manifest import Manifest, manifest_read
from backups.services.postgres import is_dump
from backups.services.restore_postgres import dump_restore
from backups.services.restore_steps import (
    RestoredButUndone,
    end_restored_jobs,
    migrate_staged,
    refuse_no_admin,
    refuse_while_jobs_run,
    self_check_problem,
    staging_connection,
    undo_discard,
)
from backups.services.snapshot import LOCK_TIMEOUT, STEP_PAGES, Snapshot, backup_create
from backups.services.sync import backups_sync
from plexomatic_site.environment import owner_only_file
from plexomatic_site.progress import Progress, progress_ignore
from plexomatic_site.startup import database_is_new

# Tries before a restore gives up because the site keeps writing meanwhile.
ATTEMPTS = 3
# The connection alias of the fresh database whose schema a restore must match.
REFERENCE_ALIAS = "restore_reference"


@dataclass(frozen=True)
class RestoreResult:
    restored: str
    undo: Snapshot
    migrated: list[str]
    # False: the restored database holds no active administrator.
    has_admin: bool = True


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
            with staging_connection(temp, alias=REFERENCE_ALIAS) as using:
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


def _stage(
    *, path: Path, temp: Path, manifest: Manifest, missing: list[str], progress: Progress
) -> None:
    progress(0, None, "Preparing the restored database")
    try:
        owner_only_file(temp)
        shutil.copyfile(path, temp)
        with staging_connection(temp) as using:
            if missing:
                progress(0, None, "Migrating the restored database forward")
                migrate_staged(using=using, label=path.name)
            progress(0, None, "Comparing its tables with a fresh database")
            connections[using].close()
            _refuse_other_schema(temp=temp, label=path.name)
            end_restored_jobs(using=using, manifest=manifest)
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
    raise RestoredButUndone(
        f"{label} was restored but failed the check that follows a restore ({problem}), so "
        f"the database was put back as it was before, from {undo.path.name}; nothing was lost."
    )


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
            if (problem := self_check_problem()) is not None:
                _put_back(undo=undo, live=live, label=path.name, problem=problem)
    except RestoredButUndone:
        raise
    except (_SiteWrote, BackupError) as exc:
        if undo is not None:
            undo_discard(undo)
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


def _refuse_other_engine(*, path: Path, engine: str) -> None:
    """A backup is restored onto the engine that took it; db_transfer moves data across."""
    if is_dump(path) and engine != POSTGRESQL:
        raise BackupError(
            f"{path.name} is a PostgreSQL dump and this site runs on SQLite; restore it on a "
            "PostgreSQL install, then copy the data here with manage.py db_transfer."
        )
    if not is_dump(path) and engine == POSTGRESQL:
        raise BackupError(
            f"{path.name} is a SQLite backup and this site runs on PostgreSQL; restore it on a "
            "SQLite install, then copy the data here with manage.py db_transfer."
        )


def backup_restore(
    *, name: str, allow_no_admin: bool = False, progress: Progress = progress_ignore
) -> RestoreResult:
    """Replace the live database with backup `name`, after checking it and backing up.

    Order matters: every check runs before anything is written, so a refused
    backup changes nothing; the pre_restore backup is taken before the live
    database is touched, so every restore can be undone.
    """
    engine = live_engine()
    path = backup_path(name)
    try:
        manifest = manifest_read(path)
    except ValueError as exc:
        raise BackupError(
            f"{path.name} is not restored because {exc}; verify it first, which checks the "
            "file and writes a manifest when it is a sound Plex-o-matic database."
        ) from None
    _refuse_other_engine(path=path, engine=engine)
    if engine == POSTGRESQL:
        _migrate_if_new()
        restored = dump_restore(
            path=path, manifest=manifest, allow_no_admin=allow_no_admin, progress=progress
        )
        undo, missing, has_admin = restored.undo, restored.migrated, restored.has_admin
    else:
        undo, missing, has_admin = _file_restore(
            path=path, manifest=manifest, allow_no_admin=allow_no_admin, progress=progress
        )
    # This thread's connections may hold cached state of the replaced database.
    connections.close_all()
    if has_admin:
        setup_marker_path().unlink(missing_ok=True)
    else:
        setup_marker_path().touch()
    backups_sync()
    return RestoreResult(restored=path.name, undo=undo, migrated=missing, has_admin=has_admin)


def _file_restore(
    *, path: Path, manifest: Manifest, allow_no_admin: bool, progress: Progress
) -> tuple[Snapshot, list[str], bool]:
    """Restore a SQLite backup: (the pre_restore backup, migrations applied, has an admin).

    If the site commits anything between the start of the pre_restore backup
    and the copy, the copy is abandoned (that write would be lost) and the
    whole step retried.
    """
    live = live_database_path()
    # Read with immutable=1, a backup's WAL would be ignored: its changes silently lost.
    wal_refuse(path)
    applied = backup_check(path=path, expected_sha256=manifest.sha256, progress=progress)
    has_admin = refuse_no_admin(
        has_admin=backup_has_admin(path), name=path.name, allow_no_admin=allow_no_admin
    )
    _migrate_if_new()
    _refuse_other_page_size(backup=path, live=live)
    missing = migrations_missing(applied)
    for _attempt in range(ATTEMPTS):
        # Before the data version is read: releasing a stale job writes.
        refuse_while_jobs_run()
        undo = _replace_live(
            path=path, live=live, manifest=manifest, missing=missing, progress=progress
        )
        if undo is not None:
            return undo, missing, has_admin
    # A job that started meanwhile is the likeliest writer: name it if so.
    refuse_while_jobs_run()
    raise BackupError(
        f"{path.name} was not restored: the site wrote to the database while the "
        f"pre_restore backup was being taken ({ATTEMPTS} tries), and those changes would "
        "have been lost; nothing was changed. Try again in a moment."
    )
