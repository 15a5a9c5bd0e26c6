"""System checks: folder problems reported before anything breaks."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks


def _writable_folder_problem(path: Path) -> str | None:
    if not path.exists():
        return "does not exist"
    if not path.is_dir():
        return "is not a folder"
    try:
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        return f"cannot be written ({exc.strerror})"
    return None


@checks.register(checks.Tags.compatibility)
def data_dir_check(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    problem = _writable_folder_problem(Path(settings.DATA_DIR))
    if problem is None:
        return []
    return [
        checks.Error(
            f"The data folder {settings.DATA_DIR} {problem}.",
            hint="Set PLEXOMATIC_DATA_DIR to a folder this user can write to.",
            id="plexomatic.E001",
        )
    ]
