"""Finding an inbox's finished downloads: media files whose writing has settled.

The walk follows the scan's rules (its media extensions and ignore patterns,
so samples and hidden folders stay out; symlinks are never followed), and
leaves a file alone while it is still being written: a name ending with a
partial-download suffix (`.part`, `.!qB`, `.crdownload`), or a size or mtime
that changed within the settle time. The import checks size and mtime again
before the file is journaled, so a file that grows after this walk stays too.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

from library.services.paths import path_for_storage
from library.services.scan import ScanRules


@dataclass(frozen=True)
class Found:
    path: str
    size: int
    mtime: float
    subtitle: bool


@dataclass
class Collected:
    ready: list[Found] = field(default_factory=list)
    # Files still being written: partial-download names, or changed within the settle time.
    settling: list[str] = field(default_factory=list)
    # Files and folders the rules leave in the inbox (samples, junk, hidden files).
    left: int = 0
    errors: list[str] = field(default_factory=list)


def inbox_collect(
    root: str,
    *,
    rules: ScanRules,
    settle_seconds: int,
    partial_suffixes: list[str],
    now: float | None = None,
) -> Collected:
    """Every settled media file under `root`, with why the others are left."""
    found = Collected()
    now = time.time() if now is None else now
    media = rules.video | rules.subtitle
    suffixes = tuple(partial_suffixes)
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            found.errors.append(f"Cannot read folder {path_for_storage(folder)[0]}: {exc.strerror}")
            continue
        for entry in entries:
            name = entry.name
            if rules.ignore is not None and rules.ignore.match(name):
                found.left += 1
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                    continue
                if not entry.is_file(follow_symlinks=False):
                    found.left += 1  # a symlink or a device: never imported
                    continue
                lowered = name.lower()
                if lowered.endswith(suffixes):
                    found.settling.append(entry.path)
                    continue
                extension = os.path.splitext(lowered)[1]
                if extension not in media:
                    found.left += 1
                    continue
                stat = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                found.errors.append(f"{path_for_storage(entry.path)[0]} vanished during the walk")
                continue
            except OSError as exc:
                found.errors.append(
                    f"Cannot read {path_for_storage(entry.path)[0]}: {exc.strerror}"
                )
                continue
            if now - stat.st_mtime < settle_seconds:
                found.settling.append(entry.path)
                continue
            found.ready.append(
                Found(entry.path, stat.st_size, stat.st_mtime, extension in rules.subtitle)
            )
    return found
