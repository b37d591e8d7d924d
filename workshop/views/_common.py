"""What the workshop's views share: the current station (404 without one), the order or line asked for (404 when
the user may not see it), the safe way back, and the status of a form shown again."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from org.selectors import get_scoped
from reception.models import WorkOrder, WorkOrderLine


def back(request: HttpRequest, fallback: str) -> HttpResponse:
    """To ``next`` when it is a page of this site, else to ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


def form_status(form) -> int:
    """400 when the page shows a posted form again (it failed), else 200."""
    return 400 if form.is_bound else 200


def line_or_404(request: HttpRequest, pk: int) -> WorkOrderLine:
    return get_scoped(request, WorkOrderLine.objects.select_related("order", "order__station"), field="order__station", pk=pk)


def order_or_404(request: HttpRequest, pk: int) -> WorkOrder:
    return get_scoped(request, WorkOrder.objects.select_related("station", "vehicle", "customer", "advisor"), pk=pk)
