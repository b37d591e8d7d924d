"""The advisor's buttons for the customer's link on the order page: revoke it, or issue a new one (sent by SMS)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.formflow import act
from org import permissions as perm
from org.permissions import requires
from org.selectors import get_scoped
from portal.services.link import link_reissue, link_revoke
from reception.models import WorkOrder


@require_POST
@requires(perm.RECEPTION_EDIT)
def link_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_scoped(request, WorkOrder.objects.all(), pk=pk)
    act(request, lambda: link_revoke(order=order, by=request.user), _("The customer's link is revoked."))
    return redirect("reception:order_detail", pk=order.pk)


@require_POST
@requires(perm.RECEPTION_EDIT)
def link_reissue_view(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_scoped(request, WorkOrder.objects.all(), pk=pk)
    act(request, lambda: link_reissue(order=order, by=request.user), _("A new link was sent to the customer."))
    return redirect("reception:order_detail", pk=order.pk)
