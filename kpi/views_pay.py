"""Technician pay on sold hours (工时提成): the workshop lead's month page (grades, statements, approval) and the
technician's own statements. The figures come from ``kpi.services.pay``."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.formflow import act, submit
from kpi.forms import PayGradeForm, TechnicianGradeForm
from kpi.models import PayGrade, PayStatement
from kpi.services import pay as pay_services
from kpi.views import _manage_station, _month
from org import permissions as perm
from org.models import Position, Staff
from org.permissions import requires
from org.selectors import get_scoped, visible_stations


def _back(station, month) -> HttpResponse:
    return redirect(f"{reverse('kpi:pay')}?station={station.pk}&month={month:%Y-%m}")


@requires(perm.PAY_MANAGE)
def pay(request: HttpRequest) -> HttpResponse:
    station = _manage_station(request)
    month = _month(request)
    grades = PayGrade.objects.filter(station=station)
    what = request.POST.get("what") if request.method == "POST" else None
    grade_form = PayGradeForm(request.POST if what == "grade" else None)
    assign_form = TechnicianGradeForm(request.POST if what == "assign" else None, grades=grades)
    if what == "prepare":
        pay_services.pay_statements_prepare(station=station, month=month)
        messages.success(request, _("Statements refreshed from the clocked and sold hours."))
        return _back(station, month)
    if what == "grade" and submit(grade_form, lambda data: pay_services.pay_grade_set(
            station=station, by=request.user, **data)):
        messages.success(request, _("Grade saved."))
        return _back(station, month)

    def assign(data: dict):
        technician = Staff.objects.filter(pk=data["technician"], station=station,
                                          position=Position.TECHNICIAN).first()
        if technician is None:
            raise DomainError(_("No such technician at this station."))
        return pay_services.technician_grade_set(technician=technician, grade=data["grade"], by=request.user)

    if what == "assign" and submit(assign_form, assign):
        messages.success(request, _("Grade set."))
        return _back(station, month)
    statements = list(PayStatement.objects.filter(station=station, month=month)
                      .select_related("technician", "technician__pay_grade", "approved_by"))
    failed = grade_form if what == "grade" else assign_form if what == "assign" else None
    return render(request, "kpi/pay/month.html", {
        "station": station, "month": month, "statements": statements, "grades": grades,
        "grade_form": grade_form, "assign_form": assign_form, "stations": list(visible_stations(request.user)),
        "total": sum((s.amount for s in statements), start=pay_services.ZERO),
    }, status=400 if failed is not None and failed.errors else 200)


@requires(perm.PAY_MANAGE)
def pay_approve(request: HttpRequest, pk: int) -> HttpResponse:
    statement = get_scoped(request, PayStatement.objects.select_related("station"), pk=pk)
    if request.method == "POST":
        act(request, lambda: pay_services.pay_statement_approve(statement=statement, by=request.user),
            _("Statement approved: the month is frozen."))
    return _back(statement.station, statement.month)


@requires(perm.PAY_OWN)
def pay_mine(request: HttpRequest) -> HttpResponse:
    statements = PayStatement.objects.filter(technician=request.user).select_related("approved_by")[:24]
    return render(request, "kpi/pay/mine.html", {"statements": statements})
