"""Technician pay on sold hours: figures computed by hand, approval, freezing."""

from datetime import date
from decimal import Decimal

import pytest

from core.errors import DomainError
from kpi.factories import at
from kpi.models import PayStatement
from kpi.services.pay import pay_grade_set, pay_statement_approve, pay_statements_prepare, technician_grade_set
from org.factories import StaffFactory, StationFactory
from reception.factories import WorkOrderLineFactory
from workshop.factories import ClockEntryFactory

pytestmark = pytest.mark.django_db
MARCH = date(2026, 3, 1)


def _clock(line, tech, start, end):
    return ClockEntryFactory(line=line, technician=tech, started_at=at(start), ended_at=at(end), end="off")


@pytest.fixture
def month():
    """Line 1 (3.00 sold h) worked by A and B, finished in March: 1.50 each. Line 2 (2.00 h) A alone, March.
    Line 3 (4.00 h) A, clocked off on 1 April: not sold in March, but its hour before midnight was clocked in March.
    A: sold 3.50, clocked 1.5 + 2 + 1 = 4.50; grade 中级 ¥30/h → ¥105.00. B: sold 1.50, clocked 2.00; 初级 ¥20 → ¥30.00."""
    station = StationFactory()
    lead = StaffFactory(station=station, position="workshop_lead")
    a = StaffFactory(station=station, position="technician", username="tech-a")
    b = StaffFactory(station=station, position="technician", username="tech-b")
    line1 = WorkOrderLineFactory(order__station=station, labour=True, hours=Decimal("3.00"))
    line2 = WorkOrderLineFactory(order__station=station, labour=True, hours=Decimal("2.00"))
    line3 = WorkOrderLineFactory(order__station=station, labour=True, hours=Decimal("4.00"))
    _clock(line1, a, "2026-03-10 10:00", "2026-03-10 11:30")
    _clock(line1, b, "2026-03-10 10:00", "2026-03-10 12:00")
    _clock(line2, a, "2026-03-11 13:00", "2026-03-11 15:00")
    _clock(line3, a, "2026-03-31 23:00", "2026-04-01 01:00")
    technician_grade_set(technician=a, grade=pay_grade_set(station=station, name="中级", rate=Decimal("30"), by=lead),
                         by=lead)
    technician_grade_set(technician=b, grade=pay_grade_set(station=station, name="初级", rate=Decimal("20"), by=lead),
                         by=lead)
    return station, lead, a, b, line2


def test_statement_figures(month):
    station, _lead, a, b, _line = month
    rows = {s.technician_id: s for s in pay_statements_prepare(station=station, month=MARCH)}
    assert (rows[a.pk].hours_sold, rows[a.pk].hours_clocked, rows[a.pk].rate, rows[a.pk].amount) == (
        Decimal("3.50"), Decimal("4.50"), Decimal("30.00"), Decimal("105.00"))
    assert (rows[b.pk].grade_name, rows[b.pk].hours_sold, rows[b.pk].amount) == ("初级", Decimal("1.50"), Decimal("30.00"))
    # April: line 3's 4.00 sold hours, its 1 hour after midnight
    april = {s.technician_id: s for s in pay_statements_prepare(station=station, month=date(2026, 4, 1))}
    assert (april[a.pk].hours_sold, april[a.pk].hours_clocked, april[a.pk].amount) == (
        Decimal("4.00"), Decimal("1.00"), Decimal("120.00"))


def test_approved_month_is_frozen(month):
    station, lead, a, _b, line2 = month
    statement = next(s for s in pay_statements_prepare(station=station, month=MARCH) if s.technician_id == a.pk)
    pay_statement_approve(statement=statement, by=lead)
    statement.refresh_from_db()
    assert statement.approved_by == lead and statement.approved_at is not None
    # a rate change and a late clock entry do not touch the approved month
    pay_grade_set(station=station, name="中级", rate=Decimal("50"), by=lead)
    _clock(line2, a, "2026-03-12 09:00", "2026-03-12 10:00")
    pay_statements_prepare(station=station, month=MARCH)
    statement.refresh_from_db()
    assert (statement.amount, statement.rate) == (Decimal("105.00"), Decimal("30.00"))
    with pytest.raises(DomainError):
        pay_statement_approve(statement=statement, by=lead)


def test_approval_refusals(month):
    station, lead, a, _b, _line = month
    statement = next(s for s in pay_statements_prepare(station=station, month=MARCH) if s.technician_id == a.pk)
    with pytest.raises(DomainError):
        pay_statement_approve(statement=statement, by=a)  # not one's own
    c = StaffFactory(station=station, position="technician", username="tech-c")
    no_grade = PayStatement.objects.get(technician=c, month=MARCH) if PayStatement.objects.filter(
        technician=c).exists() else None
    assert no_grade is None
    no_grade = next(s for s in pay_statements_prepare(station=station, month=MARCH) if s.technician_id == c.pk)
    assert no_grade.amount == Decimal("0")
    with pytest.raises(DomainError):
        pay_statement_approve(statement=no_grade, by=lead)
    assert PayStatement.objects.get(pk=no_grade.pk).approved_at is None


def test_grade_rules(month):
    station, lead, a, _b, _line = month
    other = pay_grade_set(station=StationFactory(), name="高级", rate=Decimal("45"), by=lead)
    with pytest.raises(DomainError):
        technician_grade_set(technician=a, grade=other, by=lead)
    with pytest.raises(DomainError):
        technician_grade_set(technician=lead, grade=pay_grade_set(station=station, name="高级", rate=Decimal("45"),
                                                                  by=lead), by=lead)
    with pytest.raises(DomainError):
        pay_grade_set(station=station, name="负", rate=Decimal("-1"), by=lead)
