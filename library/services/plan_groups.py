"""Groups of files whose plans depend on each other: what the stored plan plans together.

A file's plan depends on other files only through paths: the same target, a target
that is another file's path, a film's or show's folder and the extras in it, a
subtitle and its video. A planned row (`PlannedMove`) carries these as path keys,
and `group_plan` widens a group of files until their new rows reach no file
outside it. The rows are looked up in an index:

- `StoredIndex`, the stored plan's rows (indexed queries), for a refresh of the
  files that changed since the plan was stored;
- `PlannedIndex`, the rows of a plan being made, for a full plan made a few
  thousand files at a time (`plan_in_chunks`): the rows wait in a temporary table,
  and its memory is that of one chunk and of every file's keys, not of every
  file's loaded row, plan or stored row at once.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from library.models import Library, MediaFile, PlannedMove
from library.services.plan import PlanItem, extras_anchor
from plexomatic_site.progress import Progress
from plexomatic_site.queries import StagedRows, chunked

# Files per chunk of a full plan (each folder's files together).
CHUNK_FILES = 5000

# The plan of a group of media ids, as rows to store.
PlanRows = Callable[[set[int]], list[PlannedMove]]


def path_key(path: str) -> int:
    """A signed 64-bit hash of the case-folded path: the plan compares paths this way."""
    folded = os.path.normcase(path).casefold().encode("utf-8", "surrogateescape")
    return int.from_bytes(hashlib.blake2b(folded, digest_size=8).digest(), "big", signed=True)


def folder_key(item: PlanItem) -> int | None:
    """The folder that ties a video to its extras (plan.extras_anchor: a film's folder,
    a show's); null for a subtitle, whose plan follows its video's instead."""
    if item.media.kind != MediaFile.Kind.VIDEO:
        return None
    return path_key(extras_anchor(item))


@dataclass
class Keys:
    """Where a set of files sits and goes, as path keys."""

    targets: set[int] = field(default_factory=set)
    sources: set[int] = field(default_factory=set)
    # The folders of the extras, and of the films (whose extras can follow them).
    extra_folders: set[int] = field(default_factory=set)
    film_folders: set[int] = field(default_factory=set)
    videos: set[int] = field(default_factory=set)

    def add(
        self, source: int, target: int | None, folder: int | None, extra: bool, video: int | None
    ) -> None:
        self.sources.add(source)
        if video is not None:
            self.videos.add(video)
        if target is not None:
            self.targets.add(target)
        if folder is not None:
            (self.extra_folders if extra else self.film_folders).add(folder)


def keys_of(rows: Iterable[PlannedMove]) -> Keys:
    keys = Keys()
    for row in rows:
        keys.add(row.source_key, row.target_key, row.folder_key, row.extra, row.video_id)
    return keys


class Index(Protocol):
    def ids(self, column: str, values: set[int], *, extras_only: bool = False) -> set[int]:
        """The media ids of the rows whose `column` is one of `values`."""


class StoredIndex:
    """The stored plan of a library, looked up by its indexes."""

    def __init__(self, library: Library) -> None:
        self.rows = PlannedMove.objects.filter(library=library)

    def ids(self, column: str, values: set[int], *, extras_only: bool = False) -> set[int]:
        found: set[int] = set()
        for chunk in chunked(values):
            rows = self.rows.filter(**{f"{column}__in": chunk})
            if extras_only:
                rows = rows.filter(extra=True)
            found.update(rows.values_list("media_id", flat=True))
        return found

    def keys(self, ids: Collection[int]) -> Keys:
        """The keys of the stored rows of `ids` (where those files were planned to go)."""
        keys = Keys()
        columns = ("source_key", "target_key", "folder_key", "extra", "video_id")
        for chunk in chunked(ids):
            for values in self.rows.filter(media_id__in=chunk).values_list(*columns):
                keys.add(*values)
        return keys


class PlannedIndex:
    """A plan being made: its rows in a temporary table (`StagedRows`), and in memory
    only the keys a group is widened by, by media id and by each key.

    A key held by one row maps to its media id, one held by several to a set of
    them: most keys (a source, a target) are one file's, and 100,000 one-element
    sets would cost more memory than the keys themselves.
    """

    KEYS = ("target_key", "source_key", "folder_key")

    def __init__(self, staged: StagedRows) -> None:
        self.staged = staged
        # Each planned file's keys, in KEYS' order, and whether it is an extra.
        self.planned: dict[int, tuple[int | None, int | None, int | None, bool]] = {}
        self._by: dict[str, dict[int, int | set[int]]] = {column: {} for column in self.KEYS}

    def ids(self, column: str, values: set[int], *, extras_only: bool = False) -> set[int]:
        found: set[int] = set()
        by_value = self._by[column]
        for value in values:
            held = by_value.get(value)
            if isinstance(held, int):
                found.add(held)
            elif held:
                found |= held
        if extras_only:
            found = {pk for pk in found if self.planned[pk][-1]}
        return found

    def replace(self, group: set[int], rows: list[PlannedMove]) -> None:
        """The rows of `group` are now `rows`."""
        again = [pk for pk in group if pk in self.planned]
        for pk in again:
            old = self.planned.pop(pk)
            for at, by_value in enumerate(self._by.values()):
                _forget(by_value, old[at], pk)
        self.staged.discard("media_id", again)
        self.staged.add(rows)
        for row in rows:
            keys = (row.target_key, row.source_key, row.folder_key)
            self.planned[row.media_id] = (*keys, row.extra)
            for value, by_value in zip(keys, self._by.values(), strict=True):
                _remember(by_value, value, row.media_id)


def _remember(by_value: dict[int, int | set[int]], value: int | None, pk: int) -> None:
    if value is None:
        return
    held = by_value.get(value)
    if held is None:
        by_value[value] = pk
    elif isinstance(held, int):
        if held != pk:
            by_value[value] = {held, pk}
    else:
        held.add(pk)


def _forget(by_value: dict[int, int | set[int]], value: int | None, pk: int) -> None:
    if value is None:
        return
    held = by_value.get(value)
    if held == pk:
        del by_value[value]
    elif isinstance(held, set):
        held.discard(pk)


def reached(index: Index, keys: Keys) -> set[int]:
    """Files whose plan a change at these keys can alter: the same target, a target
    that is one of the sources or a source that is one of the targets, the films of
    an extra's folder, the extras of a film's, a subtitle's video."""
    found = set(keys.videos)
    found |= index.ids("target_key", keys.targets | keys.sources)
    found |= index.ids("source_key", keys.targets)
    found |= index.ids("folder_key", keys.extra_folders)
    found |= index.ids("folder_key", keys.film_folders, extras_only=True)
    return found


def subtitles_of(ids: set[int]) -> set[int]:
    """The subtitles of these videos (read by the partial index on video_id)."""
    found: set[int] = set()
    for chunk in chunked(ids):
        found.update(MediaFile.objects.filter(video_id__in=chunk).values_list("pk", flat=True))
    return found


def group_plan(
    group: set[int], *, index: Index, plan_rows: PlanRows
) -> tuple[list[PlannedMove], set[int]]:
    """The rows of `group`, widened until its new rows reach no file outside it in `index`."""
    while True:
        group |= subtitles_of(group)  # a video's plan decides its subtitles'
        rows = plan_rows(group)
        found = reached(index, keys_of(rows))
        if found <= group:
            return rows, group
        group |= found


def chunks_of(library: Library, size: int) -> Iterator[set[int]]:
    """The library's media ids in path order, in chunks of about `size` that keep each
    folder's files together (a season, a film and what sits beside it)."""
    chunk: set[int] = set()
    folder = None
    rows = MediaFile.objects.filter(library=library).order_by("path")
    for pk, path in rows.values_list("pk", "path").iterator(chunk_size=size):
        here = os.path.dirname(path)
        if len(chunk) >= size and here != folder:
            yield chunk
            chunk = set()
        chunk.add(pk)
        folder = here
    if chunk:
        yield chunk


def plan_in_chunks(
    library: Library, *, plan_rows: PlanRows, staged: StagedRows, progress: Progress
) -> int:
    """Every file's row, planned a chunk at a time into `staged`: each chunk widened to
    the files already planned that it reaches (which are planned again with it), so
    the rows are those of one plan of the whole library. Returns how many files."""
    index = PlannedIndex(staged)
    total = MediaFile.objects.filter(library=library).count()
    for chunk in chunks_of(library, CHUNK_FILES):
        rows, group = group_plan(chunk, index=index, plan_rows=plan_rows)
        index.replace(group, rows)
        progress(len(index.planned), total, "Planning the renames")
    return len(index.planned)
