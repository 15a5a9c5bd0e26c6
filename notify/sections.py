""" "Test connection": list the Plex server's sections and keep them, mapped to libraries."""

from __future__ import annotations

import os

from django.db import transaction
from django.utils import timezone

from library.models import Library
from library.services.paths import is_within
from notify.models import PlexSection
from notify.plex import Section, sections_fetch


def _default_mapping(section: Section, libraries: list[Library]) -> tuple[Library, str] | None:
    """The library whose folder Plex lists as the same path (one holds the other)."""
    for library in libraries:
        root = os.path.normpath(library.root_path)
        for location in section.locations:
            if is_within(root, location) or is_within(location, root):
                return library, root
    return None


def sections_sync(*, url: str, token: str) -> list[PlexSection]:
    """Ask the server for its sections and store them; NotifyError when it cannot answer.

    A section seen before keeps the mapping the user chose; a new one is mapped
    to the library on the same path, if any; a section gone from the server is
    forgotten.
    """
    listed = sections_fetch(url=url, token=token)
    libraries = list(Library.objects.order_by("pk"))
    now = timezone.now()
    with transaction.atomic():
        PlexSection.objects.exclude(key__in=[s.key for s in listed]).delete()
        known = {row.key: row for row in PlexSection.objects.all()}
        for section in listed:
            row = known.get(section.key) or PlexSection(key=section.key)
            row.title, row.kind = section.title, section.kind
            row.locations, row.listed_at = list(section.locations), now
            if row.pk is None and (mapped := _default_mapping(section, libraries)):
                row.library, row.plex_root = mapped
            row.save()
    return list(PlexSection.objects.select_related("library"))
