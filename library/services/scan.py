"""Scanning a library: walk its folder, keep media files, recognise what changed.

The walk is incremental: a file whose size and mtime match its row is not
looked at again, so a rescan of an unchanged library costs little more than
listing it. Problems with single folders or files (unreadable, vanished,
symlink loops) are collected in the summary and never stop the scan.
"""

from __future__ import annotations

import fnmatch
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from library.models import Library, MediaFile
from library.services.fingerprint import file_fingerprint
from library.services.paths import path_for_storage
from library.services.recognition import recognise, subtitle_info
from plexomatic_site.settings_store import settings_current

WRITE_BATCH = 1000
# How many errors the summary keeps word for word; the count is always exact.
ERRORS_KEPT = 100

Progress = Callable[..., None]


class ScanError(Exception):
    """The scan cannot run at all (the library root is gone or unreadable)."""


@dataclass
class ScanSummary:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    moved: int = 0
    missing: int = 0
    returned: int = 0
    error_count: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def error(self, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < ERRORS_KEPT:
            self.errors.append(message)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def line(self) -> str:
        return (
            f"{self.new} new, {self.changed} changed, {self.unchanged} unchanged, "
            f"{self.moved} moved, {self.missing} missing, {self.error_count} errors "
            f"in {self.seconds:.1f} s"
        )


@dataclass(frozen=True, slots=True)
class FoundFile:
    fs_path: str
    size: int
    mtime: float
    is_subtitle: bool


@dataclass(frozen=True)
class ScanRules:
    video: frozenset[str]
    subtitle: frozenset[str]
    ignore: re.Pattern[str] | None

    @classmethod
    def for_library(cls, library: Library) -> ScanRules:
        current = settings_current()

        def pick(key: str) -> list[str]:
            own = getattr(library, key)
            return own if own is not None else current[key]

        patterns = [p.lower() for p in pick("ignore_patterns")]
        ignore = re.compile("|".join(fnmatch.translate(p) for p in patterns)) if patterns else None
        return cls(
            video=frozenset(e.lower() for e in pick("video_extensions")),
            subtitle=frozenset(e.lower() for e in pick("subtitle_extensions")),
            ignore=ignore,
        )

    def ignored(self, name: str) -> bool:
        return self.ignore is not None and self.ignore.match(name.lower()) is not None


def _walk(
    root: str, rules: ScanRules, summary: ScanSummary, unreadable: list[str]
) -> Iterator[FoundFile]:
    """Every kept file under root. Follows folder symlinks, but never into a loop."""
    seen_dirs: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            info = os.stat(folder)
        except OSError as exc:
            summary.error(f"Cannot open folder {path_for_storage(folder)[0]}: {exc.strerror}")
            unreadable.append(folder)
            continue
        if (info.st_dev, info.st_ino) in seen_dirs:
            summary.error(
                f"Skipped {path_for_storage(folder)[0]}: a symlink loop leads back into the scan"
            )
            continue
        seen_dirs.add((info.st_dev, info.st_ino))
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            summary.error(f"Cannot read folder {path_for_storage(folder)[0]}: {exc.strerror}")
            unreadable.append(folder)
            continue
        for entry in entries:
            name = entry.name
            if rules.ignored(name):
                continue
            try:
                if entry.is_dir():
                    stack.append(entry.path)
                    continue
                dot = name.rfind(".")
                if dot <= 0:
                    continue
                ext = name[dot:].lower()
                is_subtitle = ext in rules.subtitle
                if not is_subtitle and ext not in rules.video:
                    continue
                stat = entry.stat()
            except FileNotFoundError:
                summary.error(f"{path_for_storage(entry.path)[0]} vanished during the scan")
                continue
            except OSError as exc:
                summary.error(f"Cannot read {path_for_storage(entry.path)[0]}: {exc.strerror}")
                continue
            if not entry.is_file():
                continue
            yield FoundFile(entry.path, stat.st_size, stat.st_mtime, is_subtitle)


def _recognised_fields(library: Library, text_path: str, found: FoundFile) -> dict[str, Any]:
    relative = os.path.relpath(text_path, library.root_path).replace(os.sep, "/")
    fields: dict[str, Any] = {
        "name": os.path.basename(text_path),
        "size": found.size,
        "mtime": found.mtime,
        "missing": False,
        "kind": MediaFile.Kind.SUBTITLE if found.is_subtitle else MediaFile.Kind.VIDEO,
    }
    recognition = recognise(relative)
    fields.update(
        media_type=recognition.media_type,
        title=recognition.title[:500],
        year=recognition.year,
        season=recognition.season,
        episode=recognition.episodes[0] if recognition.episodes else None,
        episodes=list(recognition.episodes),
        absolute_episode=recognition.absolute_episode,
        air_date=recognition.air_date,
        episode_title=recognition.episode_title[:500],
        tmdb_id=recognition.tmdb_id,
        tvdb_id=recognition.tvdb_id,
    )
    if found.is_subtitle:
        sub = subtitle_info(fields["name"])
        fields.update(language=sub.language, forced=sub.forced, sdh=sub.sdh)
    return fields


def _fingerprint(found: FoundFile, summary: ScanSummary) -> str:
    try:
        return file_fingerprint(found.fs_path, size=found.size)
    except OSError as exc:
        summary.error(f"Cannot read {path_for_storage(found.fs_path)[0]}: {exc.strerror}")
        return ""


def library_scan(*, library: Library, progress: Progress | None = None) -> ScanSummary:
    """Bring the library's media rows in line with its folder. Caller holds the job lock."""
    started = time.monotonic()
    summary = ScanSummary()
    report = progress or (lambda *args, **kwargs: None)
    root = library.root_path
    if not os.path.isdir(root) or not os.access(root, os.R_OK | os.X_OK):
        raise ScanError(
            f"The library folder {root} is missing or cannot be read; nothing was changed."
        )
    rules = ScanRules.for_library(library)

    # path -> (id, size, mtime, missing) for every row of this library.
    known: dict[str, tuple[int, int, float, bool]] = {
        path: (pk, size, mtime, missing)
        for pk, path, size, mtime, missing in MediaFile.objects.filter(library=library).values_list(
            "pk", "path", "size", "mtime", "missing"
        )
    }
    seen: set[str] = set()
    to_create: list[MediaFile] = []
    to_update: list[tuple[int, dict[str, Any]]] = []
    returned: list[int] = []
    unreadable: list[str] = []
    count = 0

    for found in _walk(root, rules, summary, unreadable):
        count += 1
        if count % 500 == 0:
            report(count, None, f"{count:,} files looked at")
        text_path, raw = path_for_storage(found.fs_path)
        seen.add(text_path)
        row = known.get(text_path)
        if row is not None and row[1] == found.size and row[2] == found.mtime:
            summary.unchanged += 1
            if row[3]:
                returned.append(row[0])
            continue
        fields = _recognised_fields(library, text_path, found)
        fields["fingerprint"] = _fingerprint(found, summary)
        if row is None:
            to_create.append(MediaFile(library=library, path=text_path, path_bytes=raw, **fields))
        else:
            summary.changed += 1
            to_update.append((row[0], fields))

    gone = {
        path: pk
        for path, (pk, _size, _mtime, missing) in known.items()
        if path not in seen
        and not missing
        and not any(path.startswith(f"{u}{os.sep}") for u in unreadable)
    }
    moved = _match_moves(to_create, gone)
    summary.moved = len(moved)
    summary.new = len(to_create) - len(moved)
    summary.missing = len(gone) - len(moved)
    summary.returned = len(returned)

    report(count, count, "Saving")
    _write(library, to_create, to_update, moved, gone, returned)
    _link_sidecars(library)
    summary.seconds = round(time.monotonic() - started, 3)
    Library.objects.filter(pk=library.pk).update(
        last_scan_at=timezone.now(), last_scan_summary=summary.as_dict()
    )
    return summary


def _match_moves(to_create: list[MediaFile], gone: dict[str, int]) -> dict[int, MediaFile]:
    """Vanished rows whose fingerprint reappears under a new path: the same file, moved."""
    if not gone:
        return {}
    by_fingerprint: dict[str, int] = {}
    for pk, fingerprint in MediaFile.objects.filter(pk__in=gone.values()).values_list(
        "pk", "fingerprint"
    ):
        if fingerprint:
            by_fingerprint.setdefault(fingerprint, pk)
    moved: dict[int, MediaFile] = {}
    for media in to_create:
        pk = by_fingerprint.pop(media.fingerprint, None) if media.fingerprint else None
        if pk is not None:
            moved[pk] = media
    return moved


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), WRITE_BATCH):
        yield items[start : start + WRITE_BATCH]


def _write(
    library: Library,
    to_create: list[MediaFile],
    to_update: list[tuple[int, dict[str, Any]]],
    moved: dict[int, MediaFile],
    gone: dict[str, int],
    returned: list[int],
) -> None:
    moved_ids = {id(media) for media in moved.values()}
    creates = [media for media in to_create if id(media) not in moved_ids]
    for chunk in _chunks(creates):
        with transaction.atomic():
            MediaFile.objects.bulk_create(chunk)
    updates = to_update + [
        (
            pk,
            {
                f.attname: getattr(media, f.attname)
                for f in MediaFile._meta.concrete_fields
                if f.attname not in {"id", "library_id", "created_at", "updated_at", "video_id"}
            },
        )
        for pk, media in moved.items()
    ]
    now = timezone.now()
    for chunk in _chunks(updates):
        with transaction.atomic():
            for pk, fields in chunk:
                MediaFile.objects.filter(pk=pk).update(**fields, updated_at=now)
    vanished = [pk for pk in gone.values() if pk not in moved]
    for chunk in _chunks(vanished):
        MediaFile.objects.filter(pk__in=chunk).update(missing=True, updated_at=now)
    for chunk in _chunks(returned):
        MediaFile.objects.filter(pk__in=chunk).update(missing=False, updated_at=now)


def _link_sidecars(library: Library) -> None:
    """Point every unlinked subtitle at the video beside it whose name it extends."""
    orphans = list(
        MediaFile.objects.filter(
            library=library, kind=MediaFile.Kind.SUBTITLE, video__isnull=True, missing=False
        ).only("pk", "path", "name")
    )
    if not orphans:
        return
    folders = {os.path.dirname(sub.path) for sub in orphans}
    videos: dict[str, list[tuple[str, int]]] = {}
    for pk, path, name in MediaFile.objects.filter(
        library=library, kind=MediaFile.Kind.VIDEO, missing=False
    ).values_list("pk", "path", "name"):
        folder = os.path.dirname(path)
        if folder in folders:
            videos.setdefault(folder, []).append((name.rsplit(".", 1)[0], pk))
    links: dict[int, list[int]] = {}
    for sub in orphans:
        candidates = videos.get(os.path.dirname(sub.path), [])
        # The longest video name the subtitle's name extends ("Movie.en.forced.srt").
        prefixed = [(len(stem), pk) for stem, pk in candidates if sub.name.startswith(stem + ".")]
        match = max(prefixed)[1] if prefixed else None
        if match is None and len(candidates) == 1:
            match = candidates[0][1]  # the only video in its folder
        if match is not None:
            links.setdefault(match, []).append(sub.pk)
    with transaction.atomic():
        for video_pk, subs in links.items():
            MediaFile.objects.filter(pk__in=subs).update(video_id=video_pk)
