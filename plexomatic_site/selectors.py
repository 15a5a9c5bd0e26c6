"""Reads for the site-wide pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.urls import reverse

from backups.selectors import BackupHealth
from library.models import FileOperation, Library, MediaFile, MediaType


@dataclass(frozen=True)
class LibraryCounts:
    library: Library
    by_type: dict[str, int]
    total: int
    size: int


@dataclass(frozen=True)
class Warning:
    level: str  # "warning" or "danger"
    message: str
    link: str = ""


def library_counts() -> list[LibraryCounts]:
    """Media per library and type: two queries whatever the number of libraries."""
    rows = (
        MediaFile.objects.filter(missing=False, kind=MediaFile.Kind.VIDEO)
        .values("library_id", "media_type")
        .annotate(count=Count("id"), size=Sum("size"))
    )
    by_library: dict[int, dict[str, int]] = {}
    sizes: dict[int, int] = {}
    for row in rows:
        by_library.setdefault(row["library_id"], {})[row["media_type"]] = row["count"]
        sizes[row["library_id"]] = sizes.get(row["library_id"], 0) + (row["size"] or 0)
    return [
        LibraryCounts(
            library=library,
            by_type={t.label: by_library.get(library.pk, {}).get(t.value, 0) for t in MediaType},
            total=sum(by_library.get(library.pk, {}).values()),
            size=sizes.get(library.pk, 0),
        )
        for library in Library.objects.all()
    ]


def overview_warnings(*, backup_health: BackupHealth) -> list[Warning]:
    warnings: list[Warning] = []
    operations = FileOperation.objects.aggregate(
        pending=Count("id", filter=Q(status=FileOperation.Status.PENDING)),
        attention=Count("id", filter=Q(needs_attention=True)),
    )
    pending, attention = operations["pending"], operations["attention"]
    if pending:
        warnings.append(
            Warning(
                "danger",
                f"{pending} file operation(s) are still pending from an interrupted apply.",
            )
        )
    if attention:
        warnings.append(
            Warning(
                "danger",
                f"{attention} file operation(s) need your attention: crash recovery found "
                "the file at both paths or at neither.",
                reverse("library:history") + "?attention=1",
            )
        )
    missing = MediaFile.objects.filter(missing=True).count()
    if missing:
        warnings.append(
            Warning(
                "warning",
                f"{missing} media file(s) have gone missing from disk.",
                reverse("library:list"),
            )
        )
    backups_link = reverse("backups:list")
    warnings.extend(Warning("warning", text, backups_link) for text in backup_health.warnings)
    return warnings
