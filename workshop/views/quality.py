"""Final inspection (终检)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.formflow import submit
from org import permissions as perm
from org.permissions import requires
from org.selectors import station_or_404
from reception.models import WorkOrder, WorkOrderLine
from workshop import selectors
from workshop.forms import QualityCheckForm
from workshop.models import QualityCheck
from workshop.services import quality, readiness
from workshop.views._common import form_status, order_or_404

S = WorkOrder.Status


@requires(perm.WORKSHOP_QC)
def qc_list(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    waiting = (
        WorkOrder.objects.filter(station=station, status=S.QUALITY_CHECK)
        .select_related("vehicle", "customer")
        .annotate(reworks=Count("quality_checks", filter=Q(quality_checks__result=QualityCheck.Result.FAILED)))
        .order_by("work_completed_at")
    )
    recent = QualityCheck.objects.filter(station=station).select_related("order", "inspector").order_by("-at")[:20]
    return render(request, "workshop/qc_list.html", {"waiting": waiting, "recent": recent})


@requires(perm.WORKSHOP_QC)
def qc_order(request: HttpRequest, pk: int) -> HttpResponse:
    order = order_or_404(request, pk)
    form = QualityCheckForm(request.POST if request.method == "POST" else None)
    passed = request.POST.get("result") == "pass"
    # An error about the checklist as a whole stands above the checklist (the form's non-field errors).
    if request.method == "POST" and submit(form, lambda data: quality.quality_check_record(
            order=order, by=request.user, passed=passed, checklist=form.checklist(), reason=data["reason"],
            road_test=data["road_test"], washed=data["washed"])):
        if passed:
            messages.success(request, _("%(number)s passed the final inspection.") % {"number": order.number})
        else:
            messages.warning(request, _("%(number)s goes back to the workshop for rework.") % {"number": order.number})
        return redirect("workshop:qc")
    context = {
        "order": order,
        "form": form,
        "lines": order.lines.exclude(approval=WorkOrderLine.Approval.DECLINED),
        "history": QualityCheck.objects.filter(order=order).select_related("inspector"),
        "panel": selectors.order_panel(order),
        "concerns": list(order.concerns.all()),
        "part_lines": readiness.part_lines_status(order),
    }
    return render(request, "workshop/qc_order.html", context, status=form_status(form))
