"""The library lock: scans, applies, rollbacks and recovery of one library never overlap.

They all lock `library:<id>`, whichever process starts them; the lock carries the
library's worker host, so a queued job waits for a worker on that host.
"""

from __future__ import annotations

from library.models import Library
from plexomatic_site.jobs import LockKey


def library_lock(library: Library) -> LockKey:
    return LockKey(
        "library",
        library.pk,
        subject=f"library “{library.name}”",
        worker_host=library.worker_host,
    )
