"""The overview's charts: their counts, their cache, their geometry and their table alternatives."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from backups.models import Backup
from library.models import FileOperation, Library
from library.tests.factories import batch_make
from plexomatic_site.pages.charts import (
    COLUMNS_HEIGHT,
    COLUMNS_WIDTH,
    axis_peak,
    column_chart,
    share_bar,
)
from plexomatic_site.pages.selectors import backup_points, renames_per_day

TODAY = date(2026, 3, 25)


@pytest.fixture(autouse=True)
def _empty_cache():
    # The test database reuses ids after each test, so a cached count could match a new one.
    cache.clear()
    yield
    cache.clear()


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=timezone.get_current_timezone())


def _applied_on(library: Library, day: date, **statuses: Any) -> None:
    batch = batch_make(library, **statuses)
    batch.operations.update(created_at=_noon(day))


@pytest.mark.parametrize(
    ("tallest", "peak"),
    [(0, 1), (1, 1), (2, 2), (7, 10), (10, 10), (11, 20), (480, 500), (501, 1000)],
)
def test_the_axis_ends_at_a_round_number_at_or_above_the_tallest(tallest, peak):
    assert axis_peak(tallest) == peak


def test_columns_scale_to_the_peak_and_stand_at_the_newest_end():
    chart = column_chart([("a", {"x": 5, "y": 5}, "a"), ("b", {"x": 2}, "b")], ["x", "y"])
    assert chart.peak == 10
    first, second = chart.columns
    assert [(s.series, s.length) for s in first.segments] == [
        ("x", COLUMNS_HEIGHT / 2),
        ("y", COLUMNS_HEIGHT / 2),
    ]
    # Stacked: y sits on top of x; SVG's y axis grows downwards.
    assert [top for _, top in first.rects()] == [COLUMNS_HEIGHT / 2, 0]
    assert second.segments[0].length == COLUMNS_HEIGHT / 5
    # Two columns in a chart with room for more: at the right end, one slot apart.
    assert second.x + second.width < COLUMNS_WIDTH and second.x - first.x == pytest.approx(
        COLUMNS_WIDTH / 24
    )


def test_a_share_bar_leaves_out_empty_series_and_fills_with_the_longest():
    segments = share_bar({"a": 1, "b": 0, "c": 3}, ["a", "b", "c"], longest=4)
    assert [(s.series, s.start, s.length) for s in segments] == [("a", 0, 25), ("c", 25, 75)]


@pytest.mark.django_db
def test_renames_per_day_counts_each_day_of_the_window_by_what_became_of_it():
    library = Library.objects.create(name="TV", root_path="/media/tv")
    _applied_on(library, TODAY, completed=3, rolled_back=1, failed=2, pending=1)
    _applied_on(library, TODAY - timedelta(days=89), completed=2)
    _applied_on(library, TODAY - timedelta(days=90), completed=7)  # before the window
    days = renames_per_day(today=TODAY)
    assert len(days) == 90 and days[0].day == TODAY - timedelta(days=89) and days[-1].day == TODAY
    assert (days[-1].applied, days[-1].rolled_back) == (3, 1)
    assert (days[0].applied, days[0].rolled_back) == (2, 0)
    assert sum(d.applied + d.rolled_back for d in days) == 6


@pytest.mark.django_db
def test_renames_per_day_is_cached_until_an_operation_changes():
    library = Library.objects.create(name="TV", root_path="/media/tv")
    _applied_on(library, TODAY, completed=3)
    assert renames_per_day(today=TODAY)[-1].applied == 3
    with CaptureQueriesContext(connection) as queries:
        again = renames_per_day(today=TODAY)
    assert again[-1].applied == 3 and len(queries) == 3  # the key's indexed reads only
    # A rollback changes the key: the days are counted again.
    FileOperation.objects.filter(pk=FileOperation.objects.first().pk).update(
        status="rolled_back", rolled_back_at=timezone.now()
    )
    assert (
        renames_per_day(today=TODAY)[-1].applied,
        renames_per_day(today=TODAY)[-1].rolled_back,
    ) == (2, 1)
    _applied_on(library, TODAY, completed=1)  # so does a new apply
    assert renames_per_day(today=TODAY)[-1].applied == 3
    # And a pending operation settling (crash recovery), the newest id unchanged.
    FileOperation.objects.filter(pk=FileOperation.objects.first().pk).update(status="pending")
    assert renames_per_day(today=TODAY)[-1].applied == 2
    FileOperation.objects.filter(status="pending").update(status="completed")
    assert renames_per_day(today=TODAY)[-1].applied == 3


@pytest.mark.django_db
def test_backup_points_are_the_newest_oldest_first():
    now = timezone.now()
    for n in range(5):
        Backup.objects.create(
            file_name=f"b{n}.sqlite3",
            kind="manual",
            size=1000 * n,
            created_at=now - timedelta(days=n),
        )
    points = backup_points(limit=3)
    assert [p.size for p in points] == [2000, 1000, 0]
    assert points[0].kind_label == "Manual"


@pytest.mark.django_db
def test_the_overview_draws_its_charts_with_their_tables(logged_in):
    library = Library.objects.create(
        name="TV",
        root_path="/media/tv",
        media_counts={"by_type": {"TV_SHOW": 6, "MOVIE": 2}, "missing": 0, "size": 10},
        last_scan_summary={"plex_check": {"checked": 8, "files": 2, "counts": {}}},
    )
    _applied_on(library, timezone.localdate(), completed=4, rolled_back=1)
    Backup.objects.create(
        file_name="b.sqlite3", kind="scheduled", size=3_000_000, created_at=timezone.now()
    )
    html = logged_in.get(reverse("overview")).content.decode()
    # Videos by type: 6 of 8 TV, 2 movies, in percent of the widest library.
    assert '<rect class="series-TV_SHOW" x="0.00" y="0" width="75.00" height="10">' in html
    assert '<rect class="series-MOVIE" x="75.00" y="0" width="25.00" height="10">' in html
    assert '<td class="num">75 %</td>' in html  # Plex-ready: 6 of 8
    # Renames: today's column holds 4 still applied under 1 rolled back, on a peak of 5.
    assert 'aria-label="Renames applied per day over the last 90 days' in html
    assert (
        f'height="{COLUMNS_HEIGHT * 4 / 5:.2f}"' in html
        and "4 still applied, 1 rolled back" in html
    )
    assert '<td class="num">4</td><td class="num">1</td>' in html
    # Backups: one scheduled column, listed in the table too.
    assert 'class="series-scheduled"' in html and "<td>Scheduled</td>" in html


@pytest.mark.django_db
def test_the_overview_says_when_there_is_nothing_to_draw(logged_in):
    html = logged_in.get(reverse("overview")).content.decode()
    assert "No renames applied in the last 90 days." in html and "<svg" not in html
