"""`migrate`, guarded: never on a newer database, and with a backup first."""

from __future__ import annotations

from typing import Any

from django.core.management.commands.migrate import Command as DjangoMigrateCommand

from plexomatic_site.startup import database_refuse_newer


class Command(DjangoMigrateCommand):
    help = (
        "Apply database migrations. Refuses a database written by a newer Plex-o-matic "
        "and backs up an existing database before changing its schema."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        database_refuse_newer(using=options["database"])
        # The pre-migration backup is taken here, before any schema change
        # (backups issue): when migrations are pending on a database that has
        # data, back it up; if that fails, raise and migrate nothing.
        super().handle(*args, **options)
