"""Delivery (交车): the hand-over checklist and the SETTLED→DELIVERED transition."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.formflow import submit
from org import permissions as perm
from org.permissions import requires
from settlement.forms import DeliveryForm
from settlement.models import Delivery
from settlement.selectors import order_for, payment_status
from settlement.services.delivery import delivery_checklist_save, delivery_signature_record, order_deliver


@requires(perm.SETTLEMENT_SETTLE)
def delivery(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the checklist. POST: save it; with "deliver" also hand the vehicle over (SETTLED→DELIVERED)."""
    order = order_for(request, pk)
    instance = Delivery.objects.filter(order=order).first() or Delivery(order=order)
    form = DeliveryForm(request.POST or None, instance=instance)
    deliver = "deliver" in request.POST

    def save(data: dict) -> None:
        signature = data.pop("signature", None)
        delivery_checklist_save(order=order, by=request.user, **data)  # kept even when the hand-over is refused
        if signature:
            delivery_signature_record(order=order, by=request.user, signature_png=signature)
        if deliver:
            order_deliver(order=order, by=request.user)

    if form.is_bound and submit(form, save):
        if deliver:
            messages.success(request, _("Vehicle %(plate)s handed over.") % {"plate": order.vehicle})
            return redirect("settlement:order", pk=order.pk)
        messages.success(request, _("Delivery checklist saved."))
        return redirect("settlement:delivery", pk=order.pk)
    return render(request, "settlement/delivery.html", {
        "order": order, "form": form, "delivery": instance if instance.pk else None, "status": payment_status(order),
    }, status=400 if form.is_bound else 200)
