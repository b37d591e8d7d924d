"""Parts reports under /parts/reports/: the lost-sales list (流失销售 / 缺件记录) for the parts lead."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from org import permissions as perm
from org.permissions import requires
from org.selectors import current_station
from parts import selectors
from parts.forms import LostSaleFilterForm
from parts.models import LostSale

PAGE = 50
DEFAULT_DAYS = 30  # the period shown when none is chosen: the last 30 days, today included


@requires(perm.PARTS_VIEW)
def lost_sale_list(request: HttpRequest) -> HttpResponse:
    """Demand the counter could not meet, filtered by period, outcome and part number, with the most-asked parts."""
    station = current_station(request)
    today = timezone.localdate()
    params = {"date_from": (today - timedelta(days=DEFAULT_DAYS - 1)).isoformat(), "date_to": today.isoformat()}
    params.update(request.GET.dict())
    params.pop("page", None)
    form = LostSaleFilterForm(params)
    if form.is_valid():
        rows = selectors.lost_sales(request.user, station=station, **form.cleaned_data)
    else:
        rows = LostSale.objects.none()
    return render(request, "parts/lost_sales.html", {
        "form": form,
        "summary": selectors.lost_sales_summary(rows),
        "page": Paginator(rows, PAGE).get_page(request.GET.get("page")),
        "query": urlencode(params),
        "may_counter": perm.has_action(request.user, perm.PARTS_COUNTER),
    })
