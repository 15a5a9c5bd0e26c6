"""Reads for the site-wide pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import Literal

from django.core.cache import cache
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone

from backups.models import Backup
from backups.selectors import BackupHealth
from library.models import FileOperation, Library, MediaFile, MediaType
from library.services.media_counts import media_counts
from library.services.plex_check import plex_check_counts

# The overview's renames chart: this many days, today included.
RENAME_DAYS = 90
# Its counts are kept this long at most (a deleted operation changes none of the
# figures its cache key is made of, so this bounds how long such a change hides).
RENAME_DAYS_CACHE_S = 3600
# The overview's backups chart: the newest this many backups.
BACKUPS_CHARTED = 60


@dataclass(frozen=True)
class LibraryCounts:
    library: Library
    by_type: dict[str, int]
    total: int
    size: int
    # Files whose current path Plex may misread (the last scan's Plex check).
    plex_misread: int

    @property
    def plex_ready_percent(self) -> int | None:
        """The share of videos whose path Plex reads as named, rounded down (None: no videos)."""
        if not self.total:
            return None
        return (self.total - min(self.plex_misread, self.total)) * 100 // self.total


@dataclass(frozen=True)
class RenameDay:
    day: date
    # Operations applied that day, by what they are now: still in place, or rolled back.
    applied: int
    rolled_back: int


@dataclass(frozen=True)
class BackupPoint:
    created_at: datetime
    size: int
    kind: str
    kind_label: str


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


def renames_per_day(*, today: date | None = None, days: int = RENAME_DAYS) -> list[RenameDay]:
    """Renames applied on each of the last `days` days (local time), oldest first.

    An operation counts on the day it was applied, as still applied or as
    rolled back since. Counting a million operations takes about a second,
    so the days are cached under a key that any apply, rollback, recovery or
    import changes: the newest operation's id (a new operation), the number
    of pending ones (one completed or failed) and of rolled-back ones (one
    rolled back), each read from an index in milliseconds.
    """
    today = today or timezone.localdate()
    key = f"overview:renames:{today.isoformat()}:{days}:{_operations_fingerprint()}"
    found = cache.get(key)
    if found is None:
        found = _renames_count(today=today, days=days)
        cache.set(key, found, RENAME_DAYS_CACHE_S)
    return found


def _operations_fingerprint() -> str:
    operations = FileOperation.objects.order_by()
    newest = operations.aggregate(newest=Max("pk"))["newest"] or 0
    Status = FileOperation.Status
    # Each count reads fileop_status_created_idx; completed and failed, the bulk,
    # are not counted: an operation only reaches them from pending.
    counts = [
        operations.filter(status=status).count() for status in (Status.PENDING, Status.ROLLED_BACK)
    ]
    return ":".join(str(n) for n in (newest, *counts))


def _renames_count(*, today: date, days: int) -> list[RenameDay]:
    # One count per local day over a range of fileop_status_created_idx (covering):
    # grouping by a date computed per row costs several times more.
    zone = timezone.get_current_timezone()
    first = today - timedelta(days=days - 1)
    edges = [datetime.combine(first + timedelta(days=n), time.min, zone) for n in range(days + 1)]
    Status = FileOperation.Status
    found = []
    for n, (start, end) in enumerate(pairwise(edges)):
        counts = dict(
            FileOperation.objects.filter(
                status__in=(Status.COMPLETED, Status.ROLLED_BACK),
                created_at__gte=start,
                created_at__lt=end,
            )
            .order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        found.append(
            RenameDay(
                day=first + timedelta(days=n),
                applied=counts.get(Status.COMPLETED, 0),
                rolled_back=counts.get(Status.ROLLED_BACK, 0),
            )
        )
    return found


def backup_points(*, limit: int = BACKUPS_CHARTED) -> list[BackupPoint]:
    """The newest `limit` backups, oldest first: when each was taken, its size and kind."""
    rows = Backup.objects.order_by("-created_at", "-id").values_list("created_at", "size", "kind")
    labels = dict(Backup.Kind.choices)
    return [
        BackupPoint(created_at=at, size=size, kind=kind, kind_label=labels.get(kind, kind))
        for at, size, kind in reversed(rows[:limit])
    ]
