"""Reads for the library pages."""

from __future__ import annotations

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
