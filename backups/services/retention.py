"""Which backups to keep: per-kind count and age, with backups that are never pruned."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from backups.errors import BackupError, BackupMissing
from backups.models import Backup, BackupKind
from backups.services.folder import backup_folder, backup_path, folder_lock
from backups.services.manifest import manifest_path, manifest_read, manifest_write
from backups.services.sync import backups_sync
from plexomatic_site.file_removal import file_remove
from plexomatic_site.settings_store import settings_current

# Settings (count, days) for each kind pruned automatically; manual and
# imported backups are not here, so they are only ever deleted by a person.
RETENTION_SETTINGS: dict[str, tuple[str, str]] = {
    BackupKind.SCHEDULED: ("backup_keep_count", "backup_keep_days"),
    BackupKind.PRE_MIGRATION: ("backup_pre_migration_keep_count", "backup_pre_migration_keep_days"),
    BackupKind.PRE_RESTORE: ("backup_pre_restore_keep_count", "backup_pre_restore_keep_days"),
}


def backups_to_prune(*, now: datetime | None = None) -> list[Backup]:
    """Backups beyond their kind's count or older than its age limit.

    Never: manual, imported or pinned backups, nor this install's newest
    verified backup (the one a restore would need most), whatever the
    settings say.
    """
    now = now or timezone.now()
    values = settings_current()
    newest_verified = Backup.objects.verified().taken_here().first()
    doomed: list[Backup] = []
    for kind, (count_key, days_key) in RETENTION_SETTINGS.items():
        keep, max_age = values[count_key], timedelta(days=values[days_key])
        candidates = Backup.objects.filter(kind=kind, pinned=False).order_by("-created_at", "-id")
        for rank, backup in enumerate(candidates):
            if (rank >= keep or now - backup.created_at > max_age) and backup != newest_verified:
                doomed.append(backup)
    return doomed


def _files_delete(backup: Backup) -> None:
    """Delete a backup's file and manifest; the caller holds the folder lock."""
    try:
        path = backup_path(backup.file_name)
    except BackupMissing:
        return  # already gone from disk: only the index row is left
    manifest_path(path).unlink(missing_ok=True)
    file_remove(path)


def backup_delete(*, backup: Backup) -> None:
    """Delete a backup file and its manifest, then its index row."""
    with folder_lock(folder=backup_folder(), timeout=60):
        _files_delete(backup)
    backup.delete()


def backups_prune(*, now: datetime | None = None) -> list[str]:
    """Apply the retention policy; returns the names of the deleted backups.

    Decided and done under the folder lock, after re-reading the manifests:
    a pin (which takes the lock too) made a moment ago is always seen.
    """
    with folder_lock(folder=backup_folder(), timeout=60):
        backups_sync(folder_locked=True)
        doomed = backups_to_prune(now=now)
        for backup in doomed:
            _files_delete(backup)
            backup.delete()
    return [backup.file_name for backup in doomed]


def backup_pin(*, backup: Backup, pinned: bool) -> None:
    """Pin (never prune) or unpin; recorded in the manifest, which is the truth."""
    path = backup_path(backup.file_name)
    with folder_lock(folder=path.parent, timeout=60):
        try:
            manifest = manifest_read(path)
        except ValueError as exc:
            raise BackupError(
                f"{backup.file_name} cannot be pinned because {exc}; verify it first."
            ) from None
        manifest.pinned = pinned
        manifest_write(backup=path, manifest=manifest)
    Backup.objects.filter(pk=backup.pk).update(pinned=pinned)
