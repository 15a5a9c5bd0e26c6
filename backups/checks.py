"""System checks: a backup folder that cannot be used is reported at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks

from backups.errors import BackupError
from backups.services.folder import backup_folder, live_database_path


@checks.register(checks.Tags.compatibility)
def backup_folder_check(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        backup_folder()
    except BackupError as exc:
        # A warning, not an error: the site still runs; backups (and the
        # pre-migration backup) fail with the same sentence until it is fixed.
        return [checks.Warning(str(exc), id="backups.W001")]
    return []


@checks.register(checks.Tags.compatibility)
def backup_folder_apart_check(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        live = live_database_path()
    except BackupError:
        return []  # not a SQLite file: nothing of it can sit among the backups
    folder = Path(settings.PLEXOMATIC_BACKUP_DIR).resolve()
    if folder != live.parent:
        return []
    # An error, not a warning: the live file and its side files would sit
    # among the backups, one careless action away from being lost.
    return [
        checks.Error(
            f"The backup folder {folder} is the folder that holds the live database ({live.name}).",
            hint=(
                "Set PLEXOMATIC_BACKUP_DIR to a folder of its own, e.g. "
                f"{live.parent / 'backups'} or a folder on another disk."
            ),
            id="backups.E001",
        )
    ]
