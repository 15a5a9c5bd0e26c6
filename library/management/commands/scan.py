from __future__ import annotations

from functools import partial
from typing import Any

from django.core.management.base import CommandError, CommandParser

from library.errors import ScanError
from library.management.library_arg import libraries_from_arguments
from library.services.locks import library_lock
from library.services.scan import library_scan
from plexomatic_site.commands import PlexomaticCommand
from plexomatic_site.jobs import job_run, jobs_claim
from plexomatic_site.models import JobKind


class Command(PlexomaticCommand):
    help = (
        "Scan libraries for media files and recognise them. Only new or changed files are "
        "looked at again. With no LIBRARY, every enabled library is scanned."
    )
    long_running = True

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "libraries",
            nargs="*",
            metavar="LIBRARY",
            help="Library name or id (default: all enabled).",
        )

    def handle(self, *args: Any, libraries: list[str], **options: Any) -> None:
        targets = libraries_from_arguments(libraries)
        failures = 0
        for library in targets:
            jobs = jobs_claim(kind=JobKind.SCAN, locks=[library_lock(library)])
            try:
                with self.progress(library.name) as bar:
                    summary = job_run(jobs, partial(library_scan, library=library), progress=bar)
            except ScanError as exc:
                self.stderr.write(f"Library “{library.name}”: {exc}")
                failures += 1
                continue
            for error in summary.errors:
                self.stderr.write(f"  {error}")
            self.stdout.write(f"{library.name}: {summary.headline()}")
        if failures:
            raise CommandError(f"{failures} of {len(targets)} libraries could not be scanned.")
