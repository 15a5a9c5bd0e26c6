from __future__ import annotations

from django.conf import settings
from django.db import models


class ConfigurationHistory(models.Model):
    """One row per value a setting has ever had; the active row is the current one.

    Changing a setting deactivates the active row and adds a new one, so the
    whole history is kept and any earlier value can be restored.
    """

    config_key = models.CharField(max_length=100)
    # JSON text of the typed value (see plexomatic_site.settings_store).
    config_value = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(default=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The row this one restored, when the change was a revert.
    reverted_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "configuration change"
        verbose_name_plural = "configuration history"
        ordering = ["config_key", "-created_at", "-id"]
        constraints = [
            # A setting has exactly one current value.
            models.UniqueConstraint(
                fields=["config_key"],
                condition=models.Q(active=True),
                name="config_one_active_per_key",
            ),
        ]
        indexes = [
            # A key's history page: WHERE config_key = ? ORDER BY created_at DESC.
            models.Index(fields=["config_key", "-created_at"], name="config_key_history_idx"),
        ]

    def __str__(self) -> str:
        # Not the value: a secret setting's (the Plex token) must not show in the admin.
        return f"{self.config_key} (change {self.pk})"


class JobKind(models.TextChoices):
    """Every kind of long job; each app runs its own through plexomatic_site.jobs."""

    SCAN = "scan", "Scan"
    PLAN = "plan", "Rename plan"
    APPLY = "apply", "Apply"
    ROLLBACK = "rollback", "Rollback"
    RECOVER = "recover", "Recovery"
    DELETE = "delete", "Library removal"
    BACKUP = "backup", "Backup"
    VACUUM = "vacuum", "Database compaction"
    IMPORT = "import", "Inbox import"


class Job(models.Model):
    """A long-running job (scan, apply, rollback, backup): its progress, and its lock.

    At most one job per `lock_key` is active at a time, enforced by the
    database, so a second scan of the same library is refused whether it was
    started from the site, a background worker or the command line.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    kind = models.CharField(max_length=30, choices=JobKind.choices)
    # What the job works on, for sentences and pages: "library “TV”".
    subject = models.CharField(max_length=300, blank=True)
    lock_key = models.CharField(max_length=100)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    message = models.CharField(max_length=500, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    # Who holds the lock: a job whose process is gone is stale, not running.
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # The lock: one queued or running job per key ("library:3", "backup").
            models.UniqueConstraint(
                fields=["lock_key"],
                condition=models.Q(status__in=["queued", "running"]),
                name="job_one_active_per_lock",
            ),
            # The lock above depends on the status: only known ones.
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "running", "succeeded", "failed"]),
                name="job_status_valid",
            ),
        ]
        indexes = [
            # Pages showing the latest job of a kind: WHERE lock_key = ? ORDER BY created_at DESC.
            models.Index(fields=["lock_key", "-created_at"], name="job_lock_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.status})"

    @property
    def phrase(self) -> str:
        """How a sentence names this job: "A scan job of library “TV”", "An apply job"."""
        article = "An" if self.kind[:1].lower() in "aeiou" else "A"
        of = f" of {self.subject}" if self.subject else ""
        return f"{article} {self.kind} job{of}"

    @property
    def is_active(self) -> bool:
        """Queued or running: the job still holds its lock."""
        return self.status in self.ACTIVE

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))
