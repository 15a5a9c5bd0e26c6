"""`rollback`: undo an apply (a batch) or one file operation."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from library.models import Batch, FileOperation
from library.services.locks import library_jobs_claim
from library.services.rollback import operations_rollback, rollback_libraries
from plexomatic_site.jobs import JobBusy, job_progress_callback, jobs_running
from plexomatic_site.progress import progress_bar, progress_to_all


class Command(BaseCommand):
    help = (
        "Move files back to where they were before an apply: a whole batch (--batch) or one "
        "operation (--operation). Newest first, checksum verified, never overwriting."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--batch", type=int, help="Roll back every operation of batch N.")
        which.add_argument("--operation", type=int, help="Roll back operation N only.")
        parser.add_argument(
            "--yes", action="store_true", help="Really move the files back (required)."
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not draw a progress bar on stderr."
        )

    def handle(
        self,
        *args: Any,
        batch: int | None,
        operation: int | None,
        yes: bool,
        no_progress: bool,
        **options: Any,
    ) -> None:
        operations = self._operations(batch=batch, operation=operation)
        if not yes:
            raise CommandError("rollback moves files on disk; add --yes to go ahead.")
        try:
            jobs = library_jobs_claim(kind="rollback", libraries=rollback_libraries(operations))
        except JobBusy as exc:
            raise CommandError(str(exc)) from None
        with jobs_running(jobs) as run, progress_bar("Rollback", enabled=not no_progress) as bar:
            progress = progress_to_all(bar, job_progress_callback(jobs[0]))
            result = operations_rollback(operations=operations, progress=progress)
            run.summary = result.summary()
        for problem in result.problems:
            op = problem.operation
            self.stderr.write(
                f"  not rolled back: operation {op.pk} ({op.new_path}): {problem.reason}"
            )
        line = f"Rolled back {result.rolled_back} of {len(operations)} operation(s)"
        if result.problems:
            raise CommandError(f"{line}; {len(result.problems)} could not be (see above).")
        self.stdout.write(self.style.SUCCESS(f"{line}."))

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
