"""Helpers shared by the parts views: the station worked in, a COUNT-free page, decimals from hand-written inputs."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.http import HttpRequest

from org.selectors import current_station

PAGE = 50


MAX_PAGE = 100_000


class Page:
    """One page of rows without COUNT(*): fetch one row more than shown to know whether a next page exists.

    Counting 50,000 balances on every keystroke costs more than the page itself (see bench/parts_stock_list.py).
    """

    def __init__(self, queryset, number) -> None:
        try:
            self.number = max(1, int(number or 1))
        except (TypeError, ValueError):
            self.number = 1
        self.number = min(self.number, MAX_PAGE)  # an OFFSET beyond bigint is a database error
        start = (self.number - 1) * PAGE
        rows = list(queryset[start:start + PAGE + 1])
        self.object_list = rows[:PAGE]
        self.has_next = len(rows) > PAGE
        self.has_previous = self.number > 1
        self.has_other_pages = self.has_next or self.has_previous
        self.next_page_number = self.number + 1
        self.previous_page_number = self.number - 1

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def station_of(request: HttpRequest):
    """The station worked in; None for someone who sees no station (their lists are empty)."""
    return current_station(request)


def decimal_or(value, default: Decimal) -> Decimal:
    """A hand-written number, or ``default`` when it is empty or not a number."""
    try:
        number = Decimal(value) if value not in (None, "") else default
        return number if number.is_finite() else default
    except InvalidOperation:
        return default


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
