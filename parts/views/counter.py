"""The parts counter: open requests, the pick list of a work order, issue, return, special order, lost sales."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.formflow import act, submit
from core.registry import registry
from core.rows import pk_link, quantity_formatter
from org import permissions as perm
from org.permissions import has_action, requires
from org.selectors import get_scoped, scope
from parts import selectors
from parts.forms import LostSaleForm, QuantityForm, SpecialOrderForm
from parts.models import PartsRequest, StockMove, Supplier
from parts.services import counter, purchasing, requests
from parts.services.counter import ISSUABLE_STATUSES
from parts.services.stock import quantity_text
from parts.views.common import station_of


@requires(perm.PARTS_VIEW)
def index(request: HttpRequest) -> HttpResponse:
    return _counter(request)


PICK_ROWS = 50  # pick-list lines on the counter page, longest waiting first; "all" shows up to PICK_ALL
PICK_ALL = 200


def _counter(request: HttpRequest, *, lost_form: LostSaleForm | None = None) -> HttpResponse:
    """The counter: open parts requests from the workshop and the part lines still to be issued.

    A lost sale posted with an error comes back bound (``lost_form``, HTTP 400), its error next to the field.
    """
    station = station_of(request)
    shown = PICK_ALL if request.GET.get("all") else PICK_ROWS
    issued = (
        StockMove.objects.filter(line=OuterRef("pk"), kind__in=[StockMove.Kind.ISSUE, StockMove.Kind.RETURN])
        .values("line").annotate(s=Sum("quantity")).values("s")
    )
    money = DecimalField(max_digits=12, decimal_places=2)
    lines = _order_lines()
    rows = list(
        scope(lines.filter(order__station=station), request.user, "order__station")
        .filter(kind="part", part__isnull=False, order__status__in=ISSUABLE_STATUSES)
        .exclude(approval="declined")
        .annotate(issued_qty=-Coalesce(Subquery(issued, output_field=money), Value(Decimal("0")), output_field=money))
        .filter(issued_qty__lt=F("quantity"))
        .order_by("order__opened_at", "position")
        .values("order_id", "order__number", "order__status", "part__part_number", "part__name_zh", "quantity",
                "issued_qty")[:shown + 1]
    )
    return render(request, "parts/index.html", {
        "requests": selectors.open_requests(request.user, station=station),
        "pending": _pick_rows(rows[:shown], lines.model), "pending_more": len(rows) > shown and shown < PICK_ALL,
        "lost_form": lost_form or LostSaleForm(),
        "may_counter": has_action(request.user, perm.PARTS_COUNTER),
    }, status=400 if lost_form is not None else 200)


def _pick_rows(rows: list[dict], line_model) -> list[dict]:
    """The pick list's rows as the template prints them: the order's link and status label, quantities as text.

    One reverse for all rows, the status labels read once, each quantity
    formatted once: per-row template work is most of this page's CPU.
    """
    statuses = dict(line_model._meta.get_field("order").related_model._meta.get_field("status").flatchoices)
    link, quantity = pk_link("parts:order_pick"), quantity_formatter()
    return [{
        "url": link(row["order_id"]), "number": row["order__number"],
        "status": statuses.get(row["order__status"], row["order__status"]),
        "part_number": row["part__part_number"], "name_zh": row["part__name_zh"],
        "quantity": quantity(row["quantity"]), "issued": quantity(row["issued_qty"]),
    } for row in rows]


@requires(perm.PARTS_VIEW)
def order_pick(request: HttpRequest, pk: int) -> HttpResponse:
    orders = registry.call("reception.work_orders").select_related("customer", "vehicle")
    return _pick(request, get_scoped(request, orders, pk=pk))


def _pick(request: HttpRequest, order, *, failed_line: int | None = None, **bound) -> HttpResponse:
    """The pick list of one work order: its part lines with reserved, issued and outstanding quantities.

    A form posted for one line with an error comes back bound on that line (``issue_form``, ``return_form`` or
    ``special_form``, HTTP 400): what was typed stays in the boxes and the error stands under them.
    """
    lines = selectors.order_part_lines(order=order)
    for line in lines:
        for name, form in bound.items():
            setattr(line, name, form if line.pk == failed_line else None)
    return render(request, "parts/order_pick.html", {
        "order": order, "lines": lines,
        "may_counter": has_action(request.user, perm.PARTS_COUNTER),
        "may_manage": has_action(request.user, perm.PARTS_MANAGE),
        "suppliers": Supplier.objects.filter(station_id=order.station_id),
        "may_issue_all": order.status in ISSUABLE_STATUSES and any(line.outstanding_qty > 0 for line in lines),
    }, status=400 if bound else 200)


def _order_lines():
    """Work-order lines, asked of the order app through the registry (parts sits below it)."""
    return registry.call("reception.work_order_lines")


def _line(request: HttpRequest, pk: int):
    return get_scoped(request, _order_lines().select_related("order", "part"), field="order__station", pk=pk)


@require_POST
@requires(perm.PARTS_COUNTER)
def line_issue(request: HttpRequest, pk: int) -> HttpResponse:
    line = _line(request, pk)
    form = QuantityForm(request.POST)
    if not submit(form, lambda data: counter.parts_issue(line=line, quantity=data["quantity"], by=request.user)):
        return _pick(request, line.order, failed_line=line.pk, issue_form=form)
    messages.success(request, _("Issued %(qty)s × %(part)s.") % {"qty": form.cleaned_data["quantity"],
                                                              "part": line.part.part_number})
    return redirect("parts:order_pick", pk=line.order_id)


@require_POST
@requires(perm.PARTS_COUNTER)
def order_issue_all(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue every line of the order what it still needs, as far as free stock goes; says which lines stay short."""
    orders = registry.call("reception.work_orders").select_related("station")
    order = get_scoped(request, orders, pk=pk)
    try:
        moves, short = counter.parts_issue_all(order=order, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("parts:order_pick", pk=order.pk)
    if moves:
        messages.success(request, _("Issued %(count)s lines.") % {"count": len(moves)})
    elif not short:
        messages.info(request, _("Nothing left to issue."))
    for line, missing in short:
        messages.warning(request, _("%(part)s: %(missing)s short, not enough free stock.")
                         % {"part": line.part.part_number, "missing": quantity_text(missing)})
    return redirect("parts:order_pick", pk=order.pk)


@require_POST
@requires(perm.PARTS_COUNTER)
def line_return(request: HttpRequest, pk: int) -> HttpResponse:
    line = _line(request, pk)
    form = QuantityForm(request.POST)
    if not submit(form, lambda data: counter.parts_return(line=line, quantity=data["quantity"], by=request.user,
                                                          reason=data["reason"])):
        return _pick(request, line.order, failed_line=line.pk, return_form=form)
    messages.success(request, _("Returned %(qty)s × %(part)s.") % {"qty": form.cleaned_data["quantity"],
                                                                "part": line.part.part_number})
    return redirect("parts:order_pick", pk=line.order_id)


@require_POST
@requires(perm.PARTS_MANAGE)
def line_special_order(request: HttpRequest, pk: int) -> HttpResponse:
    """特殊订货: order the part for this line; on receipt it is put aside for the line."""
    line = _line(request, pk)
    form = SpecialOrderForm(request.POST, station=line.order.station)
    created = []

    def order(data: dict) -> None:
        if line.part is None:
            raise DomainError(_("Only part lines can be ordered."))
        created.append(purchasing.purchase_order_create(
            station=line.order.station, supplier=data["supplier"], by=request.user,
            lines=[{"part": line.part, "quantity": data["quantity"], "for_line": line}],
            is_emergency=data["is_emergency"], note=line.order.number,
        ))

    if not submit(form, order):
        return _pick(request, line.order, failed_line=line.pk, special_form=form)
    messages.success(request, _("Special order %(number)s created for %(order)s.")
                     % {"number": created[0].number, "order": line.order.number})
    return redirect("parts:order_pick", pk=line.order_id)


@require_POST
@requires(perm.PARTS_COUNTER)
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_scoped(request, PartsRequest.objects.all(), pk=pk)
    act(request, lambda: requests.parts_request_cancel(request=req, by=request.user), _("Request cancelled."))
    return redirect("parts:index")


@require_POST
@requires(perm.PARTS_COUNTER)
def lost_sale(request: HttpRequest) -> HttpResponse:
    station = station_of(request)
    form = LostSaleForm(request.POST)

    def record(data: dict) -> None:
        part = selectors.part_by_number(station=station, number=data["part_number"])
        counter.lost_sale_record(part=part, quantity=data["quantity"], by=request.user, outcome=data["outcome"],
                                 note=data["note"])

    if not submit(form, record):
        return _counter(request, lost_form=form)
    messages.success(request, _("Recorded."))
    return redirect("parts:index")


@requires(perm.PARTS_VIEW)
def part_search(request: HttpRequest) -> HttpResponse:
    """htmx: parts matching a number or name, with their available stock (supersession followed)."""
    station = station_of(request)
    parts = list(selectors.part_search(station=station, query=request.GET.get("q", ""))[:20])
    available = selectors.available_quantities(part.pk for part in parts)
    for part in parts:
        part.available = available[part.pk]
    return render(request, "parts/_search_results.html", {"parts": parts})
