"""The final-inspection pass-rate report (终检一次合格率) per technician and per fault type."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from org import permissions as perm
from org.permissions import requires
from org.selectors import station_or_404
from workshop.forms import QcPeriodForm
from workshop.qc_report import qc_pass_rates


@requires(perm.WORKSHOP_QC)
def qc_report(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    form = QcPeriodForm(request.GET or None)
    date_from, date_to = form.period(timezone.localdate())
    report = qc_pass_rates(station=station, date_from=date_from, date_to=date_to, uncategorised=_("uncategorised"))
    return render(request, "workshop/qc_report.html", {
        "form": form, "date_from": date_from, "date_to": date_to, **report})
