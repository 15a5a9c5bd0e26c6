"""`vacuum`: compact the SQLite database file (VACUUM), as the Backups page offers."""

from __future__ import annotations

from typing import Any

from django.template.defaultfilters import filesizeformat

from plexomatic_site.commands import PlexomaticCommand
from plexomatic_site.database import database_vacuum, vacuum_check
from plexomatic_site.jobs import LockKey, job_run, jobs_claim
from plexomatic_site.models import JobKind


class Command(PlexomaticCommand):
    help = (
        "Compact the SQLite database (VACUUM): rewrite it without the free pages that deleted "
        "rows left, and give them back to the disk. Refused while another job runs, or when "
        "the disk lacks room for the compacted copies."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        space = vacuum_check()
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"{space.path}: {filesizeformat(space.size)}, of which "
                f"{filesizeformat(space.reclaimable)} is free pages; compacting…"
            )
        jobs = jobs_claim(kind=JobKind.VACUUM, locks=[LockKey.DATABASE])
        self.summary(job_run(jobs, database_vacuum).headline())
