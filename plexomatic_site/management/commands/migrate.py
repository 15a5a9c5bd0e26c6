"""`migrate`, guarded: never on a newer database, and with a backup first."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.core.management.commands.migrate import Command as DjangoMigrateCommand

from backups.errors import BackupError
from backups.services.snapshot import backup_before_migration
from plexomatic_site.commands import UserErrorsMixin
from plexomatic_site.startup import database_refuse_newer


class Command(UserErrorsMixin, DjangoMigrateCommand):
    help = (
        "Apply database migrations. Refuses a database written by a newer Plex-o-matic "
        "and backs up an existing database before changing its schema."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        database_refuse_newer(using=options["database"])
        # Before any schema change (applying or unapplying) on a database that
        # has data, back it up; if that fails, migrate nothing.
        if not (options["plan"] or options["check_unapplied"]):
            try:
                snapshot = backup_before_migration(
                    using=options["database"],
                    app_label=options["app_label"],
                    migration_name=options["migration_name"],
                )
            except BackupError as exc:
                # Said here: only this command knows nothing was migrated.
                raise CommandError(f"{exc} No migration was applied.") from None
            if snapshot is not None and options["verbosity"] > 0:
                self.stdout.write(f"Backed up the database before migrating: {snapshot.path}")
        super().handle(*args, **options)
