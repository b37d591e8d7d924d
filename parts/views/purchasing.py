"""Purchasing: the suggested order (建议订单), purchase orders, placing, cancelling and receiving them."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.formflow import act, submit
from org import permissions as perm
from org.permissions import has_action, requires
from org.selectors import get_scoped, scope
from parts import selectors
from parts.forms import PurchaseOrderForm, ReceiveForm, SuggestedOrderForm
from parts.models import PurchaseOrder, ReceiptException
from parts.services import purchasing
from parts.views.common import PAGE, station_of


@requires(perm.PARTS_MANAGE)
def suggested(request: HttpRequest) -> HttpResponse:
    """建议订单: tick the parts, change the quantities, choose the supplier; an error keeps all of it (HTTP 400)."""
    station = station_of(request)
    suggestions = purchasing.suggested_order(station=station) if station else []
    form = SuggestedOrderForm(request.POST or None, station=station, suggestions=suggestions)
    created = []

    def order(data: dict) -> None:
        created.append(purchasing.purchase_order_create(station=station, supplier=data["supplier"],
                                                        lines=form.order_lines(), by=request.user,
                                                        is_emergency=data["is_emergency"]))

    if request.method == "POST" and submit(form, order):
        messages.success(request, _("Purchase order %(number)s created.") % {"number": created[0].number})
        return redirect("parts:po_detail", pk=created[0].pk)
    chosen = set(form["part"].value() or []) if form.is_bound else None
    for s in suggestions:
        s.qty_field = form[f"qty_{s.part.pk}"]
        s.chosen = chosen is None or str(s.part.pk) in chosen
    return render(request, "parts/suggested.html", {"suggestions": suggestions, "form": form},
                  status=400 if form.is_bound else 200)


@requires(perm.PARTS_VIEW)
def po_list(request: HttpRequest) -> HttpResponse:
    station = station_of(request)
    orders = scope(PurchaseOrder.objects.filter(station=station), request.user).select_related("supplier")
    status = request.GET.get("status", "")
    if status:
        orders = orders.filter(status=status)
    page = Paginator(orders, PAGE).get_page(request.GET.get("page"))
    return render(request, "parts/po_list.html", {
        "page": page, "status": status, "statuses": PurchaseOrder.Status.choices,
        "may_manage": has_action(request.user, perm.PARTS_MANAGE),
    })


@requires(perm.PARTS_MANAGE)
def po_create(request: HttpRequest) -> HttpResponse:
    station = station_of(request)
    form = PurchaseOrderForm(request.POST or None, station=station)
    created = []

    def order(data: dict) -> None:
        try:
            lines = []
            for raw in data["lines"].splitlines():
                bits = raw.replace(",", " ").split()
                if not bits:
                    continue
                qty = bits[1] if len(bits) > 1 else "1"  # checked by the service (NaN, Infinity, caps)
                lines.append({"part": selectors.part_by_number(station=station, number=bits[0]), "quantity": qty})
            created.append(purchasing.purchase_order_create(station=station, supplier=data["supplier"], lines=lines,
                                                            by=request.user, is_emergency=data["is_emergency"]))
        except DomainError as exc:
            if exc.field != "supplier":
                exc.field = "lines"  # a part number or a quantity of the typed lines
            raise

    if request.method == "POST" and submit(form, order):
        messages.success(request, _("Purchase order %(number)s created.") % {"number": created[0].number})
        return redirect("parts:po_detail", pk=created[0].pk)
    return render(request, "parts/po_form.html", {"form": form}, status=400 if form.is_bound else 200)


@requires(perm.PARTS_VIEW)
def po_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_scoped(request, PurchaseOrder.objects.select_related("supplier", "created_by"), pk=pk)
    return _detail(request, order, ReceiveForm(order=order))


def _detail(request: HttpRequest, order: PurchaseOrder, form: ReceiveForm) -> HttpResponse:
    """The order's page; a goods receipt posted with an error comes back bound (HTTP 400), the error on its line."""
    lines = list(order.lines.select_related("part", "for_line__order"))
    for line in lines:
        line.receive = {name: form[f"{name}_{line.pk}"] for name in ("qty", "cost", "exc_kind", "exc_qty", "exc_note")}
    return render(request, "parts/po_detail.html", {
        "order": order, "lines": lines, "form": form,
        "receipts": order.receipts.prefetch_related("lines__po_line__part", "exceptions__po_line__part"),
        "may_manage": has_action(request.user, perm.PARTS_MANAGE), "exception_kinds": ReceiptException.Kind.choices,
    }, status=400 if form.is_bound else 200)


@require_POST
@requires(perm.PARTS_MANAGE)
def po_place(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_scoped(request, PurchaseOrder.objects.all(), pk=pk)
    act(request, lambda: purchasing.purchase_order_place(order=order, by=request.user),
        _("Order placed with the supplier."))
    return redirect("parts:po_detail", pk=order.pk)


@require_POST
@requires(perm.PARTS_MANAGE)
def po_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_scoped(request, PurchaseOrder.objects.all(), pk=pk)
    act(request, lambda: purchasing.purchase_order_cancel(order=order, by=request.user), _("Order cancelled."))
    return redirect("parts:po_detail", pk=order.pk)


@require_POST
@requires(perm.PARTS_MANAGE)
def po_receive(request: HttpRequest, pk: int) -> HttpResponse:
    """Receive against the order: qty_<line>, cost_<line>, and optionally exc_kind_<line> / exc_qty_<line>."""
    order = get_scoped(request, PurchaseOrder.objects.select_related("supplier", "created_by"), pk=pk)
    form = ReceiveForm(request.POST, order=order)
    if not submit(form, lambda data: purchasing.purchase_order_receive(order=order, by=request.user,
                                                                       **form.receipt())):
        return _detail(request, order, form)
    messages.success(request, _("Goods receipt posted."))
    return redirect("parts:po_detail", pk=order.pk)
