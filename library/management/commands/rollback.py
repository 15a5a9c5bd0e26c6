"""`rollback`: undo an apply (a batch) or one file operation."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.management.base import CommandError, CommandParser

from library.management.plan_job import plan_job
from library.models import Batch, FileOperation
from library.services.locks import library_lock
from library.services.rollback import operations_rollback, rollback_libraries
from plexomatic_site.commands import PlexomaticCommand
from plexomatic_site.jobs import job_run, jobs_claim
from plexomatic_site.models import JobKind


class Command(PlexomaticCommand):
    help = (
        "Move files back to where they were before an apply: a whole batch (--batch) or one "
        "operation (--operation). Newest first, checksum verified, never overwriting."
    )
    long_running = True

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--batch", type=int, help="Roll back every operation of batch N.")
        which.add_argument("--operation", type=int, help="Roll back operation N only.")
        parser.add_argument(
            "--yes", action="store_true", help="Really move the files back (required)."
        )

    def handle(
        self,
        *args: Any,
        batch: int | None,
        operation: int | None,
        yes: bool,
        **options: Any,
    ) -> None:
        operations = self._operations(batch=batch, operation=operation)
        if not yes:
            raise CommandError("rollback moves files on disk; add --yes to go ahead.")
        libraries = rollback_libraries(operations)
        jobs = jobs_claim(kind=JobKind.ROLLBACK, locks=[library_lock(lib) for lib in libraries])
        with self.progress("Rollback") as bar:
            work = partial(operations_rollback, operations=operations)
            summary = job_run(jobs, work, progress=bar).job_summary()
        for library in libraries:
            plan_job(self, library)
        for line in summary.lines():
            self.stderr.write(f"  {line.text}")
        if summary.not_rolled_back:
            raise CommandError(f"{summary.headline()} See above.")
        self.summary(summary.headline())

    def _operations(self, *, batch: int | None, operation: int | None) -> list[FileOperation]:
        queryset = FileOperation.objects.select_related("batch__library")
        if operation is not None:
            op = queryset.filter(pk=operation).first()
            if op is None:
                raise CommandError(f"There is no operation {operation}.")
            if op.status == FileOperation.Status.ROLLED_BACK:
                raise CommandError(
                    f"Operation {operation} was already rolled back on "
                    f"{op.rolled_back_at:%Y-%m-%d %H:%M} UTC."
                )
            return [op]
        assert batch is not None  # argparse requires --batch or --operation
        if not Batch.objects.filter(pk=batch).exists():
            raise CommandError(f"There is no batch {batch}.")
        operations = list(queryset.filter(batch_id=batch, status=FileOperation.Status.COMPLETED))
        if not operations:
            raise CommandError(f"Batch {batch} has no completed operation left to roll back.")
        return operations
