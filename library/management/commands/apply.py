"""`apply`: rename files as `preview` shows, journaled so each move can be rolled back."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.management.base import CommandError, CommandParser

from library.management.library_arg import libraries_from_option
from library.management.plan_job import plan_job
from library.services.apply import library_apply
from library.services.locks import library_lock
from plexomatic_site.commands import PlexomaticCommand
from plexomatic_site.jobs import job_run, jobs_claim
from plexomatic_site.models import JobKind


class Command(PlexomaticCommand):
    help = (
        "Rename media files to their Plex names, as `preview` shows. Every move is journaled "
        "first, never overwrites a file, and can be undone with `rollback --batch N`."
    )
    long_running = True

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--library", help="Library name or id (default: every enabled library)."
        )
        parser.add_argument(
            "--yes", action="store_true", help="Really rename the files (required)."
        )
        parser.add_argument(
            "--full-checksum",
            action="store_true",
            help="Hash each file's whole content for the journal (default: the setting).",
        )

    def handle(
        self, *args: Any, library: str | None, yes: bool, full_checksum: bool, **options: Any
    ) -> None:
        libraries = libraries_from_option(library)
        if not yes:
            raise CommandError(
                "apply renames files on disk; check them with `preview` first, then add --yes."
            )
        renamed = failed = 0
        for lib in libraries:
            jobs = jobs_claim(kind=JobKind.APPLY, locks=[library_lock(lib)])
            with self.progress(lib.name) as bar:
                work = partial(library_apply, library=lib, full_checksum=full_checksum or None)
                summary = job_run(jobs, work, progress=bar).job_summary()
            for line in summary.lines():
                if line.level == "error":
                    self.stderr.write(f"  {line.text}")
            self.stdout.write(f"{lib.name}: {summary.headline()}")
            plan_job(self, lib)
            renamed += summary.completed
            failed += summary.failed
        if failed:
            raise CommandError(
                f"{failed} file(s) could not be renamed ({renamed} were); see above."
            )
        self.summary(f"Renamed {renamed} file(s).")
