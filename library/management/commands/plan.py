"""`plan`: bring the stored rename plan of each library up to date (the preview reads it)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from library.management.library_arg import libraries_from_arguments
from library.management.plan_job import plan_job
from plexomatic_site.commands import PlexomaticCommand


class Command(PlexomaticCommand):
    help = (
        "Plan the renames of libraries again and store the plan the rename preview shows. "
        "Scans, applies and rollbacks do this themselves; use it after changing a library "
        "behind the site's back. With no LIBRARY, every enabled library."
    )
    long_running = True

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "libraries", nargs="*", metavar="LIBRARY", help="Library name or id (default: all)."
        )

    def handle(self, *args: Any, libraries: list[str], **options: Any) -> None:
        for library in libraries_from_arguments(libraries):
            plan_job(self, library)
