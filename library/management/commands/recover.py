"""`recover`: settle file operations interrupted by a crash (also run by `serve`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from library.services.recovery import operations_recover
from plexomatic_site.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Settle every file operation an apply or rollback left unfinished (a crash, a kill), "
        "from where the files are on disk. Files found at both paths or at neither are "
        "flagged on the overview for you to check; nothing is guessed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not draw a progress bar on stderr."
        )

    def handle(self, *args: Any, no_progress: bool, **options: Any) -> None:
        with progress_bar("Recover", enabled=not no_progress) as progress:
            result = operations_recover(progress=progress)
        line = (
            f"Recovered {result.settled} interrupted operation(s): {result.completed} completed, "
            f"{result.rolled_back} rolled back, {result.not_moved} not moved, "
            f"{result.flagged} flagged for you to check."
        )
        if result.settled or options["verbosity"] >= 1:
            self.stdout.write(line)
        if result.busy:
            # Not an error: the job running there settles its own operations.
            self.stderr.write(
                self.style.WARNING(
                    f"Skipped libraries with a running job: {', '.join(result.busy)}."
                )
            )
        if result.unavailable:
            self.stderr.write(
                self.style.WARNING(
                    "Skipped libraries whose folder is missing (not mounted?): "
                    f"{', '.join(result.unavailable)}; run `recover` again once it is back."
                )
            )
