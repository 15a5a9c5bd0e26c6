"""The PLAN job a command runs: `plan`, and `apply` and `rollback` after their moves."""

from __future__ import annotations

from functools import partial

from library.models import Library
from library.services.locks import library_lock
from library.services.plan_store import plan_and_check
from plexomatic_site.commands import PlexomaticCommand
from plexomatic_site.jobs import job_run, jobs_claim
from plexomatic_site.models import JobKind


def plan_job(command: PlexomaticCommand, library: Library) -> None:
    """Bring the stored plan of `library` up to date as a job of its own, and say so."""
    jobs = jobs_claim(kind=JobKind.PLAN, locks=[library_lock(library)])
    with command.progress(library.name) as bar:
        refresh = job_run(jobs, partial(plan_and_check, library=library), progress=bar)
    command.stdout.write(f"{library.name}: {refresh.job_summary().headline()}")
