"""The recycle folder: where an import's replaced files wait, restorable by rollback.

`.plexomatic-recycle/<when>/<path in the library>` at the library's root, so a
replaced file moves there by a rename on the same filesystem. Scans skip it
(hidden folders are in the default ignore patterns) and so does Plex (its
`.plexignore` says `*`). Folders older than the retention setting are deleted.
"""

from __future__ import annotations

import os
import shutil
import time
from datetime import UTC, datetime

from library.services.paths import is_within

RECYCLE_FOLDER = ".plexomatic-recycle"
_PLEXIGNORE = "# Files replaced by Plex-o-matic imports, kept so they can be restored.\n*\n"


# The recycle folder's batches are named by when their files were replaced (UTC).
STAMP_FORMAT = "%Y%m%d-%H%M%S"


def recycle_stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime(STAMP_FORMAT)


def _replaced_at(entry: os.DirEntry[str]) -> float:
    """When a batch's files were replaced: its name's time (a rollback moving files out
    changes the folder's mtime), or its mtime for a name that is not a stamp."""
    try:
        return datetime.strptime(entry.name, STAMP_FORMAT).replace(tzinfo=UTC).timestamp()
    except ValueError:
        return entry.stat(follow_symlinks=False).st_mtime


def recycle_path(root: str, path: str, stamp: str) -> str:
    """Where the library file at `path` goes when an import replaces it."""
    return os.path.join(root, RECYCLE_FOLDER, stamp, os.path.relpath(path, root))


def recycle_prepare(root: str) -> None:
    """Create the recycle folder with the `.plexignore` that hides it from Plex."""
    folder = os.path.join(root, RECYCLE_FOLDER)
    os.makedirs(folder, exist_ok=True)
    ignore = os.path.join(folder, ".plexignore")
    if not os.path.exists(ignore):
        with open(ignore, "x", encoding="utf-8") as handle:
            handle.write(_PLEXIGNORE)


def recycle_empty(root: str, *, days: int, now: float | None = None) -> int:
    """Delete the recycle folder's batches older than `days` (0 keeps them); how many."""
    folder = os.path.join(root, RECYCLE_FOLDER)
    if days <= 0 or not os.path.isdir(folder):
        return 0
    cutoff = (time.time() if now is None else now) - days * 86400
    removed = 0
    with os.scandir(folder) as listing:
        for entry in listing:
            if (
                entry.is_dir(follow_symlinks=False)
                and _replaced_at(entry) < cutoff
                and is_within(entry.path, folder)
            ):
                shutil.rmtree(entry.path)
                removed += 1
    return removed
