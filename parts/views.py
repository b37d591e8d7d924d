"""Parts pages under /parts/. Thin: check (decorator), validate, call one service, redirect with a message."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales import permissions as perm
from aftersales.exceptions import DomainError
from aftersales.permissions import has_action, requires
from aftersales.selectors import current_station, get_scoped, scope
from parts import selectors
from parts.filters import StockFilter
from parts.forms import (
    ImportForm,
    LocationForm,
    LostSaleForm,
    PurchaseOrderForm,
    QuantityForm,
    ScrapForm,
    StocktakeForm,
    SupplierChoiceForm,
    SupplierReturnForm,
)
from parts.models import (
    Part,
    PartsRequest,
    PurchaseOrder,
    ScrapRequest,
    StockBalance,
    StockMove,
    Stocktake,
    Supplier,
    SupplierReturn,
)
from parts.services import catalogue, counter, purchasing, requests, scrap, stocktake
from parts.services.counter import ISSUABLE_STATUSES
from parts.services.stock import warehouse_main

PAGE = 50


class Page:
    """One page of rows without COUNT(*): fetch one row more than shown to know whether a next page exists.

    Counting 50,000 balances on every keystroke costs more than the page itself (see bench/parts_stock_list.py).
    """

    def __init__(self, queryset, number) -> None:
        try:
            self.number = max(1, int(number or 1))
        except (TypeError, ValueError):
            self.number = 1
        start = (self.number - 1) * PAGE
        rows = list(queryset[start:start + PAGE + 1])
        self.object_list = rows[:PAGE]
        self.has_next = len(rows) > PAGE
        self.has_previous = self.number > 1
        self.has_other_pages = self.has_next or self.has_previous
        self.next_page_number = self.number + 1
        self.previous_page_number = self.number - 1

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def _station(request: HttpRequest):
    """The station worked in; None for someone who sees no station (their lists are empty)."""
    return current_station(request)


def _require_station(request: HttpRequest):
    station = current_station(request)
    if station is None:
        raise DomainError(_("Choose a station first."))
    return station


def _part_by_number(station, number: str) -> Part:
    part = Part.objects.filter(station=station, part_number__iexact=number.strip()).first()
    if part is None:
        raise DomainError(_("No part with number %(number)s.") % {"number": number}, field="part_number")
    return part


def _fail(request: HttpRequest, form, exc: DomainError) -> None:
    if form is not None and exc.field and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        messages.error(request, exc.message)


# --- the counter ---------------------------------------------------------------------------------------------
@requires(perm.PARTS_VIEW)
def index(request: HttpRequest) -> HttpResponse:
    """The counter: open parts requests from the workshop and the part lines still to be issued."""
    from reception.models import WorkOrderLine

    station = _station(request)
    issued = (
        StockMove.objects.filter(line=OuterRef("pk"), kind__in=[StockMove.Kind.ISSUE, StockMove.Kind.RETURN])
        .values("line").annotate(s=Sum("quantity")).values("s")
    )
    money = DecimalField(max_digits=12, decimal_places=2)
    pending = (
        scope(WorkOrderLine.objects.filter(order__station=station), request.user, "order__station")
        .filter(kind="part", part__isnull=False, order__status__in=ISSUABLE_STATUSES)
        .exclude(approval="declined")
        .annotate(issued_qty=-Coalesce(Subquery(issued, output_field=money), Value(Decimal("0")), output_field=money))
        .filter(issued_qty__lt=F("quantity"))
        .select_related("order", "part")
        .order_by("order__opened_at", "position")[:200]
    )
    return render(request, "parts/index.html", {
        "requests": selectors.open_requests(request.user, station=station),
        "pending": pending,
        "lost_form": LostSaleForm(),
        "may_counter": has_action(request.user, perm.PARTS_COUNTER),
    })


@requires(perm.PARTS_VIEW)
def order_pick(request: HttpRequest, pk: int) -> HttpResponse:
    """The pick list of one work order: its part lines with reserved, issued and outstanding quantities."""
    from reception.models import WorkOrder

    order = get_scoped(request, WorkOrder.objects.select_related("customer", "vehicle"), pk=pk)
    return render(request, "parts/order_pick.html", {
        "order": order, "lines": selectors.order_part_lines(order=order),
        "may_counter": has_action(request.user, perm.PARTS_COUNTER),
        "may_manage": has_action(request.user, perm.PARTS_MANAGE),
        "suppliers": Supplier.objects.filter(station_id=order.station_id),
    })


def _line(request: HttpRequest, pk: int):
    from reception.models import WorkOrderLine

    return get_scoped(request, WorkOrderLine.objects.select_related("order", "part"), field="order__station", pk=pk)


@require_POST
@requires(perm.PARTS_COUNTER)
def line_issue(request: HttpRequest, pk: int) -> HttpResponse:
    line = _line(request, pk)
    form = QuantityForm(request.POST)
    if form.is_valid():
        try:
            counter.parts_issue(line=line, quantity=form.cleaned_data["quantity"], by=request.user)
            messages.success(request, _("Issued %(qty)s × %(part)s.") % {"qty": form.cleaned_data["quantity"],
                                                                      "part": line.part.part_number})
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Enter a quantity."))
    return redirect("parts:order_pick", pk=line.order_id)


@require_POST
@requires(perm.PARTS_COUNTER)
def line_return(request: HttpRequest, pk: int) -> HttpResponse:
    line = _line(request, pk)
    form = QuantityForm(request.POST)
    if form.is_valid():
        try:
            counter.parts_return(line=line, quantity=form.cleaned_data["quantity"], by=request.user,
                                 reason=form.cleaned_data["reason"])
            messages.success(request, _("Returned %(qty)s × %(part)s.") % {"qty": form.cleaned_data["quantity"],
                                                                        "part": line.part.part_number})
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Enter a quantity."))
    return redirect("parts:order_pick", pk=line.order_id)


@require_POST
@requires(perm.PARTS_MANAGE)
def line_special_order(request: HttpRequest, pk: int) -> HttpResponse:
    """特殊订货: order the part for this line; on receipt it is put aside for the line."""
    line = _line(request, pk)
    supplier = Supplier.objects.filter(station_id=line.order.station_id, pk=request.POST.get("supplier") or 0).first()
    quantity = _decimal(request.POST.get("quantity"), Decimal("0"))
    try:
        if supplier is None:
            raise DomainError(_("Choose a supplier."))
        if line.part is None:
            raise DomainError(_("Only part lines can be ordered."))
        order = purchasing.purchase_order_create(
            station=line.order.station, supplier=supplier, by=request.user,
            lines=[{"part": line.part, "quantity": quantity, "for_line": line}],
            is_emergency=bool(request.POST.get("is_emergency")), note=line.order.number,
        )
        messages.success(request, _("Special order %(number)s created for %(order)s.")
                         % {"number": order.number, "order": line.order.number})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("parts:order_pick", pk=line.order_id)


@require_POST
@requires(perm.PARTS_COUNTER)
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_scoped(request, PartsRequest.objects.all(), pk=pk)
    try:
        requests.parts_request_cancel(request=req, by=request.user)
        messages.success(request, _("Request cancelled."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("parts:index")


@require_POST
@requires(perm.PARTS_COUNTER)
def lost_sale(request: HttpRequest) -> HttpResponse:
    station = _station(request)
    form = LostSaleForm(request.POST)
    if form.is_valid():
        try:
            part = _part_by_number(station, form.cleaned_data["part_number"])
            counter.lost_sale_record(part=part, quantity=form.cleaned_data["quantity"], by=request.user,
                                     outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"])
            messages.success(request, _("Recorded."))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Check the lost sale form."))
    return redirect("parts:index")


# --- stock -----------------------------------------------------------------------------------------------------
@requires(perm.PARTS_VIEW)
def stock_list(request: HttpRequest) -> HttpResponse:
    station = _station(request)
    base = selectors.balances_for(request.user, station=station).order_by("part__part_number", "warehouse_id")
    filterset = StockFilter(request.GET, queryset=base)
    page = Page(filterset.qs, request.GET.get("page"))
    template = "parts/_stock_rows.html" if request.htmx and not request.htmx.boosted else "parts/stock_list.html"
    return render(request, template, {"filter": filterset, "page": page, "query": _query_without_page(request)})


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@requires(perm.PARTS_VIEW)
def low_stock(request: HttpRequest) -> HttpResponse:
    station = _station(request)
    balances = selectors.low_stock(request.user, station=station)
    page = Page(balances, request.GET.get("page"))
    return render(request, "parts/low_stock.html", {"page": page})


@requires(perm.PARTS_VIEW)
def part_detail(request: HttpRequest, pk: int) -> HttpResponse:
    part = get_scoped(request, Part.objects.select_related("superseded_by"), pk=pk)
    moves = Page(selectors.moves_of(part=part), request.GET.get("page"))
    balances = StockBalance.objects.filter(part=part).select_related("warehouse")
    main = balances.filter(warehouse__is_main=True).first()
    location_form = LocationForm(initial={"bin_location": main.bin_location, "min_qty": main.min_qty,
                                          "max_qty": main.max_qty} if main else None)
    prices = [(label, catalogue.sale_price(part=part, payer=value)) for value, label in _payers()]
    return render(request, "parts/part_detail.html", {
        "part": part, "moves": moves, "balances": balances, "prices": prices,
        "current": selectors.current_part(part), "supersedes": part.supersedes.all(),
        "location_form": location_form, "may_manage": has_action(request.user, perm.PARTS_MANAGE),
        "available": selectors.available_quantity(part=part),
    })


def _payers():
    from reception.models import Payer

    return Payer.choices


@require_POST
@requires(perm.PARTS_MANAGE)
def part_location(request: HttpRequest, pk: int) -> HttpResponse:
    part = get_scoped(request, Part.objects.all(), pk=pk)
    form = LocationForm(request.POST)
    if form.is_valid():
        try:
            catalogue.part_set_location(part=part, warehouse=warehouse_main(station=part.station), by=request.user,
                                        **form.cleaned_data)
            messages.success(request, _("Bin and min/max saved."))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Check the bin and min/max."))
    return redirect("parts:part_detail", pk=part.pk)


@requires(perm.PARTS_MANAGE)
def part_import(request: HttpRequest) -> HttpResponse:
    station = _station(request)
    result = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030", errors="replace")
        result = catalogue.parts_import_csv(station=station, text=text, by=request.user) if station else None
        if result is None:
            messages.error(request, _("Choose a station first."))
        elif result.ok:
            messages.success(request, _("Imported: %(created)s new, %(updated)s updated.")
                             % {"created": result.created, "updated": result.updated})
            return redirect("parts:stock_list")
        else:
            messages.error(request, _("Nothing was imported: fix the rows below and upload again."))
    return render(request, "parts/import.html", {"form": form, "result": result})


# --- purchasing ------------------------------------------------------------------------------------------------
@requires(perm.PARTS_MANAGE)
def suggested(request: HttpRequest) -> HttpResponse:
    station = _station(request)
    suggestions = purchasing.suggested_order(station=station) if station else []
    form = SupplierChoiceForm(request.POST or None, station=station)
    if request.method == "POST" and form.is_valid():
        chosen = set(request.POST.getlist("part"))
        lines = []
        for s in suggestions:
            if str(s.part.pk) in chosen:
                qty = _decimal(request.POST.get(f"qty_{s.part.pk}"), s.quantity)
                if qty > 0:
                    lines.append({"part": s.part, "quantity": qty})
        try:
            order = purchasing.purchase_order_create(station=station, supplier=form.cleaned_data["supplier"],
                                                     lines=lines, by=request.user,
                                                     is_emergency=form.cleaned_data["is_emergency"])
            messages.success(request, _("Purchase order %(number)s created.") % {"number": order.number})
            return redirect("parts:po_detail", pk=order.pk)
        except DomainError as exc:
            _fail(request, form, exc)
    return render(request, "parts/suggested.html", {"suggestions": suggestions, "form": form})


def _decimal(value, default: Decimal) -> Decimal:
    try:
        return Decimal(value) if value not in (None, "") else default
    except InvalidOperation:
        return default


@requires(perm.PARTS_VIEW)
def po_list(request: HttpRequest) -> HttpResponse:
    station = _station(request)
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
    station = _station(request)
    form = PurchaseOrderForm(request.POST or None, station=station)
    if request.method == "POST" and form.is_valid():
        try:
            lines = []
            for raw in form.cleaned_data["lines"].splitlines():
                bits = raw.replace(",", " ").split()
                if not bits:
                    continue
                qty = _decimal(bits[1] if len(bits) > 1 else "1", Decimal("0"))
                lines.append({"part": _part_by_number(station, bits[0]), "quantity": qty})
            order = purchasing.purchase_order_create(station=station, supplier=form.cleaned_data["supplier"],
                                                     lines=lines, by=request.user,
                                                     is_emergency=form.cleaned_data["is_emergency"])
            messages.success(request, _("Purchase order %(number)s created.") % {"number": order.number})
            return redirect("parts:po_detail", pk=order.pk)
        except DomainError as exc:
            form.add_error("lines", exc.message)
    return render(request, "parts/po_form.html", {"form": form})


@requires(perm.PARTS_VIEW)
def po_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_scoped(request, PurchaseOrder.objects.select_related("supplier", "created_by"), pk=pk)
    return render(request, "parts/po_detail.html", {
        "order": order, "lines": order.lines.select_related("part", "for_line__order"),
        "receipts": order.receipts.prefetch_related("lines__po_line__part", "exceptions__po_line__part"),
        "may_manage": has_action(request.user, perm.PARTS_MANAGE), "exception_kinds": _exception_kinds(),
    })


def _exception_kinds():
    from parts.models import ReceiptException

    return ReceiptException.Kind.choices


@require_POST
@requires(perm.PARTS_MANAGE)
def po_place(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_scoped(request, PurchaseOrder.objects.all(), pk=pk)
    try:
        purchasing.purchase_order_place(order=order, by=request.user)
        messages.success(request, _("Order placed with the supplier."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("parts:po_detail", pk=order.pk)


@require_POST
@requires(perm.PARTS_MANAGE)
def po_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_scoped(request, PurchaseOrder.objects.all(), pk=pk)
    try:
        purchasing.purchase_order_cancel(order=order, by=request.user)
        messages.success(request, _("Order cancelled."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("parts:po_detail", pk=order.pk)


@require_POST
@requires(perm.PARTS_MANAGE)
def po_receive(request: HttpRequest, pk: int) -> HttpResponse:
    """Receive against the order: qty_<line>, cost_<line>, and optionally exc_kind_<line> / exc_qty_<line>."""
    order = get_scoped(request, PurchaseOrder.objects.all(), pk=pk)
    quantities, costs, exceptions = {}, {}, []
    for line in order.lines.all():
        quantities[line.pk] = _decimal(request.POST.get(f"qty_{line.pk}"), Decimal("0"))
        costs[line.pk] = _decimal(request.POST.get(f"cost_{line.pk}"), line.unit_cost)
        kind = request.POST.get(f"exc_kind_{line.pk}", "")
        if kind:
            exceptions.append({"po_line": line.pk, "kind": kind,
                               "quantity": _decimal(request.POST.get(f"exc_qty_{line.pk}"), Decimal("0")),
                               "note": request.POST.get(f"exc_note_{line.pk}", "")})
    try:
        purchasing.purchase_order_receive(order=order, by=request.user, quantities=quantities, unit_costs=costs,
                                          exceptions=exceptions, delivery_note=request.POST.get("delivery_note", ""))
        messages.success(request, _("Goods receipt posted."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("parts:po_detail", pk=order.pk)


@requires(perm.PARTS_VIEW)
def supplier_returns(request: HttpRequest) -> HttpResponse:
    station = _station(request)
    returns = scope(SupplierReturn.objects.filter(station=station), request.user).select_related("part", "supplier")
    page = Paginator(returns, PAGE).get_page(request.GET.get("page"))
    return render(request, "parts/supplier_returns.html", {
        "page": page, "form": SupplierReturnForm(station=station),
        "may_manage": has_action(request.user, perm.PARTS_MANAGE),
    })


@require_POST
@requires(perm.PARTS_MANAGE)
def supplier_return_create(request: HttpRequest) -> HttpResponse:
    station = _station(request)
    form = SupplierReturnForm(request.POST, station=station)
    if form.is_valid():
        try:
            part = _part_by_number(station, form.cleaned_data["part_number"])
            purchasing.supplier_return_create(
                supplier=form.cleaned_data["supplier"], part=part, quantity=form.cleaned_data["quantity"],
                kind=form.cleaned_data["kind"], reason=form.cleaned_data["reason"], by=request.user,
            )
            messages.success(request, _("The parts are booked out to the supplier."))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Check the return form."))
    return redirect("parts:supplier_returns")


@require_POST
@requires(perm.PARTS_MANAGE)
def supplier_return_close(request: HttpRequest, pk: int) -> HttpResponse:
    ret = get_scoped(request, SupplierReturn.objects.all(), pk=pk)
    try:
        purchasing.supplier_return_close(ret=ret, by=request.user,
                                         quantity_back=_decimal(request.POST.get("quantity_back"), Decimal("0")))
        messages.success(request, _("Return closed."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("parts:supplier_returns")


# --- stocktake -------------------------------------------------------------------------------------------------
@requires(perm.PARTS_VIEW)
def stocktake_list(request: HttpRequest) -> HttpResponse:
    station = _station(request)
    takes = scope(Stocktake.objects.filter(station=station), request.user).select_related("created_by", "approved_by")
    page = Paginator(takes, PAGE).get_page(request.GET.get("page"))
    return render(request, "parts/stocktake_list.html", {
        "page": page, "form": StocktakeForm(), "may_count": has_action(request.user, perm.PARTS_STOCKTAKE),
    })


@require_POST
@requires(perm.PARTS_STOCKTAKE)
def stocktake_create(request: HttpRequest) -> HttpResponse:
    form = StocktakeForm(request.POST)
    if form.is_valid():
        try:
            station = _require_station(request)
            take = stocktake.stocktake_create(warehouse=warehouse_main(station=station), by=request.user,
                                              bin_prefix=form.cleaned_data["bin_prefix"],
                                              blind=form.cleaned_data["blind"])
            messages.success(request, _("Count sheet %(number)s opened.") % {"number": take.number})
            return redirect("parts:stocktake_detail", pk=take.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("parts:stocktake_list")


@requires(perm.PARTS_VIEW)
def stocktake_detail(request: HttpRequest, pk: int) -> HttpResponse:
    take = get_scoped(request, Stocktake.objects.select_related("warehouse"), pk=pk)
    counting = take.status == Stocktake.Status.COUNTING
    return render(request, "parts/stocktake_detail.html", {
        "take": take, "lines": take.lines.select_related("part"),
        "show_book": not (counting and take.is_blind),
        "report": None if counting else stocktake.variance_report(stocktake=take),
        "may_count": has_action(request.user, perm.PARTS_STOCKTAKE),
        "may_approve": has_action(request.user, perm.PARTS_APPROVE),
    })


@require_POST
@requires(perm.PARTS_STOCKTAKE)
def stocktake_count(request: HttpRequest, pk: int) -> HttpResponse:
    take = get_scoped(request, Stocktake.objects.all(), pk=pk)
    counts = {line.pk: request.POST.get(f"count_{line.pk}", "") for line in take.lines.all()}
    try:
        counts = {k: (Decimal(v) if v.strip() else None) for k, v in counts.items()}
        stocktake.stocktake_count(stocktake=take, counts=counts, by=request.user)
        if request.POST.get("submit"):
            stocktake.stocktake_submit(stocktake=take, by=request.user)
            messages.success(request, _("Count submitted for approval."))
        else:
            messages.success(request, _("Counts saved."))
    except InvalidOperation:
        messages.error(request, _("Counts must be numbers."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("parts:stocktake_detail", pk=take.pk)


@require_POST
@requires(perm.PARTS_APPROVE)
def stocktake_approve(request: HttpRequest, pk: int) -> HttpResponse:
    take = get_scoped(request, Stocktake.objects.all(), pk=pk)
    try:
        posted = stocktake.stocktake_approve(stocktake=take, by=request.user)
        messages.success(request, _("Approved: %(count)s adjustments posted.") % {"count": posted})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("parts:stocktake_detail", pk=take.pk)


# --- scrap -----------------------------------------------------------------------------------------------------
@requires(perm.PARTS_VIEW)
def scrap_list(request: HttpRequest) -> HttpResponse:
    station = _station(request)
    form = ScrapForm()
    items = scope(ScrapRequest.objects.filter(station=station), request.user).select_related(
        "part", "requested_by", "decided_by"
    )
    page = Paginator(items, PAGE).get_page(request.GET.get("page"))
    return render(request, "parts/scrap_list.html", {
        "page": page, "form": form, "may_request": has_action(request.user, perm.PARTS_MANAGE),
        "may_decide": has_action(request.user, perm.PARTS_APPROVE_SCRAP),
    })


@require_POST
@requires(perm.PARTS_MANAGE)
def scrap_create(request: HttpRequest) -> HttpResponse:
    station = _station(request)
    form = ScrapForm(request.POST)
    if form.is_valid():
        try:
            part = _part_by_number(station, form.cleaned_data["part_number"])
            scrap.scrap_request_create(part=part, quantity=form.cleaned_data["quantity"],
                                       reason=form.cleaned_data["reason"], by=request.user)
            messages.success(request, _("Scrap request sent to the station manager."))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Check the scrap request."))
    return redirect("parts:scrap_list")


@require_POST
@requires(perm.PARTS_APPROVE_SCRAP)
def scrap_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_scoped(request, ScrapRequest.objects.all(), pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        scrap.scrap_request_decide(request=item, by=request.user, approve=approve)
        messages.success(request, _("Scrap approved and booked out.") if approve else _("Scrap request rejected."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("parts:scrap_list")


@requires(perm.PARTS_VIEW)
def part_search(request: HttpRequest) -> HttpResponse:
    """htmx: parts matching a number or name, with their available stock (supersession followed)."""
    station = _station(request)
    parts = list(selectors.part_search(station=station, query=request.GET.get("q", ""))[:20])
    for part in parts:
        part.available = selectors.available_quantity(part=part)
    return render(request, "parts/_search_results.html", {"parts": parts})
