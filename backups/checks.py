"""System check: a backup folder that cannot be used is reported at start-up."""

from __future__ import annotations

from typing import Any

from django.core import checks

from backups.services.folder import BackupError, backup_folder


@checks.register(checks.Tags.compatibility)
def backup_folder_check(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        backup_folder()
    except BackupError as exc:
        # A warning, not an error: the site still runs; backups (and the
        # pre-migration backup) fail with the same sentence until it is fixed.
        return [checks.Warning(str(exc), id="backups.W001")]
    return []
