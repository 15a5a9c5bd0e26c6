from __future__ import annotations

from django.db import models


class BackupKind(models.TextChoices):
    MANUAL = "manual", "Manual"
    SCHEDULED = "scheduled", "Scheduled"
    PRE_MIGRATION = "pre_migration", "Before migration"
    PRE_RESTORE = "pre_restore", "Before restore"
    # Uploaded, or copied in by hand: another install's database, or ours from
    # an unknown time. Listed and restorable, never a sign that backups run.
    IMPORTED = "imported", "Imported"


# The kinds backup_create writes: snapshots this install took of its own database.
TAKEN_HERE = (
    BackupKind.MANUAL,
    BackupKind.SCHEDULED,
    BackupKind.PRE_MIGRATION,
    BackupKind.PRE_RESTORE,
)


class BackupQuerySet(models.QuerySet):
    def verified(self) -> BackupQuerySet:
        """Backups that passed their integrity check, newest first: the successful ones."""
        return self.filter(verified=True).order_by("-created_at", "-id")

    def taken_here(self) -> BackupQuerySet:
        """Snapshots this install took: only they say whether its backups keep running."""
        return self.filter(kind__in=TAKEN_HERE)


class Backup(models.Model):
    """An index entry for one backup file; the backup folder is the truth."""

    Kind = BackupKind

    file_name = models.CharField(max_length=255, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    size = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    verified = models.BooleanField(null=True, help_text="Result of the last integrity check.")
    verified_at = models.DateTimeField(null=True, blank=True)
    verify_error = models.TextField(blank=True)
    app_version = models.CharField(max_length=40, blank=True)
    migrations = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=200, blank=True)
    pinned = models.BooleanField(default=False)
    # The file's and its manifest's size, mtime and inode when this row was
    # last synced (see backups.services.sync): an unchanged folder is synced
    # without reading a manifest or writing a row.
    stamp = models.CharField(max_length=200, blank=True)

    objects = BackupQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Only known kinds reach the table (retention rules are per kind).
            models.CheckConstraint(
                condition=models.Q(kind__in=BackupKind.values),
                name="backup_kind_valid",
            ),
            # A size can't be negative; a negative value means a bug upstream.
            models.CheckConstraint(condition=models.Q(size__gte=0), name="backup_size_nonneg"),
        ]
        indexes = [
            # Overview and health: newest backup of any kind, ORDER BY created_at DESC.
            models.Index(fields=["-created_at"], name="backup_created_at_idx"),
        ]

    def __str__(self) -> str:
        return self.file_name
