"""The steps a restore takes whatever the engine: staging, its checks, and putting back."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.commands.migrate import Command as DjangoMigrateCommand
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import load_backend
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from backups.errors import BackupError
from backups.services.manifest import Manifest, manifest_path
from backups.services.snapshot import Snapshot
from backups.summaries import BackupSummary
from plexomatic_site.file_removal import file_remove
from plexomatic_site.jobs import job_active_other
from plexomatic_site.models import Job, JobKind
from plexomatic_site.startup import database_unknown_migrations

# The connection alias of the temporary copy being made ready to go live.
STAGING_ALIAS = "restore_staging"

INTERRUPTED = "Interrupted: the database was restored from a backup taken while this job ran."


class RestoredButUndone(BackupError):
    """The restore went live, failed its self-check and was put back: keep the undo backup."""


@contextmanager
def staging_connection(name: str | Path, *, alias: str = STAGING_ALIAS) -> Iterator[str]:
    """A Django connection alias on database `name` (a file, or a database on the server),
    configured like the live database.

    The connection exists in this thread only (it is not added to the
    DATABASES settings), so no other thread of the site can ever use it.
    """
    settings_dict = copy.deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict)
    settings_dict["NAME"] = str(name)
    staging = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    connections[alias] = staging
    try:
        yield alias
    finally:
        staging.close()
        del connections[alias]


def migrate_staged(*, using: str, label: str) -> None:
    try:
        # Django's own migrate: this is a copy of a backup that stays in the
        # folder, so no pre-migration backup of it is needed.
        call_command(DjangoMigrateCommand(), database=using, interactive=False, verbosity=0)
    except Exception as exc:
        raise BackupError(
            f"{label} was not restored: migrating it forward failed ({exc}); "
            "the database is unchanged."
        ) from exc


def refuse_while_jobs_run() -> None:
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


def end_restored_jobs(*, using: str, manifest: Manifest) -> None:
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


def self_check_problem() -> str | None:
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


def undo_discard(undo: Snapshot) -> None:
    """Remove the pre_restore backup of a restore that did not happen (never indexed)."""
    file_remove(undo.path, missing_ok=True)
    manifest_path(undo.path).unlink(missing_ok=True)


def refuse_no_admin(*, has_admin: bool | None, name: str, allow_no_admin: bool) -> bool:
    """True when the backup has an administrator; refuse one without unless allowed.

    `has_admin` None: the backup cannot say (its schema check refuses it).
    """
    if has_admin is not False:
        return True
    if not allow_no_admin:
        raise BackupError(
            f"{name} holds no active administrator: after restoring it, nobody could "
            "log in to manage the site, and first-run setup would open again (from this "
            "machine only). Confirm that you mean it (--allow-no-admin on the command line)."
        )
    return False
