"""What differs between database engines: upkeep of the SQLite file (the query
planner's statistics, compaction), and serialising writers on PostgreSQL.

`database_optimize` runs `PRAGMA optimize` (at `serve` start-up and after a
scan that changed many rows), which re-analyses only the tables whose
statistics have gone stale. `database_vacuum` runs `VACUUM`, which rewrites
the file without the free pages deleted rows left behind; it is a job
(JobKind.VACUUM, started from the Backups page or `manage.py vacuum`).
Other database engines keep their own statistics and space: neither applies.

`transaction_lock` makes writers of one thing take turns, which SQLite's
IMMEDIATE transactions already do for every writer.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections
from django.template.defaultfilters import filesizeformat

from plexomatic_site.errors import PlexomaticError
from plexomatic_site.jobs import LockKey, job_active_other
from plexomatic_site.progress import Progress, progress_ignore
from plexomatic_site.summaries import VacuumSummary

# A scan that changed at least this many rows is followed by PRAGMA optimize.
OPTIMIZE_AFTER_ROWS = 1000
# Rows ANALYZE samples per index: statistics good enough for the planner, in
# milliseconds even on a large table (SQLite's own advice: 100 to 1000).
ANALYSIS_LIMIT = 400
# Where SQLite looks for a temporary folder on Unix, after $SQLITE_TMPDIR and $TMPDIR
# (only measured here, never written to by us).
UNIX_TEMP = ("/var/tmp", "/usr/tmp", "/tmp")  # noqa: S108
# Room kept free beside VACUUM's copies (the site and its log go on writing).
VACUUM_SPARE_BYTES = 16 * 1024**2


class DatabaseMaintenanceError(PlexomaticError):
    """Compacting does not apply to this database, or cannot run now."""


@dataclass(frozen=True)
class DatabaseSpace:
    """How the SQLite file's pages are used: what VACUUM would give back."""

    path: Path
    page_size: int
    pages: int
    free_pages: int

    @property
    def size(self) -> int:
        return self.pages * self.page_size

    @property
    def reclaimable(self) -> int:
        """The free pages: VACUUM's expected gain."""
        return self.free_pages * self.page_size

    @property
    def compacted(self) -> int:
        """The size after VACUUM, and the size of each copy it writes."""
        return self.size - self.reclaimable


def database_optimize(*, changed_rows: int | None = None, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Refresh the query planner's statistics where SQLite finds them stale.

    At start-up (no `changed_rows`), or after work that changed at least
    OPTIMIZE_AFTER_ROWS rows. Returns whether it ran. The 0x10000 bit checks
    every table, not only those this connection has used (SQLite 3.46+; older
    versions check the tables this connection queried).
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    if changed_rows is not None and changed_rows < OPTIMIZE_AFTER_ROWS:
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        cursor.execute("PRAGMA optimize=0x10002")
    return True


def transaction_lock(name: str, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Make writers of `name` take turns until the current transaction ends.

    A read-then-write (find the active row, replace it) is only safe if no
    one else does it at the same time. SQLite needs nothing here: every
    transaction begins IMMEDIATE, holding the file's one write lock. On
    PostgreSQL a row lock cannot cover a row that does not exist yet, so two
    writers would both insert and the second would hit a unique constraint;
    a transaction-scoped advisory lock on the name makes it wait instead.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise RuntimeError("transaction_lock() holds until the transaction ends: call it in one.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])


def database_space(*, using: str = DEFAULT_DB_ALIAS) -> DatabaseSpace:
    """The live SQLite file's size and free pages; other engines are refused with a sentence."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        raise DatabaseMaintenanceError(
            f"Compacting applies to SQLite only; this site's database is {connection.vendor} "
            "(DATABASE_URL), which reclaims space with its own tools (e.g. autovacuum)."
        )
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise DatabaseMaintenanceError("The database is not a file on disk; nothing to compact.")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT page_size, page_count, freelist_count "
            "FROM pragma_page_size(), pragma_page_count(), pragma_freelist_count()"
        )
        page_size, pages, free_pages = cursor.fetchone()
    return DatabaseSpace(
        path=Path(name).resolve(), page_size=page_size, pages=pages, free_pages=free_pages
    )


def _sqlite_temp_folder() -> Path:
    """Where SQLite puts VACUUM's temporary copy: its own search order."""
    if os.name == "nt":
        return Path(os.environ.get("TMP") or os.environ.get("TEMP") or Path.cwd())
    for candidate in (os.environ.get("SQLITE_TMPDIR"), os.environ.get("TMPDIR"), *UNIX_TEMP):
        if candidate and os.path.isdir(candidate) and os.access(candidate, os.W_OK | os.X_OK):
            return Path(candidate)
    return Path.cwd()


def vacuum_refusal(space: DatabaseSpace) -> str | None:
    """Why VACUUM cannot run for lack of disk space, or None when there is room.

    VACUUM writes a compacted copy to SQLite's temporary folder, then writes
    it again into the write-ahead log beside the database before folding it
    back: about the compacted size twice, once on each disk (twice on one).
    """
    needs: dict[int, tuple[Path, int]] = {}
    for folder in (space.path.parent, _sqlite_temp_folder()):
        device = os.stat(folder).st_dev
        known, total = needs.get(device, (folder, 0))
        needs[device] = (known, total + space.compacted)
    for folder, needed in needs.values():
        free = shutil.disk_usage(folder).free
        if free < needed + VACUUM_SPARE_BYTES:
            return (
                f"Compacting the database needs about {filesizeformat(needed)} free in {folder} "
                f"for its copies of the database, and {filesizeformat(free)} is free there; "
                "free some space first."
            )
    return None


def vacuum_check(*, using: str = DEFAULT_DB_ALIAS) -> DatabaseSpace:
    """Refuse, with a sentence, a VACUUM that cannot run now; otherwise the space it works on.

    It runs alone: it holds the database's write lock from start to end, so
    another job would stall behind it (or it behind them).
    """
    space = database_space(using=using)
    refusal = vacuum_refusal(space)
    if refusal is not None:
        raise DatabaseMaintenanceError(refusal)
    other = job_active_other(besides=LockKey.DATABASE)
    if other is not None:
        raise DatabaseMaintenanceError(
            f"{other.phrase} is {other.get_status_display().lower()}; compact the database "
            "when it has finished."
        )
    return space


def database_vacuum(
    *, progress: Progress = progress_ignore, using: str = DEFAULT_DB_ALIAS
) -> VacuumSummary:
    """Rewrite the database without its free pages (the work of a vacuum job).

    Other connections go on reading while it runs (WAL); their writes wait
    for it. The log is then folded back and emptied, so the file shrinks now.
    """
    before = vacuum_check(using=using)
    progress(0, None, "Compacting the database")
    started = time.monotonic()
    with connections[using].cursor() as cursor:
        cursor.execute("VACUUM")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    after = database_space(using=using)
    return VacuumSummary(
        size_before=before.size,
        size_after=after.size,
        seconds=round(time.monotonic() - started, 3),
    )
