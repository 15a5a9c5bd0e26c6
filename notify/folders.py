"""Which folders Plex should scan after files moved, as Plex sees them.

Each moved file changed two folders: the one it left and the one it
arrived in. A folder the change removed (left empty and tidied away) is
replaced by its nearest ancestor still on disk, so Plex notices what went.
Plex scans a folder with everything inside it, so a folder inside another
one on the list is dropped: each folder is asked for once, and no part of a
library twice.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

from library.models import Library
from library.services.paths import is_within
from notify.models import PlexSection

# More folders than this in one section are one scan of its folders instead: Plex
# scans them in one pass, where hundreds of partial scans would queue behind each other.
MAX_REFRESHES_PER_SECTION = 50


@dataclass(frozen=True)
class Refresh:
    section: str
    path: str


def folders_changed(moves: Iterable[tuple[str, str]]) -> list[str]:
    """The folders that (before, after) file moves changed, sorted, without repeats."""
    return sorted({os.path.dirname(path) for move in moves for path in move if path})


def _on_disk(folder: str) -> str:
    while not os.path.isdir(folder) and os.path.dirname(folder) != folder:
        folder = os.path.dirname(folder)
    return folder


def _outermost(folders: Iterable[str]) -> list[str]:
    """The folders that are inside no other one of them."""
    kept: list[tuple[str, ...]] = []
    # Sorted by components, a folder's descendants come right after it.
    split = {tuple(part for part in os.path.normpath(f).split(os.sep) if part) for f in folders}
    for parts in sorted(split):
        if not kept or parts[: len(kept[-1])] != kept[-1]:
            kept.append(parts)
    return [os.sep + os.sep.join(parts) for parts in kept]


def refreshes_plan(folders: Iterable[str]) -> tuple[list[Refresh], list[str]]:
    """The partial refreshes that cover `folders` (local paths), and a sentence for each
    folder of a library that no mapped Plex section holds."""
    sections = list(PlexSection.objects.filter(library__isnull=False).select_related("library"))
    roots = [os.path.normpath(root) for root in Library.objects.values_list("root_path", flat=True)]
    refreshes: dict[Refresh, None] = {}
    unmapped: list[str] = []
    for folder in _outermost(_on_disk(folder) for folder in folders):
        if not any(is_within(folder, root) for root in roots):
            continue  # not a library's (an import's inbox): Plex does not hold it
        found = [
            Refresh(section.key, seen)
            for section in sections
            if (seen := section.plex_path(folder)) is not None
        ]
        refreshes.update(dict.fromkeys(found))
        if not found:
            unmapped.append(
                f"{folder}: no Plex section holds this folder; map its library on the Plex page."
            )
    return _capped(list(refreshes), sections), unmapped


def _capped(refreshes: list[Refresh], sections: list[PlexSection]) -> list[Refresh]:
    """Past MAX_REFRESHES_PER_SECTION in a section, its folders that hold them instead."""
    locations = {section.key: section.locations for section in sections}
    kept: list[Refresh] = []
    for key in dict.fromkeys(refresh.section for refresh in refreshes):
        mine = [refresh for refresh in refreshes if refresh.section == key]
        if len(mine) > MAX_REFRESHES_PER_SECTION:
            mine = [
                Refresh(key, location)
                for location in locations[key]
                if any(is_within(refresh.path, location) for refresh in mine)
            ]
        kept.extend(mine)
    return kept
