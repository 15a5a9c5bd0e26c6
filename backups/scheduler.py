"""The thread in `serve` that takes scheduled backups, so no cron job is needed."""

from __future__ import annotations

import logging
import time
from contextlib import suppress

from django.db import DatabaseError

from backups.errors import BackupError
from backups.models import BackupKind
from backups.services.schedule import backup_due, backup_job_run
from backups.services.sync import backups_sync
from plexomatic_site.jobs import JobBusy
from plexomatic_site.periodic import PeriodicThread

logger = logging.getLogger(__name__)
RETRY_AFTER_FAILURE = 15 * 60.0


class BackupScheduler(PeriodicThread):
    """Checks every `check_every` seconds (first at start, to catch up on a missed slot)."""

    def __init__(self, *, check_every: float = 60.0) -> None:
        super().__init__(name="plexomatic-backups", every=check_every)
        self._retry_at = 0.0

    def run_due(self) -> None:
        if time.monotonic() < self._retry_at:
            return
        try:
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
            # A bug: logged with its traceback, and retried later like any failure.
            self._retry_at = time.monotonic() + RETRY_AFTER_FAILURE
            logger.exception("Scheduled backup stopped unexpectedly")
