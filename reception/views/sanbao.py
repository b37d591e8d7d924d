"""三包: a repair counted on the order page, the models' periods, and the station's vehicles near a threshold."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formflow import submit
from core.paging import keyset_page
from org import permissions as perm
from org.permissions import requires
from org.selectors import get_scoped, station_or_404
from reception import selectors
from reception.models import WarrantyTerms, WorkOrder
from reception.services import warranty_terms as services
from reception.views.common import form_status
from reception.views.orders import order_page
from reception.warranty_forms import SanbaoRepairForm, WarrantyTermsForm


@requires(perm.RECEPTION_EDIT)
def order_sanbao(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_scoped(request, WorkOrder.objects.all(), pk=pk)
    if request.method != "POST":
        return redirect("reception:order_detail", pk=pk)
    form = SanbaoRepairForm(request.POST, prefix="sanbao")
    if submit(form, lambda d: services.sanbao_repair_record(order=order, by=request.user, **d)):
        messages.success(request, _("Repair counted for 三包."))
        return redirect("reception:order_detail", pk=pk)
    return order_page(request, pk, sanbao_form=form)


@requires(perm.SANBAO_WATCH)
def sanbao_watch(request: HttpRequest) -> HttpResponse:
    """Vehicles near (or over) a 三包 threshold: the department head's list."""
    station = station_or_404(request)
    page = keyset_page(selectors.vehicles_near_sanbao(station), request.GET, key="vin")
    return render(request, "reception/sanbao/watch.html", {"page": page, "today": timezone.localdate()})


@requires(perm.RECEPTION_SETUP)
def warranty_terms(request: HttpRequest) -> HttpResponse:
    """The models' warranty and 三包 periods (a model without a row gets the legal minimums)."""
    station = station_or_404(request)
    form = WarrantyTermsForm(request.POST or None, instance=WarrantyTerms(station=station))
    if request.method == "POST" and submit(form, lambda d: services.warranty_terms_save(station=station, **d)):
        messages.success(request, _("Warranty terms saved."))
        return redirect("reception:warranty_terms")
    return render(request, "reception/sanbao/terms.html", {
        "form": form, "terms": WarrantyTerms.objects.filter(station=station), "defaults": services.DEFAULT_TERMS,
    }, status=form_status(form))
