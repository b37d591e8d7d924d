"""Transfers between stations of the group (站间调拨): the list of the station's transfers out and in, the form for a
new one, and the ship / receive buttons (each at its own station)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.formflow import act, submit
from core.paging import keyset_page
from org import permissions as perm
from org.models import Station
from org.permissions import has_action, requires
from parts import selectors
from parts.models import StationTransfer, StationTransferLine
from parts.services.station_transfers import (
    station_transfer_create,
    station_transfer_receive,
    station_transfer_ship,
)
from parts.views.common import station_of


class StationTransferForm(forms.Form):
    to_station = forms.ModelChoiceField(label=gettext_lazy("to station"), queryset=Station.objects.none())
    lines = forms.CharField(label=gettext_lazy("parts"), widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=gettext_lazy("One part per line: part number, quantity (for example "
                                                   "“04152-YZZA1 10”)."))
    note = forms.CharField(label=gettext_lazy("note"), max_length=200, required=False)

    def __init__(self, *args, station=None, **kwargs):
        super().__init__(*args, **kwargs)
        # the stations of one dealer group: a handful, not a big table
        self.fields["to_station"].queryset = Station.objects.filter(group_id=station.group_id).exclude(pk=station.pk)


def _page(request: HttpRequest, station, form, *, status: int = 200) -> HttpResponse:
    rows = (StationTransfer.objects.filter(Q(from_station=station) | Q(to_station=station))
            .select_related("from_station", "to_station", "created_by", "shipped_by", "received_by")
            .prefetch_related(Prefetch("lines", queryset=StationTransferLine.objects.select_related("part"))))
    page = keyset_page(rows, request.GET, key="created_at", descending=True)
    return render(request, "parts/station_transfers.html", {
        "page": page, "form": form, "station": station,
        "may_manage": has_action(request.user, perm.PARTS_MANAGE)}, status=status)


@requires(perm.PARTS_VIEW)
def station_transfer_list(request: HttpRequest) -> HttpResponse:
    station = station_of(request)
    if station is None:
        raise Http404
    form = StationTransferForm(station=station) if has_action(request.user, perm.PARTS_MANAGE) else None
    return _page(request, station, form)


@requires(perm.PARTS_MANAGE)
@require_POST
def station_transfer_new(request: HttpRequest) -> HttpResponse:
    station = station_of(request)
    if station is None:
        raise Http404
    form = StationTransferForm(request.POST, station=station)

    def create(data: dict) -> None:
        lines = []
        for raw in data["lines"].splitlines():
            bits = raw.replace(",", " ").split()
            if bits:
                try:
                    part = selectors.part_by_number(station=station, number=bits[0])
                except DomainError as exc:
                    raise DomainError(exc.message, field="lines") from None
                lines.append({"part": part, "quantity": bits[1] if len(bits) > 1 else "1"})
        station_transfer_create(from_station=station, to_station=data["to_station"], lines=lines,
                                by=request.user, note=data["note"])

    if not submit(form, create):
        return _page(request, station, form, status=400)
    messages.success(request, _("Transfer created: ship it when the parts leave."))
    return redirect("parts:station_transfers")


def _scoped(request: HttpRequest, pk: int):
    station = station_of(request)
    transfer = StationTransfer.objects.filter(Q(from_station=station) | Q(to_station=station), pk=pk).first()
    if station is None or transfer is None:
        raise Http404
    return station, transfer


@requires(perm.PARTS_MANAGE)
@require_POST
def station_transfer_ship_view(request: HttpRequest, pk: int) -> HttpResponse:
    station, transfer = _scoped(request, pk)
    act(request, lambda: station_transfer_ship(transfer=transfer, station=station, by=request.user),
        _("Shipped: the stock has left this station."))
    return redirect("parts:station_transfers")


@requires(perm.PARTS_MANAGE)
@require_POST
def station_transfer_receive_view(request: HttpRequest, pk: int) -> HttpResponse:
    station, transfer = _scoped(request, pk)
    act(request, lambda: station_transfer_receive(transfer=transfer, station=station, by=request.user),
        _("Received: the stock is in this station's main warehouse."))
    return redirect("parts:station_transfers")
