"""Review of large orders by the front-desk lead before the customer signs, and the station's threshold."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.formflow import act, submit
from org import permissions as perm
from org.permissions import requires
from org.selectors import get_scoped, station_or_404
from reception.models import OrderReview, WorkOrder
from reception.services.order_review import order_review_record, review_threshold, review_threshold_set


class ThresholdForm(forms.Form):
    threshold = forms.DecimalField(label=gettext_lazy("review orders above (gross)"), max_digits=12,
                                   decimal_places=2, min_value=0, help_text=gettext_lazy("0: no review needed."))


@requires(perm.REVIEW_LARGE_ORDER)
@require_POST
def order_review(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_scoped(request, WorkOrder.objects.all(), pk=pk)
    act(request, lambda: order_review_record(order=order, by=request.user, note=request.POST.get("note", "")),
        _("Reviewed: the customer may sign."))
    # a first signature is taken on the sign page; a changed estimate is approved again from the order page
    return redirect("reception:order_sign" if order.status == WorkOrder.Status.DRAFT else "reception:order_detail",
                    pk=pk)


@requires(perm.RECEPTION_SETUP)
def review_settings(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    form = ThresholdForm(request.POST or None, initial={"threshold": review_threshold(station)})
    if request.method == "POST" and submit(
            form, lambda data: review_threshold_set(station=station, by=request.user, **data)):
        messages.success(request, _("Saved."))
        return redirect("reception:review_settings")
    recent = OrderReview.objects.filter(order__station=station).select_related("order", "by")[:20]
    return render(request, "reception/review_settings.html", {"form": form, "recent": recent},
                  status=400 if form.is_bound else 200)
