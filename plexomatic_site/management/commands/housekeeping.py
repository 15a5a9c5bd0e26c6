"""`housekeeping`: prune the job history and the task queue now (`serve` does it daily)."""

from __future__ import annotations

from typing import Any

from plexomatic_site.commands import PlexomaticCommand
from plexomatic_site.housekeeping import housekeeping_run


class Command(PlexomaticCommand):
    help = (
        "Delete finished jobs and finished task-queue rows older than the job_history_days "
        "setting or beyond the newest job_history_max_rows (serve does this once a day). "
        "Queued and running jobs, and the latest job of each library and of backups, are kept."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        pruned = housekeeping_run()
        self.summary(
            f"Pruned {pruned.jobs} finished job(s) and {pruned.task_results} task-queue row(s) "
            f"(keeping {pruned.keep_days} days, at most {pruned.keep_rows} of each)."
        )
