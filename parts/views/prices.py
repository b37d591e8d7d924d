"""Price policies (价格政策): per payer, the OEM list price or the cost plus a markup. For the parts lead."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.formflow import submit
from core.money import Payer
from org import permissions as perm
from org.permissions import requires
from org.selectors import station_or_404
from parts.forms import PricePolicyForm, plain
from parts.models import Part, PartsEvent, PricePolicy
from parts.services import catalogue
from parts.views.common import station_of


def _payers():
    return Payer.choices


@requires(perm.PARTS_MANAGE)
def price_policies(request: HttpRequest) -> HttpResponse:
    return _page(request)


def _page(request: HttpRequest, *, failed: PricePolicyForm | None = None) -> HttpResponse:
    """One row per payer with its policy and what it makes of an example part (``?part_number=``, else the first
    part of the catalogue); a row saved with an error comes back as typed (``failed``, HTTP 400)."""
    station = station_of(request)
    policies = {p.payer: p for p in PricePolicy.objects.filter(station=station)}
    number = request.GET.get("part_number", "").strip()
    parts = Part.objects.filter(station=station, is_active=True)
    example = (parts.filter(part_number__iexact=number).first() if number else None) or parts.first()
    failed_payer = failed.data.get("payer") if failed is not None else None
    rows = []
    for value, label in _payers():
        policy = policies.get(value)
        if value == failed_payer:
            form = failed
        else:
            form = PricePolicyForm(initial={"payer": value, "basis": policy.basis if policy else PricePolicy.Basis.LIST,
                                            "markup_pct": plain(policy.markup_pct) if policy else "0"})
        rows.append({
            "payer": value, "label": label, "policy": policy, "form": form,
            "price": catalogue.sale_price(part=example, payer=value) if example else None,
        })
    labels = dict(_payers())
    history = list(PartsEvent.objects.filter(station=station, kind="price_policy").select_related("by")[:20])
    for event in history:
        event.payer_label = labels.get(event.reference, event.reference)
    return render(request, "parts/price_policies.html", {
        "rows": rows, "example": example, "part_number": number, "history": history,
        "bases": PricePolicy.Basis.choices,
    }, status=400 if failed is not None else 200)


@require_POST
@requires(perm.PARTS_MANAGE)
def price_policy_save(request: HttpRequest) -> HttpResponse:
    form = PricePolicyForm(request.POST)

    def save(data: dict) -> None:
        catalogue.price_policy_set(station=station_or_404(request), by=request.user, **data)

    if not submit(form, save):
        return _page(request, failed=form)
    label = dict(_payers()).get(form.cleaned_data["payer"], form.cleaned_data["payer"])
    messages.success(request, _("Price policy for %(payer)s saved.") % {"payer": label})
    number = request.GET.get("part_number", "")
    return redirect(reverse("parts:price_policies") + (f"?{urlencode({'part_number': number})}" if number else ""))
