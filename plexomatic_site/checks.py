"""System checks: folder problems reported before anything breaks.

The backup folder has its own check in the backups app.
"""

from __future__ import annotations

import stat
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


def _readable_by_others(path: Path) -> bool:
    try:
        return bool(path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO))
    except OSError:
        return False


@checks.register(checks.Tags.security)
def private_files_check(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """The data folder and the database hold password hashes and sessions: owner only.

    New installs create them so; an older install, or a folder made by hand, is reported.
    """
    found: list[checks.CheckMessage] = []
    data_dir = Path(settings.DATA_DIR)
    if _readable_by_others(data_dir):
        found.append(
            checks.Warning(
                f"The data folder {data_dir} can be read by other users of this machine.",
                hint=f"Make it yours only: chmod 700 {data_dir}",
                id="plexomatic.W002",
            )
        )
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        name = Path(database["NAME"])
        loose = [p for p in (name, *(Path(f"{name}{s}") for s in ("-wal", "-shm"))) if p.exists()]
        if any(_readable_by_others(p) for p in loose):
            found.append(
                checks.Warning(
                    f"The database {name} can be read by other users of this machine.",
                    hint="Make it yours only: chmod 600 " + " ".join(str(p) for p in loose),
                    id="plexomatic.W003",
                )
            )
    return found
