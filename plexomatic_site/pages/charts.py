"""Bar charts drawn on the server as SVG: this computes the geometry, templates draw it.

No chart library and no script: a bar is a few rectangles in a viewBox that
stretches to the width of its panel, coloured by the stylesheet (so both
themes apply), each with a <title> tooltip. Every chart comes with the same
numbers as a table for screen readers and anyone who wants the figures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from backups.models import Backup
from library.models import MediaType
from plexomatic_site.pages.selectors import BackupPoint, LibraryCounts, RenameDay

# The drawing area of a column chart, in viewBox units (it scales to its box).
COLUMNS_WIDTH = 900
COLUMNS_HEIGHT = 160
# A column leaves this share of its slot empty, so neighbours stay apart.
COLUMN_GAP = 0.2
# A chart has room for at least this many columns, so a few are not drawn a
# third of the chart wide; the columns stand at the right (the newest) end.
MIN_COLUMNS = 24


@dataclass(frozen=True)
class Segment:
    """One series' part of a bar: where it starts and how long it is, in viewBox units."""

    series: str
    value: int
    start: float
    length: float


@dataclass(frozen=True)
class Column:
    label: str
    x: float
    width: float
    segments: list[Segment]
    title: str

    def rects(self) -> list[tuple[Segment, float]]:
        """Each segment with its top edge (SVG's y grows downwards)."""
        return [(s, COLUMNS_HEIGHT - s.start - s.length) for s in self.segments]


@dataclass(frozen=True)
class ColumnChart:
    columns: list[Column]
    # The value at the top of the drawing area: a round number at or above the tallest column.
    peak: int
    width: int = COLUMNS_WIDTH
    height: int = COLUMNS_HEIGHT


def axis_peak(tallest: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, … that is at least `tallest` (1 for nothing)."""
    if tallest <= 1:
        return 1
    power = 10 ** math.floor(math.log10(tallest))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= tallest)


def stack(values: dict[str, int], order: Sequence[str], *, scale: float) -> list[Segment]:
    """The non-zero values in `order`, laid end to end, `scale` units per unit of value."""
    segments, start = [], 0.0
    for series in order:
        value = values.get(series, 0)
        if value:
            segments.append(Segment(series, value, start, value * scale))
            start += value * scale
    return segments


def column_chart(
    points: Sequence[tuple[str, dict[str, int], str]], order: Sequence[str]
) -> ColumnChart:
    """Stacked columns, one per (label, values by series, tooltip), evenly spaced."""
    tallest = max((sum(values.values()) for _, values, _ in points), default=0)
    peak = axis_peak(tallest)
    slots = max(len(points), MIN_COLUMNS)
    slot = COLUMNS_WIDTH / slots
    first = slots - len(points)
    columns = [
        Column(
            label=label,
            x=(first + index) * slot + slot * COLUMN_GAP / 2,
            width=slot * (1 - COLUMN_GAP),
            segments=stack(values, order, scale=COLUMNS_HEIGHT / peak),
            title=title,
        )
        for index, (label, values, title) in enumerate(points)
    ]
    return ColumnChart(columns=columns, peak=peak)


def share_bar(values: dict[str, int], order: Sequence[str], *, longest: int) -> list[Segment]:
    """A horizontal stacked bar in percent of the width, `longest` filling all of it."""
    return stack(values, order, scale=100 / max(longest, 1))


@dataclass(frozen=True)
class LibraryBar:
    """One library's row in a horizontal chart: its stacked parts, in percent of the width."""

    name: str
    segments: list[Segment]


def media_bars(libraries: Sequence[LibraryCounts]) -> list[LibraryBar]:
    """Videos by type per library, the largest library filling the width."""
    longest = max((row.total for row in libraries), default=0)
    order = [t.value for t in MediaType]
    return [
        LibraryBar(
            row.library.name,
            share_bar({t.value: row.by_type[t.label] for t in MediaType}, order, longest=longest),
        )
        for row in libraries
    ]


def plex_ready_bars(libraries: Sequence[LibraryCounts]) -> list[LibraryBar]:
    """Each library's videos as read by Plex: as named, or possibly misread (full width each)."""
    return [
        LibraryBar(
            row.library.name,
            share_bar(
                {"ready": row.total - row.plex_misread, "misread": row.plex_misread},
                ["ready", "misread"],
                longest=row.total,
            ),
        )
        for row in libraries
        if row.total
    ]


def renames_chart(days: Sequence[RenameDay]) -> ColumnChart:
    return column_chart(
        [
            (
                day.day.isoformat(),
                {"applied": day.applied, "rolled_back": day.rolled_back},
                f"{day.day:%a %d %b}: {day.applied} still applied, {day.rolled_back} rolled back",
            )
            for day in days
        ],
        ["applied", "rolled_back"],
    )


def backups_chart(points: Sequence[BackupPoint]) -> ColumnChart:
    """Backup sizes in bytes, oldest first, coloured by kind."""
    return column_chart(
        [
            (
                point.created_at.isoformat(),
                {point.kind: point.size},
                f"{point.kind_label}, {filesizeformat(point.size)}, "
                f"{timezone.localtime(point.created_at):%Y-%m-%d %H:%M}",
            )
            for point in points
        ],
        [kind.value for kind in Backup.Kind],
    )
