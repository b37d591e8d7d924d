"""Supplier returns (退换货) and parts sent for repair (配件返修): the list, booking out, closing."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.formflow import submit
from org import permissions as perm
from org.permissions import has_action, requires
from org.selectors import get_scoped, scope
from parts import selectors
from parts.forms import ReturnCloseForm, SupplierReturnForm
from parts.models import SupplierReturn
from parts.services import purchasing
from parts.views.common import PAGE, station_of


@requires(perm.PARTS_VIEW)
def supplier_returns(request: HttpRequest) -> HttpResponse:
    return _list(request)


def _list(request: HttpRequest, *, form: SupplierReturnForm | None = None, failed: int | None = None,
          close_form: ReturnCloseForm | None = None) -> HttpResponse:
    """The returns; a return posted with an error comes back bound (``form``), a close with an error on its row
    (``failed``, ``close_form``), HTTP 400, the error next to the box."""
    station = station_of(request)
    returns = scope(SupplierReturn.objects.filter(station=station), request.user).select_related("part", "supplier")
    page = Paginator(returns, PAGE).get_page(request.GET.get("page"))
    if failed is not None:
        rows = list(page.object_list)
        if failed not in {ret.pk for ret in rows}:  # on another page: show it on top, with its error
            rows.insert(0, returns.get(pk=failed))
        for ret in rows:
            ret.close_form = close_form if ret.pk == failed else None
        page.object_list = rows
    bound = form is not None or close_form is not None
    return render(request, "parts/supplier_returns.html", {
        "page": page, "form": form or SupplierReturnForm(station=station),
        "may_manage": has_action(request.user, perm.PARTS_MANAGE),
    }, status=400 if bound else 200)


@require_POST
@requires(perm.PARTS_MANAGE)
def supplier_return_create(request: HttpRequest) -> HttpResponse:
    station = station_of(request)
    form = SupplierReturnForm(request.POST, station=station)

    def book_out(data: dict) -> None:
        part = selectors.part_by_number(station=station, number=data["part_number"])
        purchasing.supplier_return_create(supplier=data["supplier"], part=part, quantity=data["quantity"],
                                          kind=data["kind"], reason=data["reason"], by=request.user)

    if not submit(form, book_out):
        return _list(request, form=form)
    messages.success(request, _("The parts are booked out to the supplier."))
    return redirect("parts:supplier_returns")


@require_POST
@requires(perm.PARTS_MANAGE)
def supplier_return_close(request: HttpRequest, pk: int) -> HttpResponse:
    ret = get_scoped(request, SupplierReturn.objects.all(), pk=pk)
    form = ReturnCloseForm(request.POST)
    if not submit(form, lambda data: purchasing.supplier_return_close(
            ret=ret, by=request.user, quantity_back=data["quantity_back"] or Decimal("0"))):
        return _list(request, failed=ret.pk, close_form=form)
    messages.success(request, _("Return closed."))
    return redirect("parts:supplier_returns")
