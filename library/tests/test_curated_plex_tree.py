"""Acceptance: a library curated by hand for Plex is left alone, and what is wrong is fixed.

The tree and what each file must become are in `curated_tree` (written from
Plex's naming rules, not from this project's corpora). Real files in three
libraries (movies, TV, anime, as Plex keeps them), a real scan, the real plan,
a real apply. Every failure of every row is collected, so one run shows them all.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from library.models import Library
from library.services.apply import library_apply
from library.services.plan import PlanItem, plan_build
from library.services.scan import library_scan
from library.tests.curated_tree import LIBRARIES, MAY_MOVE, MOVES, STAYS, Row
from library.tests.factories import tree

pytestmark = pytest.mark.django_db

# What Plex reads in a path and a rename must never drop.
TAG = re.compile(r"\{(?:tmdb|tvdb|imdb|edition)-[^}]*\}", re.IGNORECASE)
PART = re.compile(r" - (?:cd|disc|disk|dvd|part|pt) ?(\d+)$", re.IGNORECASE)
SUBTITLE = re.compile(r"(?:\.(?:[a-z]{2,3}|forced|sdh|cc))*\.(?:srt|ass|ssa|sub|idx|vtt|smi)$")
VIDEO = re.compile(r"\.[a-z0-9]{2,4}$", re.IGNORECASE)
EXTRA_FOLDERS = {
    *("behind the scenes", "deleted scenes", "featurettes", "interviews"),
    *("scenes", "shorts", "trailers", "other"),
}
EXTRA_SUFFIX = re.compile(
    r"-(?:behindthescenes|deleted|featurette|interview|scene|short|trailer|other)\d*$",
    re.IGNORECASE,
)


def _stem(path: str) -> str:
    """The file name without its extension (and a subtitle's language and flags)."""
    name = os.path.basename(path)
    without = SUBTITLE.sub("", name)
    return without if without != name else VIDEO.sub("", name)


def _labels(path: str) -> set[str]:
    """The id tags and editions anywhere in the path, and the file's part number."""
    found = set(TAG.findall(path))
    part = PART.search(_stem(path))
    if part:
        found.add(f"part {int(part.group(1))}")
    return found


def _is_extra_path(path: str) -> bool:
    folders = {p.casefold() for p in path.split("/")[:-1]}
    return bool(folders & EXTRA_FOLDERS) or EXTRA_SUFFIX.search(_stem(path)) is not None


def _why(item: PlanItem) -> str:
    return f"{item.reason_label}" + (f": {item.detail}" if item.detail else "")


@dataclass
class Curated:
    root: Path
    libraries: dict[str, Library]
    # Library folder name -> relative path -> plan item (first plan).
    items: dict[str, dict[str, PlanItem]]


def _build(media_root: Path) -> Curated:
    libraries: dict[str, Library] = {}
    for folder, (kind, rows) in LIBRARIES.items():
        root = media_root / folder
        for row in rows:
            path = root / row.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(f"{folder}/{row.path}".encode())
        libraries[folder] = Library.objects.create(name=folder, root_path=str(root), kind=kind)
    for library in libraries.values():
        library_scan(library=library)
    items = {
        folder: {item.source_display: item for item in plan_build(library=library).items}
        for folder, library in libraries.items()
    }
    return Curated(root=media_root, libraries=libraries, items=items)


@pytest.fixture
def curated(db, tmp_path) -> Curated:
    return _build(tmp_path / "media")


def _row_failures(row: Row, item: PlanItem | None) -> list[str]:
    """Rules 1, 3 and 4 for one row: what stays stays, targets match, nothing read is lost."""
    if row.ignored:
        if item is not None and item.ready:
            return [f"under a folder Plex manages, yet planned to move to {item.target_display!r}"]
        return []
    if item is None:
        return ["not in the plan (not scanned)"]
    moved = item.ready
    failures = []
    if row.expect == STAYS and moved:
        failures.append(
            f"already Plex-correct, yet moves to {item.target_display!r} ({_why(item)})"
        )
    if row.expect == MOVES and not moved:
        failures.append(f"should move to {row.target or row.keep!r}, but stays: {_why(item)}")
    if (
        row.expect in (MOVES, MAY_MOVE)
        and row.target
        and moved
        and item.target_display != row.target
    ):
        failures.append(f"moves to {item.target_display!r}, expected {row.target!r}")
    if moved:
        lost = _labels(row.path) - _labels(item.target_display)
        if lost:
            failures.append(
                f"moves to {item.target_display!r}, losing {sorted(lost)} ({_why(item)})"
            )
        missing = [text for text in row.keep if text not in item.target_display]
        if missing:
            failures.append(f"moves to {item.target_display!r}, losing {missing}")
    return failures


def _extra_and_collision_failures(rows: list[Row], items: dict[str, PlanItem]) -> list[str]:
    """Rule 2: an extra is read as an extra, keeps an extra's name and never lands on a
    main file's path; no two files are planned to the same path."""
    failures = []
    for row in rows:
        item = items.get(row.path)
        if row.extra and item is not None and not item.media.extra_type:
            failures.append(
                f"{row.path}: an extra read as a main {item.media.get_media_type_display()} "
                f"file ({_why(item)})"
            )
    main_paths = set()
    for row in rows:
        item = items.get(row.path)
        if not row.extra:
            main_paths.add(row.path.casefold())
            if item is not None and item.ready:
                main_paths.add(item.target_display.casefold())
    for row in rows:
        item = items.get(row.path)
        if not row.extra or item is None or not item.ready:
            continue
        target = item.target_display
        if not _is_extra_path(target):
            failures.append(f"{row.path}: an extra given a main file's name {target!r}")
        if target.casefold() in main_paths:
            failures.append(f"{row.path}: an extra planned onto a main file's path {target!r}")
    staying = {i.source_display.casefold() for i in items.values() if not i.ready}
    targets = Counter(i.target_display.casefold() for i in items.values() if i.ready)
    for item in items.values():
        if not item.ready:
            continue
        key = item.target_display.casefold()
        if targets[key] > 1:
            failures.append(f"{item.source_display}: shares its target {item.target_display!r}")
        if key in staying:
            failures.append(
                f"{item.source_display}: planned onto a file that stays {item.target_display!r}"
            )
    return failures


def test_the_plan_keeps_what_plex_reads_and_leaves_curated_files_alone(curated):
    failures: list[str] = []
    for folder, (_, rows) in LIBRARIES.items():
        items = curated.items[folder]
        assert len(items) >= sum(not row.ignored for row in rows) // 2, "the scan found too little"
        for row in rows:
            item = items.get(row.path)
            failures += [f"[{folder}] {row.path}: {f}" for f in _row_failures(row, item)]
        failures += [f"[{folder}] {f}" for f in _extra_and_collision_failures(rows, items)]
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)


def test_apply_then_rescan_leaves_nothing_to_rename_and_loses_no_file(curated):
    before = tree(curated.root)
    planned = {
        (folder, path): item.target_display
        for folder, items in curated.items.items()
        for path, item in items.items()
        if item.ready
    }
    failures: list[str] = []
    for folder, library in curated.libraries.items():
        result = library_apply(library=library)
        failures += [
            f"[{folder}] apply failed: {op.original_path} -> {op.new_path}: {op.error}"
            for op in result.failed
        ]
    after = tree(curated.root)
    if Counter(before.values()) != Counter(after.values()):
        gone = Counter(before.values()) - Counter(after.values())
        extra = Counter(after.values()) - Counter(before.values())
        failures.append(f"files lost: {sorted(gone)}; files gained: {sorted(extra)}")
    where = {content: path for path, content in after.items()}
    for folder, (_, rows) in LIBRARIES.items():
        for row in rows:
            content = f"{folder}/{row.path}".encode()
            expected = planned.get((folder, row.path), row.path)
            now = where.get(content)
            now_relative = os.path.relpath(now, folder) if now else None
            if now_relative != expected:
                failures.append(
                    f"[{folder}] {row.path}: is at {now!r} after apply, not {expected!r}"
                )
    for folder, library in curated.libraries.items():
        library_scan(library=library)
        failures += [
            f"[{folder}] after apply and rescan, still to rename: {item.source_display!r} -> "
            f"{item.target_display!r} ({_why(item)})"
            for item in plan_build(library=library).items
            if item.ready
        ]
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)
