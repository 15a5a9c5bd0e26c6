"""Reads for the site-wide pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.urls import reverse

from backups.selectors import BackupHealth
from library.models import FileOperation, Library, MediaFile, MediaType
from library.services.media_counts import media_counts
from library.services.plex_check import plex_check_counts


@dataclass(frozen=True)
class LibraryCounts:
    library: Library
    by_type: dict[str, int]
    total: int
    size: int
    # Files whose current path Plex may misread (the last scan's Plex check).
    plex_misread: int


@dataclass(frozen=True)
class OverviewWarning:
    level: Literal["warning", "danger"]
    message: str
    link: str = ""


def library_counts() -> list[LibraryCounts]:
    """Media per library and type, as each library's last scan counted them."""
    libraries = list(Library.objects.all())
    counts = media_counts(libraries)
    return [
        LibraryCounts(
            library=library,
            by_type={t.label: counts[library.pk].of(t) for t in MediaType},
            total=counts[library.pk].videos,
            size=counts[library.pk].size,
            plex_misread=plex_check_counts(library)[0],
        )
        for library in libraries
    ]


def overview_warnings(*, backup_health: BackupHealth) -> list[OverviewWarning]:
    warnings: list[OverviewWarning] = []
    # Two counts, each read from its index: one aggregate with both filters reads every row.
    pending = FileOperation.objects.filter(status=FileOperation.Status.PENDING).count()
    attention = FileOperation.objects.filter(needs_attention=True).count()
    if pending:
        warnings.append(
            OverviewWarning(
                "danger",
                f"{pending} file operation(s) are still pending from an interrupted apply.",
            )
        )
    if attention:
        warnings.append(
            OverviewWarning(
                "danger",
                f"{attention} file operation(s) need your attention: crash recovery found "
                "the file at both paths or at neither.",
                reverse("library:history") + "?view=files&attention=1",
            )
        )
    missing = MediaFile.objects.filter(missing=True).count()
    if missing:
        warnings.append(
            OverviewWarning(
                "warning",
                f"{missing} media file(s) have gone missing from disk.",
                reverse("library:list"),
            )
        )
    backups_link = reverse("backups:list")
    warnings.extend(
        OverviewWarning("warning", text, backups_link) for text in backup_health.warnings
    )
    return warnings
