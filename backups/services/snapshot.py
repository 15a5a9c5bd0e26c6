"""Taking a backup: a consistent online snapshot of the live database."""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections

from backups.errors import BackupError
from backups.models import BackupKind
from backups.services.check import MMAP_BYTES, backup_check
from backups.services.folder import (
    BACKUP_SUFFIXES,
    POSTGRESQL,
    SQLITE,
    TEMP_PREFIX,
    backup_folder,
    folder_lock,
    fsync_folder,
    fsync_path,
    live_database_path,
    live_engine,
    remove_quietly,
)
from backups.services.manifest import (
    Manifest,
    file_sha256,
    install_id,
    manifest_path,
    manifest_write,
)
from backups.services.postgres import (
    Server,
    dump_check,
    dump_take,
    scratch_drop_stale,
    server_version,
)
from plexomatic_site import __version__
from plexomatic_site.environment import owner_only_file
from plexomatic_site.progress import Progress, progress_ignore
from plexomatic_site.startup import database_is_new, migration_plan

# Pages copied per backup step (4 MiB at SQLite's default page size): large
# enough that the per-step overhead vanishes, small enough for smooth progress.
STEP_PAGES = 1024
# The copy is fsynced every 8 MiB as it grows: a commit of the site that must
# fsync (a checkpoint) then waits for at most that much of our writeback.
# Measured, 15 copies of 1.25 GB each under a writer committing every 5 ms:
# every 32 MiB, its longest waits were 80 ms median and 147 ms worst; every
# 8 MiB, 44 and 62 ms, for a copy of 3.45 s instead of 2.97 s.
FLUSH_EVERY_PAGES = 2 * STEP_PAGES
LOCK_TIMEOUT = 300.0
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    path: Path
    manifest: Manifest


@dataclass(frozen=True)
class Origin:
    """What a checked backup file holds and which engine wrote it, for its manifest."""

    migrations: dict[str, list[str]]
    sha256: str
    engine: str = SQLITE
    server_version: str = ""
    tables: dict[str, int] = field(default_factory=dict)


@dataclass
class Phases:
    """Seconds each phase of a backup took; the hash and the fsync run alongside the check."""

    copy: float = 0.0
    check: float = 0.0
    hash: float = 0.0
    fsync: float = 0.0
    publish: float = 0.0

    def __str__(self) -> str:
        return (
            f"copy {self.copy:.2f} s, check {self.check:.2f} s (alongside it: hash "
            f"{self.hash:.2f} s, fsync {self.fsync:.2f} s), publish {self.publish:.2f} s"
        )


def _copy(*, source: Path, target: Path, progress: Progress) -> None:
    """Copy the live database page by page inside one read transaction.

    Holding the read transaction pins one snapshot, so writes by other
    connections never make the copy restart; in WAL mode a reader never
    blocks a writer, so the site keeps writing while this runs.
    """
    owner_only_file(target)
    with (
        closing(sqlite3.connect(source, timeout=20, isolation_level=None)) as live,
        closing(sqlite3.connect(target, isolation_level=None)) as copy,
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="backup-flush") as flusher,
    ):
        # Pages the WAL does not hold are read from a memory map, not with
        # one read() each: a 1 GB copy takes 2.7 s instead of 4.2 s. No
        # checkpoint shrinks the file under a read transaction.
        live.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
        # The copy is private until renamed: no journal; we fsync it ourselves.
        copy.execute("PRAGMA journal_mode=OFF")
        copy.execute("PRAGMA synchronous=OFF")
        live.execute("BEGIN")
        live.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        flushed = 0
        flushing: Future[None] | None = None

        def step_done(status: int, remaining: int, total: int) -> None:
            nonlocal flushed, flushing
            done = total - remaining
            # Flush as we go: one big fsync at the end would queue a gigabyte
            # of writeback in front of the site's own commits and stall them.
            # Each fsync runs beside the copy, which waits for it only when
            # it has written the next whole chunk first: at most two chunks
            # ever wait for the disk.
            if done - flushed >= FLUSH_EVERY_PAGES:
                if flushing is not None:
                    flushing.result()
                flushing = flusher.submit(fsync_path, target)
                flushed = done
            progress(done, total, "Copying")

        try:
            live.backup(copy, pages=STEP_PAGES, progress=step_done)
        finally:
            live.execute("COMMIT")
        if flushing is not None:
            flushing.result()
        # The copy inherits WAL mode from the live file; a backup is one
        # self-contained file, so switch it back to a rollback journal.
        copy.execute("PRAGMA journal_mode=DELETE")


def check_and_hash(
    *, path: Path, identity: bool, label: str, progress: Progress, phases: Phases | None = None
) -> tuple[dict[str, list[str]], str]:
    """Integrity-check and hash a finished copy at the same time (both release the GIL)."""
    phases = phases or Phases()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="backup-hash") as pool:
        digest = pool.submit(_hash_and_sync, path, phases)
        started = time.perf_counter()
        applied = backup_check(path=path, identity=identity, label=label, progress=progress)
        phases.check = time.perf_counter() - started
        return applied, digest.result()


def _hash_and_sync(path: Path, phases: Phases) -> str:
    started = time.perf_counter()
    fsync_path(path)
    synced = time.perf_counter()
    digest = file_sha256(path)
    phases.fsync, phases.hash = synced - started, time.perf_counter() - synced
    return digest


def backup_create(
    *,
    kind: str,
    note: str = "",
    progress: Progress = progress_ignore,
    lock_timeout: float = LOCK_TIMEOUT,
    using: str = DEFAULT_DB_ALIAS,
    job_id: int | None = None,
    folder_locked: bool = False,
) -> Snapshot:
    """Snapshot the live database into the backup folder, checked and described.

    Touches only the filesystem (never the Backup index), so it also works
    before migrations, when the index table may not match the code yet.
    `folder_locked`: the caller (a restore) holds the folder lock already.
    Raises BackupError; on any failure nothing is left in the folder.
    """
    if kind not in BackupKind.values or kind == BackupKind.IMPORTED:
        raise BackupError(f"{kind!r} is not a kind of backup this install takes.")
    engine = live_engine(using=using)
    source = live_database_path(using=using) if engine == SQLITE else None
    if source is not None and not source.is_file():
        raise BackupError(f"The database {source} does not exist yet; there is nothing to back up.")
    folder = backup_folder()
    with nullcontext() if folder_locked else folder_lock(folder=folder, timeout=lock_timeout):
        now = datetime.now(UTC)
        final = folder / backup_file_name(kind, now, engine=engine)
        temp = folder / (TEMP_PREFIX + final.name)
        with cleanup_on_failure(temp=temp, final=final):
            phases = Phases()
            if source is not None:
                started = time.perf_counter()
                _copy(source=source, target=temp, progress=progress)
                phases.copy = time.perf_counter() - started
                applied, sha256 = check_and_hash(
                    path=temp, identity=False, label="The copy", progress=progress, phases=phases
                )
                origin = Origin(migrations=applied, sha256=sha256)
            else:
                origin = _dump(
                    server=Server.of(using),
                    temp=temp,
                    tidy=not folder_locked,
                    progress=progress,
                    phases=phases,
                )
            started = time.perf_counter()
            snapshot = snapshot_publish(
                temp=temp,
                final=final,
                kind=kind,
                note=note,
                origin=origin,
                created_at=now,
                job_id=job_id,
            )
            phases.publish = time.perf_counter() - started
            logger.debug("Backed up %s: %s", final.name, phases)
            return snapshot


def _dump(*, server: Server, temp: Path, tidy: bool, progress: Progress, phases: Phases) -> Origin:
    """pg_dump the live database into `temp`, then restore it into a scratch database,
    count every table again and compare, while it is hashed alongside.

    `tidy`: drop scratch databases a dead process left (the caller holds the
    folder lock but no scratch database of its own).
    """
    if tidy:
        scratch_drop_stale(server)
    progress(0, None, "Dumping")
    started = time.perf_counter()
    contents = dump_take(server=server, target=temp)
    phases.copy = time.perf_counter() - started
    progress(0, None, "Restoring the dump into a scratch database to check it")
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="backup-hash") as pool:
        digest = pool.submit(_hash_and_sync, temp, phases)
        started = time.perf_counter()
        dump_check(path=temp, server=server, label="The dump", expected=contents)
        phases.check = time.perf_counter() - started
        sha256 = digest.result()
    _major, version = server_version(server)
    return Origin(
        migrations=contents.migrations,
        sha256=sha256,
        engine=POSTGRESQL,
        server_version=version,
        tables=contents.tables,
    )


def backup_file_name(kind: str, now: datetime, *, engine: str = SQLITE) -> str:
    return f"plexomatic-{now:%Y%m%dT%H%M%S%fZ}-{kind}{BACKUP_SUFFIXES[engine]}"


_FILE_NAME_TIME = re.compile(r"plexomatic-(\d{8}T\d{12})Z-[a-z_]+")


def backup_name_time(name: str) -> datetime | None:
    """When a backup was taken, read from a name backup_file_name made (None: another name).

    An uploaded file keeps the name it was downloaded with, which says when it was taken.
    """
    found = _FILE_NAME_TIME.search(name)
    if found is None:
        return None
    try:
        return datetime.strptime(found[1], "%Y%m%dT%H%M%S%f").replace(tzinfo=UTC)
    except ValueError:  # digits in the shape of a time that is none (month 13)
        return None


@contextmanager
def cleanup_on_failure(
    *, temp: Path, final: Path, failure: str = "The backup failed"
) -> Iterator[None]:
    """Turn any failure into BackupError, leaving nothing behind in the folder.

    An interruption (Ctrl-C, SystemExit) cleans up too, and goes on as itself.
    """
    try:
        yield
    except BaseException as exc:
        remove_quietly(temp)
        if final.exists():
            raise  # interrupted after the rename: the backup stands, manifest and all
        manifest_path(final).unlink(missing_ok=True)
        if not isinstance(exc, (OSError, sqlite3.Error, BackupError)):
            raise
        reason = exc if isinstance(exc, BackupError) else _describe(exc)
        raise BackupError(f"{failure} and nothing was kept: {reason}") from exc


def snapshot_publish(
    *,
    temp: Path,
    final: Path,
    kind: str,
    note: str,
    origin: Origin,
    created_at: datetime,
    job_id: int | None = None,
) -> Snapshot:
    """Describe a checked, hashed, fsynced copy in its manifest and rename it into place."""
    manifest = Manifest(
        file_name=final.name,
        kind=kind,
        created_at=created_at,
        size=temp.stat().st_size,
        sha256=origin.sha256,
        app_version=__version__,
        migrations=origin.migrations,
        engine=origin.engine,
        sqlite_version=sqlite3.sqlite_version if origin.engine == SQLITE else "",
        server_version=origin.server_version,
        tables=origin.tables,
        note=note,
        checked_at=datetime.now(UTC),
        job_id=job_id,
        install_id=install_id(),
    )
    # Manifest first: a backup file is never visible without one.
    manifest_write(backup=final, manifest=manifest)
    os.replace(temp, final)
    try:
        fsync_folder(final.parent)
    except OSError:
        # The backup is whole and in place; only the rename's durability
        # across a power cut is in doubt, which is no reason to disown it.
        logger.warning("Could not fsync %s after publishing %s", final.parent, final.name)
    return Snapshot(path=final, manifest=manifest)


def _describe(exc: OSError | sqlite3.Error) -> str:
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc} ({exc.filename or 'backup folder'})."
    return f"SQLite said: {exc}."


def backup_before_migration(
    *,
    using: str = DEFAULT_DB_ALIAS,
    app_label: str | None = None,
    migration_name: str | None = None,
) -> Snapshot | None:
    """A pre_migration backup when `migrate` would change an existing database.

    Any plan counts, forwards or backwards: unapplying a migration drops
    tables and columns just as surely. A brand-new database (no migration
    applied yet) holds nothing to lose.
    """
    if connections[using].vendor not in BACKUP_SUFFIXES or database_is_new(using=using):
        return None
    plan = migration_plan(using=using, app_label=app_label, migration_name=migration_name)
    if not plan:
        return None
    names = ", ".join(
        f"{m.app_label}.{m.name}{' (unapply)' if backwards else ''}" for m, backwards in plan[:3]
    )
    more = f" and {len(plan) - 3} more" if len(plan) > 3 else ""
    return backup_create(
        kind=BackupKind.PRE_MIGRATION, note=f"Before migrating: {names}{more}", using=using
    )
