"""`restore`: replace the database with a backup, after checking it and backing up."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from backups.services.folder import backup_folder, live_engine
from backups.services.restore import backup_restore
from backups.services.sync import backup_name_resolve
from plexomatic_site.commands import PlexomaticCommand
from plexomatic_site.startup import database_is_new


def _refuse_id_on_a_new_database(value: str) -> str:
    """Only a database with a backup index has ids (a fresh install has no index yet)."""
    if value.isascii() and value.isdigit() and database_is_new():
        raise CommandError(
            "This database is new, so it has no backup ids yet; give the backup's file name."
        )
    return value


class Command(PlexomaticCommand):
    help = (
        "Restore the database from a backup (id or file name in the backup folder). The "
        "backup is verified first, the current database is backed up (kind 'pre_restore') "
        "so the restore can be undone, and an older backup is migrated forward."
    )
    long_running = True
    # A fresh install restores onto the database it creates first (disaster recovery).
    needs_database = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", metavar="BACKUP", help="Backup id or file name.")
        parser.add_argument(
            "--yes", action="store_true", help="Really replace the database (required)."
        )
        parser.add_argument(
            "--allow-no-admin",
            action="store_true",
            help="Restore even a backup that holds no active administrator (superuser).",
        )

    def handle(
        self, *args: Any, backup: str, yes: bool, allow_no_admin: bool, **options: Any
    ) -> None:
        live_engine()
        backup_folder()  # exists and is writable, before anything reads it
        # No index re-sync here: a refused restore writes nothing to the
        # live database (backup_restore re-syncs once it has restored).
        name = backup_name_resolve(_refuse_id_on_a_new_database(backup))
        if not yes:
            raise CommandError(
                f"Restoring {name} replaces the whole database; add --yes to go ahead."
            )
        with self.progress("Restoring", unit=" pages") as progress:
            result = backup_restore(name=name, allow_no_admin=allow_no_admin, progress=progress)
        migrated = (
            f", then applied {len(result.migrated)} newer migration(s)" if result.migrated else ""
        )
        no_admin = (
            ""
            if result.has_admin
            else " It holds no administrator: run createsuperuser, or open /setup/ on this machine."
        )
        self.summary(
            f"Restored {result.restored}{migrated}. To undo, restore {result.undo.path.name}."
            f"{no_admin}"
        )
