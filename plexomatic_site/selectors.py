"""Reads for the site-wide pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone

from backups.models import Backup
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


def backup_is_stale(newest: Backup | None, *, interval_hours: int, now: datetime) -> bool:
    """Stale when scheduling is on and the newest backup is older than two intervals."""
    if interval_hours <= 0:
        return False
    return newest is None or now - newest.created_at > timedelta(hours=2 * interval_hours)


def overview_warnings(*, newest_backup: Backup | None, interval_hours: int) -> list[Warning]:
    warnings: list[Warning] = []
    pending = FileOperation.objects.filter(status=FileOperation.Status.PENDING).count()
    if pending:
        warnings.append(
            Warning(
                "danger",
                f"{pending} file operation(s) are still pending from an interrupted apply.",
            )
        )
    attention = FileOperation.objects.filter(needs_attention=True).count()
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
        warnings.append(Warning("warning", f"{missing} media file(s) have gone missing from disk."))
    if backup_is_stale(newest_backup, interval_hours=interval_hours, now=timezone.now()):
        if newest_backup is None:
            text = "There is no backup of the database yet."
        else:
            text = f"The newest backup is from {newest_backup.created_at:%Y-%m-%d %H:%M} UTC."
        warnings.append(Warning("warning", text))
    return warnings
