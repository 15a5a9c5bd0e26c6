"""Reads about backups for the overview, /healthz and the backups page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from backups.models import Backup
from backups.services.schedule import backup_last_attempt
from plexomatic_site.models import Job


@dataclass(frozen=True)
class BackupHealth:
    last_successful: Backup | None
    # The backup whose check passed most recently (at creation or a later verify).
    last_verified: Backup | None
    last_attempt: Job | None
    interval_hours: int
    warnings: list[str] = field(default_factory=list)

    @property
    def state(self) -> str:
        if self.interval_hours <= 0 and not self.warnings:
            return "off"
        return "warning" if self.warnings else "ok"


def backup_health(*, interval_hours: int, now: datetime | None = None) -> BackupHealth:
    """The newest successful backup, the latest verification, and what needs attention.

    A backup counts only once it passed its integrity check (verified), and
    only if this install took it: a file copied into the folder by hand or
    uploaded, or one whose check failed, says nothing about whether this
    install's backups run. Warns when scheduling is on and the newest
    successful backup is older than two intervals, and when the latest backup
    attempt failed.
    """
    now = now or timezone.now()
    taken_here = Backup.objects.verified().taken_here()
    last_successful = taken_here.first()
    last_verified = taken_here.order_by("-verified_at", "-id").first()
    last_attempt = backup_last_attempt()
    warnings: list[str] = []
    if interval_hours > 0:
        if last_successful is None:
            warnings.append("There is no backup of the database yet.")
        elif now - last_successful.created_at > timedelta(hours=2 * interval_hours):
            warnings.append(
                f"The newest backup is from {last_successful.created_at:%Y-%m-%d %H:%M} UTC, "
                f"more than twice the {interval_hours}-hour backup interval ago."
            )
    if last_attempt is not None and last_attempt.status == Job.Status.FAILED:
        warnings.append(
            f"The last backup attempt failed ({last_attempt.finished_at:%Y-%m-%d %H:%M} UTC): "
            f"{last_attempt.error}"
        )
    return BackupHealth(
        last_successful=last_successful,
        last_verified=last_verified,
        last_attempt=last_attempt,
        interval_hours=interval_hours,
        warnings=warnings,
    )
