"""The thread in `serve` that takes scheduled backups, so no cron job is needed."""

from __future__ import annotations

import logging
import threading
import time
from contextlib import suppress

from django.db import DatabaseError, close_old_connections, connections

from backups.errors import BackupError
from backups.models import BackupKind
from backups.services.schedule import backup_due, backup_job_run
from backups.services.sync import backups_sync
from plexomatic_site.jobs import JobBusy

logger = logging.getLogger(__name__)
RETRY_AFTER_FAILURE = 15 * 60.0


class BackupScheduler(threading.Thread):
    """Checks every `check_every` seconds (first at start, to catch up on a missed slot)."""

    def __init__(self, *, check_every: float = 60.0) -> None:
        super().__init__(name="plexomatic-backups", daemon=True)
        self.check_every = check_every
        self._stopping = threading.Event()
        self._retry_at = 0.0

    def run(self) -> None:
        while not self._stopping.is_set():
            self.run_due()
            self._stopping.wait(self.check_every)

    def run_due(self) -> None:
        if time.monotonic() < self._retry_at:
            return
        try:
            close_old_connections()
            # Pick up backups made by other processes (cron, a pre-migration
            # one); a folder problem fails the backup below, which records it.
            with suppress(BackupError):
                backups_sync()
            if backup_due():
                taken = backup_job_run(kind=BackupKind.SCHEDULED)
                logger.info("Scheduled backup written to %s", taken.snapshot.path)
        except JobBusy:
            logger.info("A backup is already running; the scheduled one waits for the next check.")
        except BackupError as exc:
            # Recorded on the job by backup_job_run; the overview shows it. Retry
            # later, not every minute, so failures do not flood the job list.
            self._retry_at = time.monotonic() + RETRY_AFTER_FAILURE
            logger.error("Scheduled backup failed: %s", exc)
        except DatabaseError:
            logger.exception("Scheduled backup could not read or write the database")
        except Exception:
            # A bug must not end scheduled backups for the life of the process:
            # log it with its traceback, retry later like any failure.
            self._retry_at = time.monotonic() + RETRY_AFTER_FAILURE
            logger.exception("Scheduled backup stopped unexpectedly")
        finally:
            connections.close_all()

    def stop(self, *, timeout: float = 30.0) -> None:
        """Ask the thread to stop and wait for a backup in progress to finish."""
        self._stopping.set()
        self.join(timeout=timeout)
