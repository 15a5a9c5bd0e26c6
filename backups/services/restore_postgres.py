"""Restoring a pg_dump backup into the live PostgreSQL database, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connections

from backups.errors import BackupError, BackupInvalid
from backups.models import BackupKind
from backups.services.check import identity_problem, migrations_missing
from backups.services.folder import TEMP_PREFIX, folder_lock
from backups.services.manifest import Manifest, file_sha256
from backups.services.postgres import (
    Contents,
    Server,
    ToolFailed,
    contents_problem,
    dump_load,
    dump_restored,
    dump_take,
    scratch_drop_stale,
)
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
from backups.services.snapshot import LOCK_TIMEOUT, Snapshot, backup_create
from plexomatic_site.file_removal import file_remove
from plexomatic_site.progress import Progress

# A restore waits this long for the site's open transactions to let go of a
# table, then gives up (and changes nothing) rather than hang the site.
LOCK_WAIT_MS = 60_000


@dataclass(frozen=True)
class Restored:
    undo: Snapshot
    migrated: list[str]
    has_admin: bool


def _refuse_unlike_manifest(*, path: Path, manifest: Manifest, contents: Contents) -> None:
    expected = Contents(migrations=manifest.migrations, tables=manifest.tables)
    problem = contents_problem(actual=contents, expected=expected) or identity_problem(
        contents.migrations, what="a PostgreSQL dump"
    )
    if problem is not None:
        raise BackupInvalid(f"{path.name} {problem}.")


def _has_admin(using: str) -> bool:
    users = get_user_model()._default_manager.using(using)
    return users.filter(is_superuser=True, is_active=True).exists()


def dump_restore(
    *, path: Path, manifest: Manifest, allow_no_admin: bool, progress: Progress
) -> Restored:
    """Replace the live database's contents with the dump at `path`.

    The dump is restored into a scratch database first and made ready there
    (checked against its manifest, migrated forward, its unfinished jobs
    ended); that staged database is dumped again and loaded into the live
    one by pg_restore in a single transaction that drops and recreates every
    table: a failure anywhere rolls it back, leaving the live data as it was.
    The pre_restore backup is taken just before that load.
    """
    server = Server.of()
    with folder_lock(folder=path.parent, timeout=LOCK_TIMEOUT):
        scratch_drop_stale(server)
        progress(0, None, "Hashing")
        if (actual := file_sha256(path)) != manifest.sha256:
            raise BackupInvalid(
                f"{path.name} does not match its manifest (sha256 {actual[:12]}… where the "
                f"manifest says {manifest.sha256[:12]}…): the file was changed or damaged."
            )
        progress(0, None, "Restoring it into a scratch database")
        staged_dump = path.parent / f"{TEMP_PREFIX}restoring-{path.name}"
        try:
            with dump_restored(path=path, server=server, label=path.name) as (staged, contents):
                _refuse_unlike_manifest(path=path, manifest=manifest, contents=contents)
                missing = migrations_missing(contents.migrations)
                with staging_connection(staged.name) as using:
                    has_admin = refuse_no_admin(
                        has_admin=_has_admin(using),
                        name=path.name,
                        allow_no_admin=allow_no_admin,
                    )
                    if missing:
                        progress(0, None, "Migrating the restored database forward")
                        migrate_staged(using=using, label=path.name)
                    end_restored_jobs(using=using, manifest=manifest)
                dump_take(server=staged, target=staged_dump)
            refuse_while_jobs_run()
            undo = backup_create(
                kind=BackupKind.PRE_RESTORE,
                note=f"Before restoring {path.name}",
                progress=progress,
                folder_locked=True,
            )
            progress(0, None, "Restoring")
            _load_live(source=staged_dump, server=server, label=path.name, undo=undo)
        finally:
            file_remove(staged_dump, missing_ok=True)
        if (problem := self_check_problem()) is not None:
            _load_live(source=undo.path, server=server, label=undo.path.name, undo=None)
            connections.close_all()
            raise RestoredButUndone(
                f"{path.name} was restored but failed the check that follows a restore "
                f"({problem}), so the database was put back as it was before, from "
                f"{undo.path.name}; nothing was lost."
            )
    return Restored(undo=undo, migrated=missing, has_admin=has_admin)


def _load_live(*, source: Path, server: Server, label: str, undo: Snapshot | None) -> None:
    """Load `source` over the live database in one transaction; on failure nothing changed.

    `undo`: the pre_restore backup of a restore that did not happen, removed then.
    """
    # The site's connections may cache what the old tables looked like.
    connections.close_all()
    options = f"{server.params.get('options', '')} -c lock_timeout={LOCK_WAIT_MS}".strip()
    waiting = Server(params={**server.params, "options": options})
    try:
        dump_load(path=source, into=waiting, clean=True)
    except ToolFailed as exc:
        if undo is not None:
            undo_discard(undo)
        raise BackupError(
            f"{label} was not restored: loading it failed (pg_restore said: {exc.said}); the "
            "restore ran in one transaction, which was rolled back, so the database is unchanged."
        ) from None
