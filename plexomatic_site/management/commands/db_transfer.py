"""`db_transfer`: copy this site's database into an empty database of another engine."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from plexomatic_site.commands import PlexomaticCommand
from plexomatic_site.transfer import database_transfer


class Command(PlexomaticCommand):
    help = (
        "Copy every row of this site's database (DATABASE_URL, or the SQLite file in the data "
        "folder) into an empty database of the other engine, to move from SQLite to PostgreSQL "
        "or back. The target is migrated first, each model's row count is compared and "
        "sequences are reset; a target that has any table is refused. Stop the site first: "
        "what it writes during the copy is not transferred."
    )
    long_running = True

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "target",
            metavar="TARGET_URL",
            help="postgres://user@host:port/name (the password is best left to the PGPASSWORD "
            "environment variable, not the command line) or sqlite:////absolute/path.sqlite3.",
        )

    def handle(self, *args: Any, target: str, **options: Any) -> None:
        with self.progress("Transferring", unit=" models") as progress:
            done = database_transfer(url=target, progress=progress)
        self.summary(
            f"Copied {done.total} rows of {len(done.rows)} models into the {done.target}; "
            "every row count matches. Point DATABASE_URL at it to use it."
        )
