"""System checks: folder problems reported before anything breaks.

The backup folder has its own check in the backups app.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks

from plexomatic_site.environment import folder_problem


@checks.register(checks.Tags.compatibility)
def data_dir_check(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    problem = folder_problem(Path(settings.DATA_DIR))
    if problem is None:
        return []
    return [
        checks.Error(
            f"The data folder {settings.DATA_DIR} {problem}.",
            hint="Set PLEXOMATIC_DATA_DIR to a folder this user can write to.",
            id="plexomatic.E001",
        )
    ]
