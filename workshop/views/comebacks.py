"""Comebacks (返修): orders that came back for the same fault, linked to the earlier order."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.formflow import act, submit
from org import permissions as perm
from org.permissions import requires
from org.selectors import scope, station_or_404
from workshop import selectors
from workshop.forms import ComebackForm
from workshop.models import Comeback
from workshop.services import comebacks
from workshop.views._common import back, form_status, order_or_404


@requires(perm.WORKSHOP_COMEBACK)
def comeback_list(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    since = timezone.now() - timedelta(days=station.comeback_window_days)
    orders = list(comebacks.possible_comebacks(station=station, since=since)[:100])
    candidates = selectors.comeback_candidates_for(orders)  # one query for all of them
    flagged = [{"order": order, "candidates": candidates[order.pk]} for order in orders]
    linked = scope(Comeback.objects.all(), request.user).select_related(
        "order", "earlier_order", "technician", "advisor", "linked_by"
    )[:50]
    return render(request, "workshop/comebacks.html", {"flagged": flagged, "linked": linked})


@requires(perm.WORKSHOP_COMEBACK)
def comeback_link(request: HttpRequest, pk: int) -> HttpResponse:
    order = order_or_404(request, pk)
    existing = Comeback.objects.filter(order=order).select_related("earlier_order").first()
    candidates = selectors.comeback_candidates(order=order)
    first = candidates.first()
    initial = {}
    if first is not None:
        initial = {"earlier_order": first, "technician": comebacks.main_technician(order=first), "advisor": first.advisor}
    form = ComebackForm(request.POST if request.method == "POST" else None, candidates=candidates, station=order.station, initial=initial)
    if request.method == "POST" and submit(form, lambda data: comebacks.comeback_link(order=order, by=request.user, **data)):
        messages.success(request, _("%(number)s is linked as a comeback.") % {"number": order.number})
        return back(request, reverse("workshop:comebacks"))
    return render(
        request, "workshop/comeback_link.html", {"order": order, "form": form, "existing": existing, "candidates": candidates},
        status=form_status(form),
    )


@requires(perm.WORKSHOP_COMEBACK)
@require_POST
def comeback_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    order = order_or_404(request, pk)
    act(request, lambda: comebacks.comeback_dismiss(order=order, by=request.user),
        _("%(number)s is not a comeback.") % {"number": order.number})
    return back(request, "workshop:comebacks")
