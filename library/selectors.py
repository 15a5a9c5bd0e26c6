"""Reads for the library pages."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Count, F, QuerySet
from django.urls import reverse

from library.models import (
    Batch,
    ExtraType,
    FileOperation,
    MediaFile,
    MediaType,
    OperationStatus,
    OperationType,
)

# An id no row has: reversed once, then replaced by each row's id.
_URL_ID_MARKER = 2**62


def url_for_id(name: str, *args: Any) -> Callable[[Any], str]:
    """`name`'s URL for any last argument, from one `reverse` (a page of 50 rows
    reversing two URLs each spends more time in the resolver than in its query)."""
    prefix, _, suffix = reverse(name, args=[*args, _URL_ID_MARKER]).rpartition(str(_URL_ID_MARKER))
    return lambda last: f"{prefix}{last}{suffix}"


def extra_main(extra: MediaFile) -> MediaFile | None:
    """The movie or episode an extra belongs to: a main video of the same title and year
    in the extra's folder or the folder above it (Plex's extras folders sit in the movie's)."""
    if not extra.extra_type or not extra.title:
        return None
    folder = os.path.dirname(extra.path)
    folders = {folder, os.path.dirname(folder)}
    candidates = MediaFile.objects.filter(
        library_id=extra.library_id,
        kind=MediaFile.Kind.VIDEO,
        extra_type="",
        title=extra.title,
        year=extra.year,
    ).order_by("path")
    return next((media for media in candidates if os.path.dirname(media.path) in folders), None)


@dataclass(frozen=True)
class BatchSummary:
    """One batch and how many of its operations are in each status."""

    batch: Batch
    url: str
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def pending(self) -> int:
        return self.by_status.get(FileOperation.Status.PENDING, 0)

    @property
    def completed(self) -> int:
        return self.by_status.get(FileOperation.Status.COMPLETED, 0)

    @property
    def failed(self) -> int:
        return self.by_status.get(FileOperation.Status.FAILED, 0)

    @property
    def rolled_back(self) -> int:
        return self.by_status.get(FileOperation.Status.ROLLED_BACK, 0)

    def headline(self) -> str:
        """What the batch did, in a few words: "392 files renamed, 2 failed"."""
        parts = [
            (count, words)
            for count, words in [
                (self.completed, "renamed"),
                (self.failed, "failed"),
                (self.rolled_back, "rolled back"),
                (self.pending, "pending"),
            ]
            if count
        ]
        if not parts:
            return "no files"
        (first, words), *rest = parts
        noun = "file" if first == 1 else "files"
        return ", ".join(
            [f"{intcomma(first)} {noun} {words}", *(f"{intcomma(n)} {w}" for n, w in rest)]
        )


def batch_summaries(batches: Iterable[Batch]) -> list[BatchSummary]:
    """The batches with their operations counted by status, in one query grouped by
    (batch, status) over these batches' operations only (a page's worth, never the table)."""
    batches = list(batches)
    counts: defaultdict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        FileOperation.objects.filter(batch__in=batches)
        .order_by()
        .values_list("batch_id", "status")
        .annotate(count=Count("*"))
    )
    for batch_id, status, count in rows:
        counts[batch_id][status] = count
    url = url_for_id("library:batch")
    return [BatchSummary(batch, url(batch.pk), counts[batch.pk]) for batch in batches]


def recent_batch_summaries(*, limit: int) -> list[BatchSummary]:
    """The newest batches with their counts, in two queries."""
    return batch_summaries(Batch.objects.select_related("library")[:limit])


_STATUS_LABELS = dict(OperationStatus.choices)
_TYPE_LABELS = dict(OperationType.choices)
_OPERATION_ROW_FIELDS = ["id", "batch_id", "operation_type", "status", "needs_attention"]
_OPERATION_ROW_FIELDS += ["original_path", "new_path", "error", "created_at", "rolled_back_at"]


@dataclass(frozen=True, slots=True)
class OperationRow:
    """One operation as a history table shows it, read with values() (no model instance)."""

    id: int
    batch_id: int
    library_name: str | None
    operation_type: str
    status: str
    needs_attention: bool
    original_path: str
    new_path: str
    error: str
    created_at: datetime
    rolled_back_at: datetime | None
    batch_url: str
    rollback_url: str

    @property
    def pk(self) -> int:
        return self.id

    @property
    def operation_type_label(self) -> str:
        return _TYPE_LABELS.get(self.operation_type, self.operation_type)

    @property
    def status_label(self) -> str:
        return _STATUS_LABELS.get(self.status, self.status)


def operation_rows(operations: QuerySet[FileOperation]) -> list[OperationRow]:
    """The rows of `operations` (a page of them: all are read) for a history table."""
    batch_url = url_for_id("library:batch")
    rollback_url = url_for_id("library:operation_rollback")
    rows = operations.values(*_OPERATION_ROW_FIELDS, library_name=F("batch__library__name"))
    return [
        OperationRow(
            **row, batch_url=batch_url(row["batch_id"]), rollback_url=rollback_url(row["id"])
        )
        for row in rows
    ]


_MEDIA_TYPE_LABELS = dict(MediaType.choices)
_EXTRA_TYPE_LABELS = dict(ExtraType.choices)
_SUBTITLE_FIELDS = ["name", "language", "forced", "sdh"]
_MEDIA_ROW_FIELDS = ["id", "name", "kind", "media_type", "title", "year", "season", "episodes"]
_MEDIA_ROW_FIELDS += ["absolute_episode", "air_date", "episode_title", "extra_type", "conflict"]
_MEDIA_ROW_FIELDS += [*_SUBTITLE_FIELDS, "size", "missing"]


@dataclass(frozen=True, slots=True)
class SubtitleBadge:
    """A video's subtitle as its row's badge shows it."""

    name: str
    language: str
    forced: bool
    sdh: bool


@dataclass(frozen=True, slots=True)
class MediaRow:
    """One media file as the library table shows it, read with values() (no model instance)."""

    id: int
    name: str
    kind: str
    media_type: str
    title: str
    year: int | None
    season: int | None
    episodes: list[int]
    absolute_episode: int | None
    air_date: date | None
    episode_title: str
    extra_type: str
    conflict: str
    language: str
    forced: bool
    sdh: bool
    size: int
    missing: bool
    url: str
    sidecars: list[SubtitleBadge]

    @property
    def pk(self) -> int:
        return self.id

    @property
    def media_type_label(self) -> str:
        return _MEDIA_TYPE_LABELS.get(self.media_type, self.media_type)

    @property
    def extra_type_label(self) -> str:
        return _EXTRA_TYPE_LABELS.get(self.extra_type, self.extra_type)


def media_rows(media: QuerySet[MediaFile], *, library_id: int) -> list[MediaRow]:
    """The rows of `media` (a page of them: all are read) with their subtitles, in two queries."""
    url = url_for_id("library:media", library_id)
    rows = list(media.values(*_MEDIA_ROW_FIELDS))
    sidecars: defaultdict[int, list[SubtitleBadge]] = defaultdict(list)
    subtitles = MediaFile.objects.filter(video_id__in=[row["id"] for row in rows])
    for video_id, *badge in subtitles.order_by("path").values_list("video_id", *_SUBTITLE_FIELDS):
        sidecars[video_id].append(SubtitleBadge(*badge))
    return [MediaRow(**row, url=url(row["id"]), sidecars=sidecars[row["id"]]) for row in rows]
