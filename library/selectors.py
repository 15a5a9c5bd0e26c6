"""Reads for the library pages."""

from __future__ import annotations

import os
from typing import TypedDict

from django.db.models import Count, Q, QuerySet, Sum
from django_stubs_ext import WithAnnotations

from library.models import Library, MediaFile, MediaType


class LibraryCountAnnotations(TypedDict):
    # The count_<type> annotations are read by name (getattr), so they are not listed.
    video_count: int
    missing_count: int
    total_size: int | None


def libraries_with_counts() -> QuerySet[WithAnnotations[Library, LibraryCountAnnotations]]:
    """Libraries with their video counts per type and total size, in one query."""
    videos = Q(media_files__kind=MediaFile.Kind.VIDEO, media_files__missing=False)
    per_type = {
        f"count_{t.value.lower()}": Count(
            "media_files", filter=videos & Q(media_files__media_type=t.value)
        )
        for t in MediaType
    }
    # The named annotations come last so the type checker sees them on the result.
    return Library.objects.annotate(**per_type).annotate(
        video_count=Count("media_files", filter=videos),
        missing_count=Count("media_files", filter=Q(media_files__missing=True)),
        total_size=Sum("media_files__size", filter=videos),
    )


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
