from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from library.models import Library
from library.selectors import library_by_name_or_id
from library.services.scan import ScanError, library_scan
from plexomatic_site.jobs import JobBusy, job_claim, job_finish


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
        try:
            targets = [library_by_name_or_id(value) for value in libraries]
        except ObjectDoesNotExist as exc:
            raise CommandError(str(exc)) from None
        if not libraries:
            targets = list(Library.objects.filter(enabled=True))
            if not targets:
                raise CommandError(
                    "There is no enabled library to scan; add one with `createlibrary NAME PATH`."
                )
        failures = 0
        for library in targets:
            try:
                job = job_claim(kind="scan", lock_key=f"library:{library.pk}")
            except JobBusy as exc:
                raise CommandError(f"Library “{library.name}”: {exc}") from None
            bar = tqdm(
                desc=library.name, unit=" files", file=sys.stderr, disable=no_progress, leave=False
            )

            def progress(done: int, total: int | None = None, message: str = "") -> None:
                bar.total = total
                bar.update(done - bar.n)

            try:
                summary = library_scan(library=library, progress=progress)
            except ScanError as exc:
                job_finish(job, error=str(exc))
                self.stderr.write(f"Library “{library.name}”: {exc}")
                failures += 1
                continue
            except BaseException as exc:
                job_finish(job, error=f"Stopped: {exc!r}")
                raise
            finally:
                bar.close()
            job_finish(job, summary=summary.as_dict())
            for error in summary.errors:
                self.stderr.write(f"  {error}")
            self.stdout.write(f"{library.name}: {summary.line()}")
        if failures:
            raise CommandError(f"{failures} of {len(targets)} libraries could not be scanned.")
