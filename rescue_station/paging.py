"""One way to page a list: every list page calls ``page_of``.

A station's lists grow for years (200,000 stays in an archive station), and counting every row of
a list on every page costs as much as reading them all. The count stops ``COUNT_CAP`` rows past
the start of the page asked for: a list of fewer rows shows its exact count, a longer one "1000+
records" with a next page while there is one. Reaching page 400 counts 10,000 rows, no more than
the OFFSET of that page reads anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.functional import cached_property

from .query import SortableColumns

COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """A paginator whose count stops ``cap`` rows past the start of page ``number``.

    ``exact`` tells whether ``count`` is the list's length or a lower bound of it; when it is a
    bound, one more row is counted so that the page after the counted ones exists."""

    def __init__(self, object_list: Any, per_page: int, *, number: int, cap: int = COUNT_CAP):
        super().__init__(object_list, per_page)
        self.cap = cap
        self.count_limit = (max(number, 1) - 1) * per_page + cap
        self.exact = True

    @cached_property
    def count(self) -> int:
        objects = self.object_list
        if not hasattr(objects, "order_by"):
            return len(objects)  # a list in memory: its length costs nothing
        # The order does not change how many rows there are; without it the database stops at
        # the limit without sorting.
        counted = objects.order_by()[: self.count_limit + 1].count()
        self.exact = counted <= self.count_limit
        return counted


def page_number(request: HttpRequest) -> int:
    """The page asked for in the query string; 1 when it is missing or not a number."""
    raw = request.GET.get("page", "")
    return int(raw) if raw.isdigit() and len(raw) <= 9 else 1


def page_of(
    request: HttpRequest,
    queryset: Any,
    *,
    per_page: int | None = None,
    columns: SortableColumns | None = None,
    rows: Callable[[Any], list[Any]] | None = None,
) -> Page:
    """The page of ``queryset`` the request asks for (the last one past the end), in the order
    ``?sort=`` asks for among ``columns`` (the page's ``sorting``, read by its headers).
    ``rows``, when given, makes the page's rows what the page shows (e.g. sums rounded to the
    cent): it is given the rows of this page only."""
    number = page_number(request)
    sorting = (columns or SortableColumns()).parse(request)
    queryset = sorting.apply(queryset)
    paginator = CappedPaginator(
        queryset, per_page or settings.PAGE_SIZE, number=number, cap=COUNT_CAP
    )
    page = paginator.get_page(number)
    page.sorting = sorting
    if rows is not None:
        page.object_list = rows(page.object_list)
    return page
