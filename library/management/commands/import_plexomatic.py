"""`import_plexomatic`: bring the plex-o-matic command-line tool's history in."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from library.services.importer import DEFAULT_PATH, NotPlexomaticDatabase, plexomatic_import
from plexomatic_site.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Import the rename history of the plex-o-matic command-line tool (its file_renames "
        "table) into the operation history, as one batch. Running it again imports only "
        "what is new. The tool's database is only read."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            default=DEFAULT_PATH,
            metavar="PATH",
            help=f"The tool's database (default: {DEFAULT_PATH}).",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not draw a progress bar on stderr."
        )

    def handle(self, *args: Any, path: str, no_progress: bool, **options: Any) -> None:
        path = os.path.expanduser(path)
        try:
            with progress_bar("Import", enabled=not no_progress) as progress:
                result = plexomatic_import(path=path, progress=progress)
        except NotPlexomaticDatabase as exc:
            raise CommandError(f"{exc} Nothing was imported.") from None
        for reason in result.skipped:
            self.stderr.write(f"  skipped {reason}")
        if result.batch is None:
            self.stdout.write(
                f"Nothing new to import: {result.already} operation(s) were imported before"
                f", {len(result.skipped)} skipped."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.imported} operation(s) into batch {result.batch.pk}; "
                f"{result.already} were imported before, {len(result.skipped)} skipped."
            )
        )
