"""Scrap (报废): the parts lead asks, the station manager approves or rejects."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.formflow import act, submit
from org import permissions as perm
from org.permissions import has_action, requires
from org.selectors import get_scoped, scope
from parts import selectors
from parts.forms import ScrapForm
from parts.models import ScrapRequest
from parts.services import scrap
from parts.views.common import PAGE, station_of


@requires(perm.PARTS_VIEW)
def scrap_list(request: HttpRequest) -> HttpResponse:
    return _list(request)


def _list(request: HttpRequest, *, form: ScrapForm | None = None) -> HttpResponse:
    """The scrap requests; a request posted with an error comes back bound (HTTP 400), the error at the field."""
    station = station_of(request)
    items = scope(ScrapRequest.objects.filter(station=station), request.user).select_related(
        "part", "requested_by", "decided_by"
    )
    page = Paginator(items, PAGE).get_page(request.GET.get("page"))
    return render(request, "parts/scrap_list.html", {
        "page": page, "form": form or ScrapForm(), "may_request": has_action(request.user, perm.PARTS_MANAGE),
        "may_decide": has_action(request.user, perm.PARTS_APPROVE_SCRAP),
    }, status=400 if form is not None else 200)


@require_POST
@requires(perm.PARTS_MANAGE)
def scrap_create(request: HttpRequest) -> HttpResponse:
    station = station_of(request)
    form = ScrapForm(request.POST)

    def ask(data: dict) -> None:
        part = selectors.part_by_number(station=station, number=data["part_number"])
        scrap.scrap_request_create(part=part, quantity=data["quantity"], reason=data["reason"], by=request.user)

    if not submit(form, ask):
        return _list(request, form=form)
    messages.success(request, _("Scrap request sent to the station manager."))
    return redirect("parts:scrap_list")


@require_POST
@requires(perm.PARTS_APPROVE_SCRAP)
def scrap_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_scoped(request, ScrapRequest.objects.all(), pk=pk)
    approve = request.POST.get("decision") == "approve"
    act(request, lambda: scrap.scrap_request_decide(request=item, by=request.user, approve=approve),
        _("Scrap approved and booked out.") if approve else _("Scrap request rejected."))
    return redirect("parts:scrap_list")
