"""Planning an import: what each settled inbox file is, where it goes in its library, how
it gets there, and what happens when the library already has that episode or film.

Files are read by the scan's recogniser and placed by the rename planner
(`plan_import`: the same templates, subtitles beside their video with their
language flags, extras in Plex's folders). Nothing is overwritten: a target
that is taken on disk, or an episode or film the library already holds under
another name, is a duplicate, and each one is kept as a second Plex version,
replaces the old file (moved to the library's recycle folder), or is skipped.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone

from inbox.models import ImportMode, InboxFolder
from inbox.services.collect import Collected, Found
from inbox.services.recycle import recycle_path, recycle_stamp
from library.models import FileOperation, Library, MediaFile, MediaType
from library.services.checksum import checksum_compute
from library.services.fileops import same_filesystem
from library.services.naming import ANIME_TYPES, TV_TYPES, sidecar_suffix
from library.services.paths import path_for_storage
from library.services.plan import PlanItem, Reason, followers_settle, plan_import
from library.services.recognition import subtitle_info
from library.services.scan import recognition_fields

OperationType = FileOperation.OperationType


class Choice(models.TextChoices):
    """What to do with a file whose episode or film the library already has."""

    KEEP_BOTH = "keep_both", "keep both"
    REPLACE = "replace", "replace"
    SKIP = "skip", "skip"


# A resolution in a release name: "1080p", "720i", "2160p", "4K", "UHD".
_RESOLUTION = re.compile(r"(?<![0-9])(2160|1440|1080|720|576|480)[pi](?![a-z])|\b(4k|uhd)\b", re.I)
_SUBTITLE_FOLDERS = frozenset({"subs", "subtitles", "sub"})


def resolution_of(name: str) -> int:
    """The vertical resolution a name says (4K is 2160), or 0."""
    found = _RESOLUTION.search(name)
    if found is None:
        return 0
    return int(found.group(1)) if found.group(1) else 2160


@dataclass(eq=False)
class ImportItem:
    plan: PlanItem
    library: Library | None
    # The operation type (move, copy, hardlink, symlink), once the file is ready.
    kind: str = ""
    # Said beside the plan line: a hard link that became a copy, a duplicate's choice.
    note: str = ""
    # The file the library already has for this episode or film.
    existing: str = ""
    choice: str = ""
    # A replace: the old file's move into the recycle folder (journaled before the import).
    recycle: PlanItem | None = None


@dataclass
class ImportPlan:
    inbox: InboxFolder
    collected: Collected
    items: list[ImportItem] = field(default_factory=list)

    def ready(self) -> list[ImportItem]:
        """Videos before their subtitles and films before their extras, so a follower can
        stay when what it follows could not be imported."""
        return sorted(
            (i for i in self.items if i.plan.ready),
            key=lambda i: (
                bool(i.plan.owners),
                i.plan.media.kind != MediaFile.Kind.VIDEO,
                i.plan.source,
            ),
        )

    def left(self) -> list[ImportItem]:
        return [i for i in self.items if not i.plan.ready]

    def relative(self, item: ImportItem) -> str:
        """The file's path relative to the inbox: how the preview and commands name it."""
        return os.path.relpath(item.plan.source, os.path.normpath(self.inbox.path))

    def libraries(self) -> list[Library]:
        found = {i.library.pk: i.library for i in self.ready() if i.library is not None}
        return [found[pk] for pk in sorted(found)]


def _media(found: Found, root: str, library_kind: str) -> MediaFile:
    """An unsaved row for an inbox file, read as a scan reads a library's."""
    text, raw = path_for_storage(found.path)
    relative = os.path.relpath(text, root).replace(os.sep, "/")
    name = os.path.basename(text)
    kind = MediaFile.Kind.SUBTITLE if found.subtitle else MediaFile.Kind.VIDEO
    sub = subtitle_info(name) if found.subtitle else None
    return MediaFile(
        path=text,
        path_bytes=raw,
        name=name,
        kind=kind,
        size=found.size,
        mtime=found.mtime,
        language=sub.language if sub else "",
        forced=sub.forced if sub else False,
        sdh=sub.sdh if sub else False,
        **recognition_fields(library_kind, relative, kind=kind),
    )


def _subtitle_folder(name: str) -> bool:
    return name.casefold() in _SUBTITLE_FOLDERS


def _pair_subtitles(files: list[MediaFile]) -> None:
    """Each subtitle's video: the one beside it whose name it extends, or the only film or
    episode in its folder (or above a release's `Subs/` folder). A season pack's
    `Subs/<episode's release name>/2_English.srt` belongs to the video of that name."""
    videos: dict[str, list[MediaFile]] = defaultdict(list)
    for media in files:
        if media.kind == MediaFile.Kind.VIDEO:
            videos[os.path.dirname(media.path)].append(media)
    for sub in files:
        if sub.kind != MediaFile.Kind.SUBTITLE:
            continue
        folder = os.path.dirname(sub.path)
        candidates = videos.get(folder, [])
        if not candidates and _subtitle_folder(os.path.basename(folder)):
            candidates = videos.get(os.path.dirname(folder), [])
        elif not candidates and _subtitle_folder(os.path.basename(os.path.dirname(folder))):
            named = os.path.basename(folder).casefold()
            release = videos.get(os.path.dirname(os.path.dirname(folder)), [])
            candidates = [v for v in release if os.path.splitext(v.name)[0].casefold() == named]
        prefixed = [
            (len(stem), video)
            for video in candidates
            if sub.name.startswith((stem := os.path.splitext(video.name)[0]) + ".")
        ]
        if prefixed:
            sub.video = max(prefixed, key=lambda pair: pair[0])[1]
            continue
        main = [video for video in candidates if not video.extra_type]
        if len(main) == 1:
            sub.video = main[0]


def _identity(media: MediaFile) -> tuple[Any, ...] | None:
    """What makes two files the same episode or film, or None (not comparable)."""
    title = media.title.casefold()
    if not title or media.extra_type or media.kind != MediaFile.Kind.VIDEO:
        return None
    if media.media_type == MediaType.MOVIE:
        return ("movie", title, media.year, media.edition.casefold(), media.part)
    if media.media_type in TV_TYPES | ANIME_TYPES and media.season is not None and media.episodes:
        return ("episode", title, media.season, tuple(media.episodes), media.part)
    return None


def _library_has(library: Library, items: list[ImportItem]) -> dict[tuple[Any, ...], str]:
    """The library's files (as scanned, still on disk) with the identity of an item."""
    titles = {i.plan.media.title for i in items}
    found: dict[tuple[Any, ...], str] = {}
    rows = MediaFile.objects.filter(
        library=library, kind=MediaFile.Kind.VIDEO, missing=False, title__in=titles
    )
    for row in rows:
        key = _identity(row)
        if key is not None and os.path.lexists(row.path):
            found.setdefault(key, row.path)
    return found


def _better(new: MediaFile, existing: str) -> bool:
    """By resolution, then size."""
    try:
        size = os.stat(existing).st_size
    except OSError:
        return True
    mine = (resolution_of(new.name), new.size)
    return mine > (resolution_of(os.path.basename(existing)), size)


def _versioned(target: str, media: MediaFile, existing: str) -> str | None:
    """A free name for a second Plex version beside `existing`: " - 1080p", or
    " - version 2" when the resolution does not tell them apart."""
    stem, extension = os.path.splitext(target)
    mine, theirs = resolution_of(media.name), resolution_of(os.path.basename(existing))
    labels = [f"{mine}p"] if mine and mine != theirs else []
    labels += [f"version {n}" for n in range(2, 10)]
    for label in labels:
        candidate = f"{stem} - {label}{extension}"
        if not os.path.lexists(candidate):
            return candidate
    return None


def _already_imported(source: str, target: str) -> bool:
    """Whether the file at `target` is the inbox file itself (a link) or a copy of it."""
    try:
        if os.path.samefile(source, target):
            return True
        return os.path.getsize(source) == os.path.getsize(target) and checksum_compute(
            source
        ) == checksum_compute(target)
    except OSError:
        return False


def _stays(item: ImportItem, reason: str, detail: str) -> None:
    item.plan.reason, item.plan.detail = reason, detail


def _recycle_item(existing: str, library: Library, stamp: str) -> PlanItem:
    """The replaced file's move into the recycle folder, as a plan item for the journal
    (its row when the library has one, so the row follows it)."""
    row = MediaFile.objects.filter(path=existing).first()
    if row is None:
        stat = os.stat(existing)
        row = MediaFile(
            path=existing, name=os.path.basename(existing), size=stat.st_size, mtime=stat.st_mtime
        )
    root = os.path.normpath(library.root_path)
    return PlanItem(row, existing, recycle_path(root, existing, stamp), Reason.READY, root=root)


def _decide(item: ImportItem, choice: str, sidecars: list[ImportItem], stamp: str) -> None:
    """Apply the choice for a duplicate (keep both, replace or skip) to its item."""
    media, existing = item.plan.media, item.existing
    assert item.library is not None and item.plan.target is not None
    item.choice = choice
    if choice == Choice.SKIP:
        _stays(item, Reason.TARGET_EXISTS, f"The library has it already ({existing}): skipped.")
        return
    if choice == Choice.KEEP_BOTH:
        target = _versioned(item.plan.target, media, existing)
        if target is None:
            _stays(item, Reason.TARGET_EXISTS, "No free name for another version: skipped.")
            return
        item.plan.target = target
        for sub in sidecars:
            sub.plan.target = os.path.splitext(target)[0] + sidecar_suffix(sub.plan.media)
        item.note = f"kept beside {os.path.basename(existing)} as another Plex version"
        return
    item.recycle = _recycle_item(existing, item.library, stamp)
    item.note = f"replaces {os.path.basename(existing)} (moved to the recycle folder)"


def _kind(inbox: InboxFolder, item: ImportItem) -> None:
    mode = inbox.mode
    if mode == ImportMode.MOVE:
        item.kind = OperationType.MOVE
    elif mode == ImportMode.COPY:
        item.kind = OperationType.COPY
    elif mode == ImportMode.SYMLINK:
        item.kind = OperationType.SYMLINK
    else:
        assert item.library is not None
        try:
            linkable = same_filesystem(item.plan.source, item.library.root_path)
        except OSError:
            linkable = True  # the journal's check says what is wrong with the file
        item.kind = OperationType.HARDLINK if linkable else OperationType.COPY
        if not linkable:
            item.note = "; ".join(
                filter(None, [item.note, "copied: a hard link cannot cross filesystems"])
            )


def inbox_plan(
    inbox: InboxFolder,
    collected: Collected,
    *,
    default_choice: str,
    choices: Mapping[str, str] | None = None,
    only: Collection[str] | None = None,
) -> ImportPlan:
    """The import plan for the collected files. `default_choice` is the settings' rule
    (`better`, or a Choice); `choices` maps a file's path relative to the inbox to a Choice.
    `only`: the paths relative to the inbox to import (the rest stays), or None for all;
    a subtitle or extra stays with the file it follows."""
    root = os.path.normpath(inbox.path)
    library_kind = inbox.library.kind if inbox.library is not None else Library.Kind.MIXED
    files = [_media(found, root, library_kind) for found in collected.ready]
    _pair_subtitles(files)
    libraries = {id(m): inbox.library_for((m.video or m).media_type) for m in files}
    roots = {key: lib.root_path if lib else None for key, lib in libraries.items()}
    planned = plan_import(files, source_root=root, roots=roots)
    plan = ImportPlan(inbox=inbox, collected=collected)
    plan.items = [ImportItem(p, libraries[id(p.media)]) for p in planned]
    if only is not None:
        picked = set(only)
        for item in plan.items:
            if item.plan.ready and plan.relative(item) not in picked:
                _stays(item, Reason.NOT_SELECTED, "Not selected: it stays in the inbox.")
        collected.errors += [
            f"{path} was picked, but is not a finished media file of the inbox; nothing was "
            "done with it."
            for path in sorted(picked - {plan.relative(item) for item in plan.items})
        ]
    sidecars: dict[int, list[ImportItem]] = defaultdict(list)
    for item in plan.items:
        if item.plan.media.video is not None:
            sidecars[id(item.plan.media.video)].append(item)
    for item in plan.items:
        target = item.plan.target
        if item.plan.ready and target and _already_imported(item.plan.source, target):
            _stays(item, Reason.ALREADY_CORRECT, f"Already imported: {target}")
    stamp = recycle_stamp(timezone.now())
    by_library: dict[int, list[ImportItem]] = defaultdict(list)
    for item in plan.items:
        if item.plan.ready and item.library and _identity(item.plan.media) is not None:
            by_library[item.library.pk].append(item)
    for group in by_library.values():
        has = _library_has(group[0].library, group)  # type: ignore[arg-type]
        for item in group:
            target = item.plan.target or ""
            existing = target if os.path.lexists(target) else has.get(_identity(item.plan.media))  # type: ignore[arg-type]
            if not existing:
                continue
            item.existing = existing
            choice = (choices or {}).get(plan.relative(item), default_choice)
            if choice == "better":
                choice = Choice.REPLACE if _better(item.plan.media, existing) else Choice.SKIP
            _decide(item, choice, sidecars[id(item.plan.media)], stamp)
    for item in plan.items:
        target = item.plan.target
        if item.plan.ready and not item.existing and target and os.path.lexists(target):
            # A subtitle or extra whose name is taken: never overwritten.
            _stays(item, Reason.TARGET_EXISTS, "Another file is already there; it stays here.")
    followers_settle([i.plan for i in plan.items])
    for item in plan.items:
        if item.plan.ready:
            _kind(inbox, item)
    return plan
