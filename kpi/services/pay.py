"""Technician pay on sold hours (工时提成).

Each station keeps its technician grades with a rate per sold hour; each technician is put on a grade. The monthly
statement takes the technician's sold hours with the KPI rule (``kpi.sources.workshop.technician_hours``: a labour
line's sold hours count in the month the technician last clocked off it, shared equally between the technicians who
clocked on it) and their hours clocked in the month (for reference), and pays sold hours × the grade's rate.
The workshop lead approves the month; an approved statement is frozen (who and when kept on it).
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import to_cents
from kpi.models import PayGrade, PayStatement, TechnicianGrade
from kpi.sources.base import TECHNICIAN, ZERO, Sink, day_bounds
from kpi.sources.workshop import technician_hours
from org.models import Position, Staff, Station


@transaction.atomic
def pay_grade_set(*, station: Station, name: str, rate: Decimal, by: Staff) -> PayGrade:
    """Add a grade or change its rate (applies to statements not yet approved)."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the grade a name."), field="name")
    if rate is None or rate < ZERO:
        raise DomainError(_("The rate cannot be negative."), field="rate")
    grade, _created = PayGrade.objects.update_or_create(
        station=station, name=name, defaults={"rate": to_cents(rate), "set_by": by}
    )
    return grade


@transaction.atomic
def technician_grade_set(*, technician: Staff, grade: PayGrade, by: Staff) -> TechnicianGrade:
    if technician.position != Position.TECHNICIAN:
        raise DomainError(_("Only technicians are paid on sold hours."), field="technician")
    if grade.station_id != technician.station_id:
        raise DomainError(_("The grade belongs to another station."), field="grade")
    found, _created = TechnicianGrade.objects.update_or_create(
        technician=technician, defaults={"grade": grade, "set_by": by}
    )
    return found


def month_hours(*, station_id: int, month: date) -> dict[int, tuple[Decimal, Decimal]]:
    """{technician id: (sold hours, hours clocked)} of the month at the station, by the KPI rule."""
    month = month.replace(day=1)
    lo, hi = day_bounds(month, month.replace(day=monthrange(month.year, month.month)[1]))
    sink = Sink()
    technician_hours(sink, [station_id], lo, hi)
    out: dict[int, list[Decimal]] = {}
    for (grain, _station, tech, _day), measures in sink.facts.items():
        if grain != TECHNICIAN:
            continue
        row = out.setdefault(tech, [ZERO, ZERO])
        row[0] += measures.get("hours_sold_clocked", ZERO)
        row[1] += measures.get("hours_clocked", ZERO)
    return {tech: (sold, clocked) for tech, (sold, clocked) in out.items()}


def _fill(statement: PayStatement, hours: tuple[Decimal, Decimal]) -> None:
    found = TechnicianGrade.objects.select_related("grade").filter(technician_id=statement.technician_id).first()
    statement.grade_name = found.grade.name if found else ""
    statement.rate = found.grade.rate if found else ZERO
    statement.hours_sold, statement.hours_clocked = hours
    statement.amount = to_cents(statement.hours_sold * statement.rate)


@transaction.atomic
def pay_statements_prepare(*, station: Station, month: date) -> list[PayStatement]:
    """A statement for every active technician of the station for the month; approved ones are left as they are."""
    month = month.replace(day=1)
    hours = month_hours(station_id=station.pk, month=month)
    out = []
    for tech in Staff.objects.filter(station=station, position=Position.TECHNICIAN, is_active=True).order_by("username"):
        statement, _created = PayStatement.objects.select_for_update().get_or_create(
            technician=tech, month=month, defaults={"station": station}
        )
        if statement.approved_at is None:
            _fill(statement, hours.get(tech.pk, (ZERO, ZERO)))
            statement.save()
        out.append(statement)
    return out


@transaction.atomic
def pay_statement_approve(*, statement: PayStatement, by: Staff) -> PayStatement:
    """The workshop lead approves the month: the figures are recomputed one last time, then frozen."""
    statement = PayStatement.objects.select_for_update().get(pk=statement.pk)
    if statement.approved_at is not None:
        raise DomainError(_("This month is already approved."))
    if by.pk == statement.technician_id:
        raise DomainError(_("Nobody approves their own statement."))
    month_end = statement.month.replace(day=monthrange(statement.month.year, statement.month.month)[1])
    if timezone.localdate() <= month_end:
        raise DomainError(_("A month can be approved once it is over."))
    _fill(statement, month_hours(station_id=statement.station_id, month=statement.month).get(
        statement.technician_id, (ZERO, ZERO)))
    if not statement.grade_name:
        raise DomainError(_("Put the technician on a grade first."))
    statement.approved_by, statement.approved_at = by, timezone.now()
    statement.save()
    return statement
