"""Pages of a long list whose cost does not grow with the list.

Django's Paginator counts every row to number the pages: 40 ms at a million
operations, and more with every apply. `CappedPaginator` counts at most `cap`
rows (one `COUNT(*)` over a `LIMIT`): below the cap it is Django's, above it the
total reads "more than 10,000" and the pages past the cap still open, each
asking only whether one more row follows it.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class CappedPage(Page):
    paginator: CappedPaginator
    # A slice of the paginator's QuerySet; a view may replace it with the rows it
    # read from that slice (values(), not model instances).
    object_list: Any

    def has_next(self) -> bool:
        if not self.paginator.capped:
            return super().has_next()
        end = self.number * self.paginator.per_page
        return self.paginator.object_list[end : end + 1].exists()


class CappedPaginator(Paginator):
    object_list: QuerySet[Any]

    def __init__(self, object_list: Any, per_page: int, cap: int = COUNT_CAP) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        """The rows, counted up to one past the cap (in no order: sorting every row
        first would cost what the cap saves)."""
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    @property
    def total(self) -> str:
        """The number of rows for a sentence: "1,234", or "more than 10,000"."""
        return f"more than {self.cap:,}" if self.capped else f"{self.count:,}"

    def validate_number(self, number: Any) -> int:
        if not self.capped:
            return super().validate_number(number)
        try:
            value = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if value < 1:
            raise EmptyPage("That page number is less than 1")
        return value

    def page(self, number: Any) -> CappedPage:
        if not self.capped:
            return cast(CappedPage, super().page(number))
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = self.object_list[bottom : bottom + self.per_page]
        if number > 1 and not rows.exists():
            raise EmptyPage("That page contains no results")
        return self._get_page(rows, number, self)

    def get_page(self, number: Any) -> CappedPage:
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            # Past the end: the last page when the count is known, else the first.
            return self.page(1 if self.capped else self.num_pages)

    def _get_page(self, *args: Any, **kwargs: Any) -> CappedPage:
        return CappedPage(*args, **kwargs)
