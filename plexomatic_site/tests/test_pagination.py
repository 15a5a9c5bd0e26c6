"""A capped paginator counts at most its cap, and still opens every page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plexomatic_site.models import Job
from plexomatic_site.pagination import CappedPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def jobs():
    Job.objects.bulk_create(Job(kind="scan", lock_key=f"library:{n}") for n in range(25))
    return Job.objects.order_by("pk")


def test_below_the_cap_it_counts_and_numbers_every_page(jobs):
    paginator = CappedPaginator(jobs, 10, cap=100)
    assert (paginator.count, paginator.capped, paginator.total, paginator.num_pages) == (
        25,
        False,
        "25",
        3,
    )
    last = paginator.get_page(99)
    assert (last.number, len(last.object_list), last.has_next()) == (3, 5, False)


def test_above_the_cap_it_counts_no_further_and_still_opens_each_page(jobs):
    paginator = CappedPaginator(jobs, 10, cap=12)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 13
    (count,) = queries.captured_queries
    assert "LIMIT 13" in count["sql"]
    assert paginator.capped and paginator.total == "more than 12"
    pages = [paginator.get_page(n) for n in (1, 2, 3)]
    assert [len(p.object_list) for p in pages] == [10, 10, 5]
    assert [p.has_next() for p in pages] == [True, True, False]
    assert [p.object_list[0].lock_key for p in pages] == ["library:0", "library:10", "library:20"]
    # Past the end, or not a number: the first page (the last is not known).
    assert paginator.get_page(4).number == 1
    assert paginator.get_page("x").number == 1
    assert paginator.get_page(-3).number == 1
