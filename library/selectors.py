"""Reads for the library pages."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum

from library.models import Library, MediaFile, MediaType


def libraries_with_counts() -> QuerySet[Library]:
    """Libraries with their video counts per type and total size, in one query."""
    videos = Q(media_files__kind=MediaFile.Kind.VIDEO, media_files__missing=False)
    per_type = {
        f"count_{t.value.lower()}": Count(
            "media_files", filter=videos & Q(media_files__media_type=t.value)
        )
        for t in MediaType
    }
    return Library.objects.annotate(
        video_count=Count("media_files", filter=videos),
        missing_count=Count("media_files", filter=Q(media_files__missing=True)),
        total_size=Sum("media_files__size", filter=videos),
        **per_type,
    )
