"""`import_plexomatic`: bring the plex-o-matic command-line tool's history in."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import CommandParser

from library.services.importer import DEFAULT_PATH, plexomatic_import
from plexomatic_site.commands import PlexomaticCommand


class Command(PlexomaticCommand):
    help = (
        "Import the rename history of the plex-o-matic command-line tool (its file_renames "
        "table) into the operation history, as one batch. Running it again imports only "
        "what is new. The tool's database is only read."
    )
    long_running = True

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            default=DEFAULT_PATH,
            metavar="PATH",
            help=f"The tool's database (default: {DEFAULT_PATH}).",
        )

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        path = os.path.expanduser(path)
        with self.progress("Import") as progress:
            result = plexomatic_import(path=path, progress=progress)
        for reason in result.skipped:
            self.stderr.write(f"  skipped {reason}")
        if result.batch is None:
            self.stdout.write(
                f"Nothing new to import: {result.already} operation(s) were imported before"
                f", {len(result.skipped)} skipped."
            )
            return
        self.summary(
            f"Imported {result.imported} operation(s) into batch {result.batch.pk}; "
            f"{result.already} were imported before, {len(result.skipped)} skipped."
        )
