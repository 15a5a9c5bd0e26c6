"""`recover`: settle file operations interrupted by a crash (also run by `serve`)."""

from __future__ import annotations

from typing import Any

from library.services.recovery import operations_recover
from plexomatic_site.commands import PlexomaticCommand
from plexomatic_site.events import recovery_run


class Command(PlexomaticCommand):
    help = (
        "Settle every file operation an apply or rollback left unfinished (a crash, a kill), "
        "from where the files are on disk. Files found at both paths or at neither are "
        "flagged on the overview for you to check; nothing is guessed."
    )
    long_running = True

    def handle(self, *args: Any, **options: Any) -> None:
        with self.progress("Recover") as progress:
            result = operations_recover(progress=progress)
        line = (
            f"Recovered {result.settled} interrupted operation(s): {result.completed} completed, "
            f"{result.rolled_back} rolled back, {result.not_moved} not moved, "
            f"{result.flagged} flagged for you to check."
        )
        if result.settled or options["verbosity"] >= 1:
            self.stdout.write(line)
        for _receiver, sentence in recovery_run.send(sender=self.__class__):
            if sentence:
                self.stdout.write(sentence)
        if result.busy:
            # Not an error: the job running there settles its own operations.
            self.stderr.write(
                self.style.WARNING(
                    f"Skipped libraries with a running job: {', '.join(result.busy)}."
                )
            )
        if result.elsewhere:
            self.stderr.write(
                self.style.WARNING(
                    "Skipped libraries pinned to another worker host: "
                    f"{', '.join(result.elsewhere)}; its db_worker settles them when it starts."
                )
            )
        if result.unavailable:
            self.stderr.write(
                self.style.WARNING(
                    "Skipped libraries whose folder is missing (not mounted?): "
                    f"{', '.join(result.unavailable)}; run `recover` again once it is back."
                )
            )
