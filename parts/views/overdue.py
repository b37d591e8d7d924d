"""Overdue purchase orders: placed orders whose due date (order day + supplier lead time) has passed and that are not
fully received — the list the parts lead chases suppliers from. Keyset-paged: it does not slow down with history."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core.paging import keyset_page
from org import permissions as perm
from org.permissions import requires
from parts import selectors
from parts.views.common import station_of


@requires(perm.PARTS_VIEW)
def po_overdue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    orders = selectors.overdue_purchase_orders(request.user, station=station_of(request), today=today)
    page = keyset_page(orders, request.GET, key="due_date")
    for order in page:
        order.days_late = (today - order.due_date).days
    return render(request, "parts/po_overdue.html", {"page": page, "today": today})
