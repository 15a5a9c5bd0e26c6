"""`apply`: rename files as `preview` shows, journaled so each move can be rolled back."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from library.management.library_arg import libraries_from_option
from library.services.apply import library_apply
from library.services.locks import library_lock_key
from plexomatic_site.jobs import JobBusy, job_claim, job_progress_callback, jobs_running
from plexomatic_site.progress import progress_bar, progress_to_all


class Command(BaseCommand):
    help = (
        "Rename media files to their Plex names, as `preview` shows. Every move is journaled "
        "first, never overwrites a file, and can be undone with `rollback --batch N`."
    )

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
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not draw a progress bar on stderr."
        )

    def handle(
        self,
        *args: Any,
        library: str | None,
        yes: bool,
        full_checksum: bool,
        no_progress: bool,
        **options: Any,
    ) -> None:
        libraries = libraries_from_option(library)
        if not yes:
            raise CommandError(
                "apply renames files on disk; check them with `preview` first, then add --yes."
            )
        renamed = failed = 0
        for lib in libraries:
            try:
                job = job_claim(kind="apply", lock_key=library_lock_key(lib))
            except JobBusy as exc:
                raise CommandError(f"Library “{lib.name}”: {exc}") from None
            with (
                jobs_running([job]) as run,
                progress_bar(lib.name, enabled=not no_progress) as bar,
            ):
                result = library_apply(
                    library=lib,
                    full_checksum=full_checksum or None,
                    # The site shows it too, and the heartbeat keeps the lock.
                    progress=progress_to_all(bar, job_progress_callback(job)),
                )
                run.summary = result.summary()
            for operation in result.failed:
                self.stderr.write(f"  not renamed: {operation.original_path}: {operation.error}")
            batch = f" (batch {result.batch.pk})" if result.batch else ""
            skipped = "".join(
                f", skipped ({label}): {n}" for label, n in sorted(result.skipped.items())
            )
            self.stdout.write(
                f"{lib.name}: {result.completed} renamed{batch}, "
                f"{len(result.failed)} failed{skipped}."
            )
            renamed += result.completed
            failed += len(result.failed)
        if failed:
            raise CommandError(
                f"{failed} file(s) could not be renamed ({renamed} were); see above."
            )
        self.stdout.write(self.style.SUCCESS(f"Renamed {renamed} file(s)."))
