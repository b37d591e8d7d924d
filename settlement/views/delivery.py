"""Delivery (交车): the hand-over checklist and the SETTLED→DELIVERED transition."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from aftersales import permissions as perm
from aftersales.exceptions import DomainError
from aftersales.permissions import requires
from settlement.forms import DeliveryForm
from settlement.models import Delivery
from settlement.selectors import order_for, payment_status
from settlement.services.delivery import delivery_checklist_save, order_deliver


@requires(perm.SETTLEMENT_SETTLE)
def delivery(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the checklist. POST: save it; with "deliver" also hand the vehicle over (SETTLED→DELIVERED)."""
    order = order_for(request, pk)
    instance = Delivery.objects.filter(order=order).first() or Delivery(order=order)
    form = DeliveryForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            delivery_checklist_save(order=order, by=request.user, **form.cleaned_data)
            if "deliver" in request.POST:
                order_deliver(order=order, by=request.user)
                messages.success(request, _("Vehicle %(plate)s handed over.") % {"plate": order.vehicle})
                return redirect("settlement:order", pk=order.pk)
            messages.success(request, _("Delivery checklist saved."))
            return redirect("settlement:delivery", pk=order.pk)
        except DomainError as exc:
            if exc.field and exc.field in form.fields:
                form.add_error(exc.field, exc.message)
            else:
                messages.error(request, exc.message)
    return render(request, "settlement/delivery.html", {
        "order": order, "form": form, "delivery": instance if instance.pk else None, "status": payment_status(order),
    })
