"""The station's warehouses and suppliers: steps of the first-run set-up checklist, and where the manager adds or
changes them later."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.formflow import submit
from org import permissions as perm
from org.permissions import requires
from org.selectors import get_scoped, station_or_404
from parts import selectors
from parts.forms import SupplierForm, WarehouseForm
from parts.models import PartsEvent, Supplier, Warehouse
from parts.services.setup import supplier_create, supplier_update, warehouse_create, warehouse_update


def _status(form) -> int:
    return 400 if form.is_bound else 200


def _events(station, prefix: str):
    return PartsEvent.objects.filter(station=station, kind__startswith=prefix).select_related("by")[:10]


@requires(perm.SETUP)
def warehouse_list(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    form = WarehouseForm(request.POST or None)
    if request.method == "POST" and submit(
            form, lambda data: warehouse_create(station=station, by=request.user, **data)):
        messages.success(request, _("Warehouse %(name)s added.") % {"name": form.result})
        return redirect("parts:warehouses")
    return render(request, "parts/warehouses.html", {
        "warehouses": selectors.station_warehouses(station=station), "form": form, "station": station,
        "events": _events(station, "warehouse."),
    }, status=_status(form))


@requires(perm.SETUP)
def warehouse_edit(request: HttpRequest, pk: int) -> HttpResponse:
    warehouse = get_scoped(request, Warehouse.objects.all(), pk=pk)
    initial = {"code": warehouse.code, "name": warehouse.name, "is_main": warehouse.is_main}
    form = WarehouseForm(request.POST or None, initial=initial)
    if request.method == "POST" and submit(
            form, lambda data: warehouse_update(warehouse=warehouse, by=request.user, **data)):
        messages.success(request, _("Warehouse %(name)s saved.") % {"name": form.result})
        return redirect("parts:warehouses")
    return render(request, "parts/setup_form.html", {
        "form": form, "title": _("Edit the warehouse"), "row": warehouse, "back": "parts:warehouses",
    }, status=_status(form))


@requires(perm.SETUP)
def supplier_list(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    form = SupplierForm(request.POST or None)
    if request.method == "POST" and submit(
            form, lambda data: supplier_create(station=station, by=request.user, **data)):
        messages.success(request, _("Supplier %(name)s added.") % {"name": form.result})
        return redirect("parts:suppliers")
    return render(request, "parts/suppliers.html", {
        "suppliers": Supplier.objects.filter(station=station).order_by("code"), "form": form, "station": station,
        "events": _events(station, "supplier."),
    }, status=_status(form))


@requires(perm.SETUP)
def supplier_edit(request: HttpRequest, pk: int) -> HttpResponse:
    supplier = get_scoped(request, Supplier.objects.all(), pk=pk)
    initial = {"code": supplier.code, "name": supplier.name, "lead_days": supplier.lead_days,
               "is_active": supplier.is_active}
    form = SupplierForm(request.POST or None, initial=initial)
    if request.method == "POST" and submit(
            form, lambda data: supplier_update(supplier=supplier, by=request.user, **data)):
        messages.success(request, _("Supplier %(name)s saved.") % {"name": form.result})
        return redirect("parts:suppliers")
    return render(request, "parts/setup_form.html", {
        "form": form, "title": _("Edit the supplier"), "row": supplier, "back": "parts:suppliers",
    }, status=_status(form))
