from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from library.management.library_arg import libraries_from_arguments
from library.services.locks import library_lock_key
from library.services.scan import ScanError, library_scan
from plexomatic_site.jobs import JobBusy, job_claim, job_progress_callback, jobs_running
from plexomatic_site.progress import progress_bar, progress_to_all


class Command(BaseCommand):
    help = (
        "Scan libraries for media files and recognise them. Only new or changed files are "
        "looked at again. With no LIBRARY, every enabled library is scanned."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "libraries",
            nargs="*",
            metavar="LIBRARY",
            help="Library name or id (default: all enabled).",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not draw a progress bar on stderr."
        )

    def handle(self, *args: Any, libraries: list[str], no_progress: bool, **options: Any) -> None:
        targets = libraries_from_arguments(libraries)
        failures = 0
        for library in targets:
            try:
                job = job_claim(kind="scan", lock_key=library_lock_key(library))
            except JobBusy as exc:
                raise CommandError(f"Library “{library.name}”: {exc}") from None
            try:
                with (
                    jobs_running([job]) as run,
                    progress_bar(library.name, enabled=not no_progress) as bar,
                ):
                    # The site shows a command-line scan's progress too.
                    progress = progress_to_all(bar, job_progress_callback(job))
                    summary = library_scan(library=library, progress=progress)
                    run.summary = summary.as_dict()
            except ScanError as exc:
                self.stderr.write(f"Library “{library.name}”: {exc}")
                failures += 1
                continue
            for error in summary.errors:
                self.stderr.write(f"  {error}")
            self.stdout.write(f"{library.name}: {summary.line()}")
        if failures:
            raise CommandError(f"{failures} of {len(targets)} libraries could not be scanned.")
