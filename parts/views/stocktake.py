"""Stocktake (盘点): count sheets, counting (blind or not), submitting and approving the variances."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.formflow import act, submit
from org import permissions as perm
from org.permissions import has_action, requires
from org.selectors import get_scoped, scope, station_or_404
from parts.forms import CountForm, StocktakeForm
from parts.models import Stocktake
from parts.services import stocktake
from parts.services.stock import warehouse_main
from parts.views.common import PAGE, station_of


@requires(perm.PARTS_VIEW)
def stocktake_list(request: HttpRequest) -> HttpResponse:
    return _list(request)


def _list(request: HttpRequest, *, form: StocktakeForm | None = None) -> HttpResponse:
    """The count sheets; a new sheet asked for with an error comes back bound (HTTP 400), the error at the field."""
    station = station_of(request)
    takes = scope(Stocktake.objects.filter(station=station), request.user).select_related("created_by", "approved_by")
    page = Paginator(takes, PAGE).get_page(request.GET.get("page"))
    return render(request, "parts/stocktake_list.html", {
        "page": page, "form": form or StocktakeForm(), "may_count": has_action(request.user, perm.PARTS_STOCKTAKE),
    }, status=400 if form is not None else 200)


@require_POST
@requires(perm.PARTS_STOCKTAKE)
def stocktake_create(request: HttpRequest) -> HttpResponse:
    form = StocktakeForm(request.POST)
    created = []

    def open_sheet(data: dict) -> None:
        station = station_or_404(request)
        created.append(stocktake.stocktake_create(warehouse=warehouse_main(station=station), by=request.user,
                                                  bin_prefix=data["bin_prefix"], blind=data["blind"]))

    if not submit(form, open_sheet):
        return _list(request, form=form)
    messages.success(request, _("Count sheet %(number)s opened.") % {"number": created[0].number})
    return redirect("parts:stocktake_detail", pk=created[0].pk)


@requires(perm.PARTS_VIEW)
def stocktake_detail(request: HttpRequest, pk: int) -> HttpResponse:
    take = get_scoped(request, Stocktake.objects.select_related("warehouse"), pk=pk)
    return _detail(request, take, CountForm(stocktake=take))


def _detail(request: HttpRequest, take: Stocktake, form: CountForm) -> HttpResponse:
    """The count sheet; counts posted with an error come back as typed (HTTP 400), the error on its line."""
    counting = take.status == Stocktake.Status.COUNTING
    lines = list(take.lines.select_related("part"))
    for line in lines:
        line.count_field = form[f"count_{line.pk}"]
    return render(request, "parts/stocktake_detail.html", {
        "take": take, "lines": lines, "form": form,
        "show_book": not (counting and take.is_blind),
        "report": None if counting else stocktake.variance_report(stocktake=take),
        "may_count": has_action(request.user, perm.PARTS_STOCKTAKE),
        "may_approve": has_action(request.user, perm.PARTS_APPROVE),
    }, status=400 if form.is_bound else 200)


@require_POST
@requires(perm.PARTS_STOCKTAKE)
def stocktake_count(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the counts, or save and submit them; all or nothing, so a refused submit saves no count either."""
    take = get_scoped(request, Stocktake.objects.select_related("warehouse"), pk=pk)
    form = CountForm(request.POST, stocktake=take)
    submitting = bool(request.POST.get("submit"))

    @transaction.atomic
    def count(data: dict) -> None:
        stocktake.stocktake_count(stocktake=take, counts=form.counts(), by=request.user)
        if submitting:
            try:
                stocktake.stocktake_submit(stocktake=take, by=request.user)
            except DomainError:
                form.mark_uncounted(_("Not counted yet."))
                raise

    if not submit(form, count):
        take.refresh_from_db()
        return _detail(request, take, form)
    messages.success(request, _("Count submitted for approval.") if submitting else _("Counts saved."))
    return redirect("parts:stocktake_detail", pk=take.pk)


@require_POST
@requires(perm.PARTS_APPROVE)
def stocktake_approve(request: HttpRequest, pk: int) -> HttpResponse:
    take = get_scoped(request, Stocktake.objects.all(), pk=pk)
    act(request, lambda: stocktake.stocktake_approve(stocktake=take, by=request.user),
        lambda posted: _("Approved: %(count)s adjustments posted.") % {"count": posted})
    return redirect("parts:stocktake_detail", pk=take.pk)
