"""Reads for the site-wide pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.db.models import Count, Q
from django.urls import reverse

from backups.selectors import BackupHealth
from library.models import FileOperation, Library, MediaFile, MediaType
from library.selectors import libraries_with_counts
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
    """Media per library and type, in one query whatever the number of libraries."""
    return [
        LibraryCounts(
            library=library,
            by_type={t.label: getattr(library, f"count_{t.value.lower()}") for t in MediaType},
            total=library.video_count,
            size=library.total_size or 0,
            plex_misread=plex_check_counts(library)[0],
        )
        for library in libraries_with_counts()
    ]


def overview_warnings(*, backup_health: BackupHealth) -> list[OverviewWarning]:
    warnings: list[OverviewWarning] = []
    operations = FileOperation.objects.aggregate(
        pending=Count("id", filter=Q(status=FileOperation.Status.PENDING)),
        attention=Count("id", filter=Q(needs_attention=True)),
    )
    pending, attention = operations["pending"], operations["attention"]
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
                reverse("library:history") + "?attention=1",
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
