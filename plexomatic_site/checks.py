"""System checks: folder problems reported before anything breaks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks

from plexomatic_site.environment import folder_problem


@checks.register(checks.Tags.compatibility)
def folders_check(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """The data folder and the backup folder must be writable folders."""
    messages = []
    folders = [
        ("data folder", settings.DATA_DIR, "PLEXOMATIC_DATA_DIR", "plexomatic.E001"),
        (
            "backup folder",
            settings.PLEXOMATIC_BACKUP_DIR,
            "PLEXOMATIC_BACKUP_DIR",
            "plexomatic.E002",
        ),
    ]
    for what, folder, variable, check_id in folders:
        problem = folder_problem(Path(folder))
        if problem is not None:
            messages.append(
                checks.Error(
                    f"The {what} {folder} {problem}.",
                    hint=f"Set {variable} to a folder this user can write to.",
                    id=check_id,
                )
            )
    return messages
