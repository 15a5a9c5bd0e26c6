"""Library locks for renaming jobs: one job per library at a time.

Scans, applies and rollbacks of a library all use the lock key
`library:<id>`, so they never overlap, whichever process starts them.
"""

from __future__ import annotations

from collections.abc import Iterable

from library.models import Library
from plexomatic_site.jobs import JobBusy, job_claim, job_finish
from plexomatic_site.models import Job


def library_lock_key(library: Library) -> str:
    return f"library:{library.pk}"


def library_jobs_claim(
    *, kind: str, libraries: Iterable[Library], user: object = None, queued: bool = False
) -> list[Job]:
    """Claim every library's lock, or none of them (raises JobBusy)."""
    claimed: list[Job] = []
    try:
        for library in sorted(libraries, key=lambda lib: lib.pk):
            claimed.append(
                job_claim(kind=kind, lock_key=library_lock_key(library), user=user, queued=queued)
            )
    except JobBusy:
        for job in claimed:
            job_finish(job, error="Not started: another library involved was busy.")
        raise
    return claimed
