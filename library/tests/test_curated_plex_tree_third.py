"""Acceptance: a third hand-curated Plex library (curated_tree_third) is planned and applied
as Plex would have it.

The tree is written to real folders (three libraries: movies, TV, anime), scanned and
planned; every row's expectation is checked and every failure collected, so one run
shows them all. The second test applies the plan, scans and plans again, and checks
that nothing is left to do, that every file's bytes are still there exactly once, and
that nothing but the planned media moved.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from library.models import Library
from library.services.apply import library_apply
from library.services.plan import PlanItem, Reason, plan_build
from library.services.scan import library_scan
from library.tests.curated_tree_third import (
    LIBRARIES,
    ROWS,
    Extra,
    Junk,
    Keeps,
    MayMove,
    Row,
    Stays,
    Target,
)
from library.tests.factories import tree

pytestmark = pytest.mark.django_db

# What Plex reads in a path beyond title, year and numbers: a move must keep each one.
PLEX_TAG = re.compile(r"\{(?:edition|imdb|tmdb|tvdb)-[^}]+\}")
SPLIT_PART = re.compile(r" - (?:cd|disc|disk|dvd|part|pt)\d+(?=\.)", re.IGNORECASE)
# Reasons that mean two files want one path: junk must never be one of them.
CONTESTED = {Reason.COLLISION, Reason.CYCLE, Reason.TARGET_EXISTS}
EXTRA_LEFT = {Reason.ALREADY_CORRECT, Reason.EXTRA}
SUBTITLE_EXTENSIONS = {".srt", ".ass", ".ssa", ".sub", ".idx", ".vtt", ".sup", ".smi"}


def _nfc(text: str) -> str:
    # Plex pairs a subtitle with its video by name; NFC and NFD spell one name.
    return unicodedata.normalize("NFC", text)


def _content(row: Row) -> bytes:
    # Unique per row, so a file can be found again by its bytes wherever it went.
    return row.content if row.content is not None else f"{row.library}|{row.path}".encode()


def _disk_path(row: Row, relative: str | None = None) -> str:
    return f"{LIBRARIES[row.library][0]}/{row.path if relative is None else relative}"


def _tree_make(root: Path) -> dict[str, Library]:
    for row in ROWS:
        path = root / _disk_path(row)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_content(row))
    libraries = {}
    for name, (folder, kind) in LIBRARIES.items():
        libraries[name] = Library.objects.create(name=name, root_path=str(root / folder), kind=kind)
    for library in libraries.values():
        library_scan(library=library)
    return libraries


def _plans(libraries: dict[str, Library]) -> dict[str, dict[str, PlanItem]]:
    return {
        name: {item.source_display: item for item in plan_build(library=library).items}
        for name, library in libraries.items()
    }


def _said(item: PlanItem) -> str:
    return (
        f"[{Reason(item.reason).value}{': ' + item.detail if item.detail else ''}; "
        f"target {item.target_display!r}; read as {item.media.media_type} "
        f"{item.media.title!r} {item.media.year} s{item.media.season} {item.media.episodes} "
        f"extra={item.media.extra_type!r}]"
    )


def _lost(source: str, target: str) -> list[str]:
    """What Plex reads in `source` that `target` no longer says."""
    kept = [t for t in PLEX_TAG.findall(source) if t not in target]
    kept += [p for p in SPLIT_PART.findall(source) if p.lower() not in target.lower()]
    return kept


def _row_failures(row: Row, item: PlanItem | None) -> list[str]:
    expect = row.expect
    if isinstance(expect, Junk):
        if item is None:
            return []
        if item.ready:
            return [f"junk would be moved ({row.why}) {_said(item)}"]
        if item.reason in CONTESTED:
            return [f"junk contends for a media file's path ({row.why}) {_said(item)}"]
        return []
    if item is None:
        return ["not planned: the scan did not keep it"]
    problems = []
    moved = item.target_display != item.source_display
    if moved and (lost := _lost(item.source_display, item.target_display)):
        problems.append(f"the new path drops what Plex reads: {lost} {_said(item)}")
    is_extra = bool(item.media.extra_type)
    if isinstance(expect, Extra) and not is_extra:
        problems.append(f"an extra read as a main file ({row.why}) {_said(item)}")
    if not isinstance(expect, Extra) and is_extra:
        problems.append(f"a main file read as an extra {_said(item)}")
    left_alone = item.reason is Reason.ALREADY_CORRECT and not moved
    if isinstance(expect, Stays) and not left_alone:
        problems.append(f"should stay ({row.why}) {_said(item)}")
    elif isinstance(expect, Extra) and (item.reason not in EXTRA_LEFT or item.ready):
        problems.append(f"an extra should stay where it is ({row.why}) {_said(item)}")
    elif isinstance(expect, Target) and not (item.ready and item.target_display == expect.path):
        problems.append(f"should be renamed to {expect.path!r} ({row.why}) {_said(item)}")
    elif isinstance(expect, MayMove) and not (
        left_alone or (item.ready and item.target_display in expect.paths)
    ):
        problems.append(f"may only stay or move to {list(expect.paths)} {_said(item)}")
    elif isinstance(expect, Keeps) and not (
        left_alone or (item.ready and all(t in item.target_display for t in expect.texts))
    ):
        problems.append(f"may only stay or move keeping {list(expect.texts)} {_said(item)}")
    return problems


def _sidecars_left_behind(name: str, items: dict[str, PlanItem]) -> list[str]:
    """Subtitles that would move where their video does not go (Plex pairs them by name
    in one folder)."""
    by_media = {item.media.pk: item for item in items.values()}
    failures = []
    for item in items.values():
        video = by_media.get(item.media.video_id) if item.media.video_id else None
        if video is None or not item.ready:
            continue
        video_at = video.target_display if video.ready else video.source_display
        if os.path.dirname(item.target_display) != os.path.dirname(video_at):
            failures.append(
                f"{name}: {item.source_display}: the subtitle would move to "
                f"{item.target_display!r} while its video stays at {video_at!r} {_said(video)}"
            )
    return failures


def test_plan_reads_the_third_curated_tree_as_plex_does(tmp_path):
    plans = _plans(_tree_make(tmp_path))
    failures = []
    for row in ROWS:
        item = plans[row.library].get(row.path)
        failures += [f"{row.library}: {row.path}: {p}" for p in _row_failures(row, item)]
    for name, items in plans.items():
        failures += _sidecars_left_behind(name, items)
    on_disk = {(row.library, row.path) for row in ROWS}
    for name, items in plans.items():
        failures += [
            f"{name}: {source}: planned under a path that is not on disk {_said(item)}"
            for source, item in items.items()
            if (name, source) not in on_disk
        ]
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)


def _where_now(row: Row, planned: PlanItem | None, after: dict[bytes, list[str]]) -> list[str]:
    """Where the row's bytes are after the apply, if that is not where they belong."""
    found = after.get(_content(row), [])
    expect = row.expect
    if isinstance(expect, Target):
        allowed = {expect.path}
    elif isinstance(expect, MayMove):
        allowed = {row.path, *expect.paths}
    elif isinstance(expect, Keeps) and planned is not None and planned.ready:
        allowed = {row.path, planned.target_display}
    else:
        allowed = {row.path}
    if len(found) == 1 and found[0] in {_disk_path(row, a) for a in allowed}:
        return []
    return [f"{row.library}: {row.path}: after the apply its bytes are at {found}"]


def _subtitles_apart(after: dict[bytes, list[str]]) -> list[str]:
    """Subtitles that, after the apply, no longer lie beside their video under its name."""
    failures = []
    for row in ROWS:
        ext = os.path.splitext(row.path)[1]
        if isinstance(row.expect, Junk) or ext.lower() not in SUBTITLE_EXTENSIONS:
            continue
        video = next(
            (
                v
                for v in ROWS
                if v.library == row.library
                and os.path.splitext(v.path)[1].lower() not in SUBTITLE_EXTENSIONS
                and _nfc(row.path).startswith(_nfc(os.path.splitext(v.path)[0]) + ".")
            ),
            None,
        )
        if video is None:
            failures.append(f"{row.library}: {row.path}: the tree has no video for it")
            continue
        subtitle_at, video_at = after.get(_content(row), [""])[0], after.get(_content(video))
        video_stem = os.path.splitext(video_at[0])[0] if video_at else ""
        if not video_stem or not _nfc(subtitle_at).startswith(_nfc(video_stem) + "."):
            failures.append(
                f"{row.library}: {row.path}: after the apply the subtitle is at "
                f"{subtitle_at!r} and its video at {video_at}"
            )
    return failures


def test_apply_then_rescan_leaves_nothing_to_do_and_loses_nothing(tmp_path):
    libraries = _tree_make(tmp_path)
    planned = _plans(libraries)
    before = tree(tmp_path)
    for library in libraries.values():
        library_apply(library=library)
    failures = []
    for name, library in libraries.items():
        library_scan(library=library)
        failures += [
            f"{name}: {item.source_display}: still to be renamed after the apply {_said(item)}"
            for item in plan_build(library=library).items
            if item.ready
        ]
    after = tree(tmp_path)
    if Counter(before.values()) != Counter(after.values()):
        gone = Counter(before.values()) - Counter(after.values())
        extra = Counter(after.values()) - Counter(before.values())
        failures.append(f"file contents changed: lost {list(gone)}, new {list(extra)}")
    located: dict[bytes, list[str]] = {}
    for path, content in sorted(after.items()):
        located.setdefault(content, []).append(path.replace(os.sep, "/"))
    for row in ROWS:
        failures += _where_now(row, planned[row.library].get(row.path), located)
    failures += _subtitles_apart(located)
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)
