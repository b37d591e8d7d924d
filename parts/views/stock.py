"""Stock: the stock list, low stock, a part's page with its bin and min/max, the catalogue import's upload page."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import BooleanField, ExpressionWrapper
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import import_views
from core.formflow import submit
from core.money import Payer, money_text
from core.rows import pk_link, quantity_formatter
from org import permissions as perm
from org.permissions import has_action, requires
from org.selectors import get_scoped, station_or_404
from parts import selectors
from parts.filters import StockFilter
from parts.forms import LocationForm
from parts.models import Part, StockBalance
from parts.services import catalogue
from parts.services.stock import warehouse_main
from parts.views.common import Page, query_without_page, station_of


@requires(perm.PARTS_VIEW)
def stock_list(request: HttpRequest) -> HttpResponse:
    station = station_of(request)
    base = selectors.balances_for(request.user, station=station).order_by("part__part_number", "warehouse_id")
    filterset = StockFilter(request.GET, queryset=base)
    shown = (filterset.qs.annotate(available_qty=selectors.available_expr())
             .annotate(low=ExpressionWrapper(selectors.low_q(), output_field=BooleanField())))
    page = Page(shown.values(*_STOCK_COLUMNS, "available_qty", "low"), request.GET.get("page"))
    template = "parts/_stock_rows.html" if request.htmx and not request.htmx.boosted else "parts/stock_list.html"
    return render(request, template, {"filter": filterset, "page": page, "rows": _stock_rows(page),
                                      "query": query_without_page(request)})


_STOCK_COLUMNS = ("part_id", "part__part_number", "part__is_genuine", "part__superseded_by_id", "part__name_zh",
                  "part__brand", "part__cost", "part__list_price", "bin_location", "on_hand", "reserved", "min_qty",
                  "max_qty")


def _stock_rows(page: Page) -> list[dict]:
    """The stock list's rows as the template prints them: only the columns shown, the link and numbers as text.

    One reverse for all rows and each quantity formatted once: per-row
    template work is most of this page's CPU.
    """
    link, quantity = pk_link("parts:part_detail"), quantity_formatter()
    rows = []
    for row in page:
        rows.append({
            "url": link(row["part_id"]), "part_number": row["part__part_number"],
            "is_genuine": row["part__is_genuine"], "superseded": row["part__superseded_by_id"] is not None,
            "name_zh": row["part__name_zh"], "brand": row["part__brand"], "bin": row["bin_location"],
            "low": row["low"], "on_hand": quantity(row["on_hand"]), "reserved": quantity(row["reserved"]),
            "available": quantity(row["available_qty"]), "min_qty": quantity(row["min_qty"]),
            "max_qty": quantity(row["max_qty"]), "cost": money_text(row["part__cost"]),
            "list_price": money_text(row["part__list_price"]),
        })
    return rows


@requires(perm.PARTS_VIEW)
def low_stock(request: HttpRequest) -> HttpResponse:
    station = station_of(request)
    balances = selectors.low_stock(request.user, station=station)
    page = Page(balances, request.GET.get("page"))
    return render(request, "parts/low_stock.html", {"page": page})


@requires(perm.PARTS_VIEW)
def part_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_scoped(request, Part.objects.select_related("superseded_by"), pk=pk))


def _detail(request: HttpRequest, part: Part, *, location_form: LocationForm | None = None) -> HttpResponse:
    """The part's page; bin and min/max posted with an error come back bound (HTTP 400), the error at the field."""
    moves = Page(selectors.moves_of(part=part), request.GET.get("page"))
    balances = StockBalance.objects.filter(part=part).select_related("warehouse")
    main = balances.filter(warehouse__is_main=True).first()
    if location_form is None:
        location_form = LocationForm(initial={"bin_location": main.bin_location, "min_qty": main.min_qty,
                                              "max_qty": main.max_qty} if main else None)
    prices = [(label, catalogue.sale_price(part=part, payer=value)) for value, label in _payers()]
    return render(request, "parts/part_detail.html", {
        "part": part, "moves": moves, "balances": balances, "prices": prices,
        "current": selectors.current_part(part), "supersedes": part.supersedes.all(),
        "location_form": location_form, "may_manage": has_action(request.user, perm.PARTS_MANAGE),
        "available": selectors.available_quantity(part=part),
    }, status=400 if location_form.is_bound else 200)


def _payers():
    return Payer.choices


@require_POST
@requires(perm.PARTS_MANAGE)
def part_location(request: HttpRequest, pk: int) -> HttpResponse:
    part = get_scoped(request, Part.objects.select_related("superseded_by"), pk=pk)
    form = LocationForm(request.POST)
    if not submit(form, lambda data: catalogue.part_set_location(
            part=part, warehouse=warehouse_main(station=part.station), by=request.user, **data)):
        return _detail(request, part, location_form=form)
    messages.success(request, _("Bin and min/max saved."))
    return redirect("parts:part_detail", pk=part.pk)


@requires(perm.PARTS_MANAGE)
def part_import(request: HttpRequest) -> HttpResponse:
    """The catalogue import's upload page: the file is stored and checked on the workers (core.imports), never here."""
    return import_views.upload(request, kind="parts", station=station_or_404(request))
