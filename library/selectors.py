"""Reads for the library pages."""

from __future__ import annotations

import os

from library.models import MediaFile


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
