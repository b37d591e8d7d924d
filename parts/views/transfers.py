"""Transfers (调拨) between the warehouses of the station: the list of recent transfers and the transfer form."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.formflow import submit
from org import permissions as perm
from org.permissions import requires
from org.selectors import current_station
from parts import selectors
from parts.forms import TransferForm
from parts.services.stock import stock_transfer

PAGE = 50


def _form(request: HttpRequest, station, data=None) -> TransferForm:
    warehouses = list(selectors.station_warehouses(station=station))
    initial = {"source": warehouses[0] if warehouses else None, "part_number": request.GET.get("part_number", "")}
    if len(warehouses) == 2:  # the usual case: main store and one other; nothing to choose
        initial["target"] = warehouses[1]
    return TransferForm(data, station=station, initial=initial)


def _page(request: HttpRequest, station, form: TransferForm | None, *, status: int = 200) -> HttpResponse:
    query = request.GET.get("q", "")
    moves = selectors.transfers(request.user, station=station, part_number=query)
    warehouses = list(selectors.station_warehouses(station=station))
    page = Paginator(moves, PAGE).get_page(request.GET.get("page"))
    by_code = {w.code: w for w in warehouses}
    for move in page:
        move.target = by_code.get(move.reference)
        move.moved = -move.quantity  # the outgoing move is negative
    return render(request, "parts/transfers.html", {
        "page": page, "form": form, "q": query, "query": urlencode({"q": query}) if query else "",
        "warehouses": warehouses,
    }, status=status)


@requires(perm.PARTS_VIEW)
def transfer_list(request: HttpRequest) -> HttpResponse:
    station = current_station(request)
    form = _form(request, station) if perm.has_action(request.user, perm.PARTS_MANAGE) else None
    return _page(request, station, form)


@requires(perm.PARTS_MANAGE)
def transfer_create(request: HttpRequest) -> HttpResponse:
    """GET: the form (a part number may be given); POST: transfer, or show the errors at their fields (HTTP 400)."""
    station = current_station(request)
    if request.method != "POST":
        return _page(request, station, _form(request, station))
    form = _form(request, station, request.POST)
    moved = []

    def transfer(data: dict) -> None:
        part = selectors.part_by_number(station=station, number=data["part_number"])
        stock_transfer(part=part, source=data["source"], target=data["target"], quantity=data["quantity"],
                       by=request.user, reason=data["reason"])
        moved.append(part)

    if not submit(form, transfer):
        return _page(request, station, form, status=400)
    data = form.cleaned_data
    messages.success(request, _("Transferred %(qty)s × %(part)s from %(source)s to %(target)s.") % {
        "qty": data["quantity"], "part": moved[0].part_number, "source": data["source"], "target": data["target"]})
    return redirect("parts:transfer_list")
