"""Customer grading: the station's rules (settings page) and grading one customer again on demand."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.formflow import submit
from org import permissions as perm
from org.permissions import requires
from org.selectors import get_scoped, station_or_404
from reception.forms import GradingRulesForm
from reception.models import Customer
from reception.services import grading
from reception.views.common import form_status


@requires(perm.RECEPTION_SETUP)
def grading_settings(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    form = GradingRulesForm(request.POST or None, instance=grading.grading_rules(station))
    if request.method == "POST" and submit(form, lambda data: grading.grading_rules_update(
            station=station, by=request.user, **data)):
        count = grading.customers_regrade(station=station)
        messages.success(request, _("Grading rules saved; %(count)s customers graded again.") % {"count": count})
        return redirect("reception:grading_settings")
    return render(request, "reception/grading_settings.html", {"form": form}, status=form_status(form))


@require_POST
@requires(perm.RECEPTION_EDIT)
def customer_regrade(request: HttpRequest, pk: int) -> HttpResponse:
    customer = get_scoped(request, Customer.objects.all(), pk=pk)
    grading.customer_grade(customer=customer)
    messages.success(request, _("Customer graded: %(grade)s.") % {"grade": customer.get_grade_display()})
    return redirect("reception:customer_detail", pk=customer.pk)
