"""What must hold before the site serves: a database this code understands."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.migration import Migration


def database_refuse_newer(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Stop if the database has migrations this code does not know (a newer database).

    Running older code on a newer schema would corrupt data silently, so the
    only safe answers are: upgrade Plex-o-matic, or restore an older backup.
    """
    executor = MigrationExecutor(connections[using])
    applied = set(executor.recorder.applied_migrations())
    unknown = sorted(
        f"{app}.{name}" for app, name in applied - set(executor.loader.disk_migrations)
    )
    ours = [m for m in unknown if m.split(".")[0] in executor.loader.migrated_apps]
    if ours:
        raise CommandError(
            f"The database {connections[using].settings_dict['NAME']} was written by a newer "
            f"Plex-o-matic (it has migrations this version does not know: {', '.join(ours)}); "
            "upgrade Plex-o-matic or restore an older backup."
        )


def migrations_pending(*, using: str = DEFAULT_DB_ALIAS) -> list[Migration]:
    executor = MigrationExecutor(connections[using])
    return [
        migration for migration, _ in executor.migration_plan(executor.loader.graph.leaf_nodes())
    ]


def database_is_new(*, using: str = DEFAULT_DB_ALIAS) -> bool:
    """True when no migration has ever been applied: there is nothing to back up."""
    executor = MigrationExecutor(connections[using])
    return not executor.recorder.has_table() or not executor.recorder.applied_migrations()
