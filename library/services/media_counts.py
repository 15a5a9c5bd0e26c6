"""What each library holds, counted by the scan: pages read the counts instead of
counting 100,000 rows on every view.

Only a scan adds, removes or re-reads media rows (an apply or a rollback changes
paths, not what is counted), so the scan stores the counts when anything changed
(`media_counts_compute`). A library scanned before the counts were stored is
counted once, by the first page that needs it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, Sum

from library.models import Library, MediaFile, MediaType


@dataclass(frozen=True)
class MediaCounts:
    # Videos on disk by media type (MediaType values); missing files are counted apart.
    by_type: dict[str, int]
    videos: int
    missing: int
    size: int

    def of(self, *types: MediaType) -> int:
        return sum(self.by_type.get(t.value, 0) for t in types)

    @property
    def tv(self) -> int:
        return self.of(MediaType.TV_SHOW, MediaType.TV_SPECIAL)

    @property
    def anime(self) -> int:
        return self.of(MediaType.ANIME, MediaType.ANIME_SPECIAL)

    @property
    def movies(self) -> int:
        return self.of(MediaType.MOVIE)

    @property
    def unknown(self) -> int:
        return self.of(MediaType.UNKNOWN)


def media_counts_compute(library: Library) -> dict[str, Any]:
    """The counts of one library as stored on its row (one aggregate over its files)."""
    rows = MediaFile.objects.filter(library=library)
    on_disk = rows.filter(kind=MediaFile.Kind.VIDEO, missing=False)
    by_type = dict(
        on_disk.order_by()
        .values_list("media_type")
        .annotate(files=Count("id"))
        .values_list("media_type", "files")
    )
    totals = rows.aggregate(
        gone=Count("id", filter=Q(missing=True)),
        bytes=Sum("size", filter=Q(kind=MediaFile.Kind.VIDEO, missing=False)),
    )
    return {"by_type": by_type, "missing": totals["gone"], "size": totals["bytes"] or 0}


def _counts(stored: dict[str, Any]) -> MediaCounts:
    by_type = {str(k): int(v) for k, v in stored["by_type"].items()}
    return MediaCounts(
        by_type=by_type,
        videos=sum(by_type.values()),
        missing=int(stored["missing"]),
        size=int(stored["size"]),
    )


def media_counts(libraries: Iterable[Library]) -> dict[int, MediaCounts]:
    """Library id -> its stored counts; a library without them is counted and stored now."""
    found: dict[int, MediaCounts] = {}
    for library in libraries:
        if library.media_counts is None:
            library.media_counts = media_counts_compute(library)
            # Only if still empty: a scan finishing meanwhile stored newer counts.
            Library.objects.filter(pk=library.pk, media_counts__isnull=True).update(
                media_counts=library.media_counts
            )
        found[library.pk] = _counts(library.media_counts)
    return found
