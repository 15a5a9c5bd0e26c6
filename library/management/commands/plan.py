"""`plan`: bring the stored rename plan of each library up to date (the preview reads it)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.management.base import CommandParser

from library.management.library_arg import libraries_from_arguments
from library.services.locks import library_lock
from library.services.plan_store import plan_refresh
from plexomatic_site.commands import PlexomaticCommand
from plexomatic_site.jobs import job_run, jobs_claim
from plexomatic_site.models import JobKind


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
            jobs = jobs_claim(kind=JobKind.PLAN, locks=[library_lock(library)])
            with self.progress(library.name) as bar:
                refresh = job_run(jobs, partial(plan_refresh, library=library), progress=bar)
            self.stdout.write(f"{library.name}: {refresh.job_summary().headline()}")
