"""Failures of backups and restores that a user reads (see plexomatic_site.errors)."""

from __future__ import annotations

from plexomatic_site.errors import PlexomaticError


class BackupError(PlexomaticError):
    """A backup, check or restore that cannot go ahead; the message says why."""


class BackupMissing(BackupError):
    """The backup folder has no file of that name (any more)."""


class BackupInvalid(BackupError):
    """The file failed a check; the message names the file and the reason."""


class FolderBusy(BackupError):
    """Another backup, restore or prune holds the folder's lock."""
