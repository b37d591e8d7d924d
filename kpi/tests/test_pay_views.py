"""The pay pages: the workshop lead sets grades, prepares and approves a month; the technician sees their own."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from kpi.factories import at
from kpi.models import PayGrade, PayStatement, TechnicianGrade
from org.factories import StaffFactory, StationFactory
from reception.factories import WorkOrderLineFactory
from workshop.factories import ClockEntryFactory

pytestmark = pytest.mark.django_db


def test_lead_sets_grade_prepares_and_approves(client):
    station = StationFactory()
    lead = StaffFactory(station=station, position="workshop_lead")
    tech = StaffFactory(station=station, position="technician", display_name="王师傅")
    line = WorkOrderLineFactory(order__station=station, labour=True, hours=Decimal("2.50"))
    ClockEntryFactory(line=line, technician=tech, started_at=at("2026-03-05 09:00"), ended_at=at("2026-03-05 11:00"),
                      end="off")
    client.force_login(lead)
    url = reverse("kpi:pay")
    month = {"station": station.pk, "month": "2026-03"}
    # a refused grade comes back at the field, input kept
    bad = client.post(url, {**month, "what": "grade", "name": "中级", "rate": "-5"})
    assert bad.status_code == 400 and "中级" in bad.content.decode()
    assert client.post(url, {**month, "what": "grade", "name": "中级", "rate": "30"}).status_code == 302
    grade = PayGrade.objects.get(station=station)
    client.post(url, {**month, "what": "prepare"})
    assert client.post(url, {**month, "what": "assign", "technician": tech.pk, "grade": grade.pk}).status_code == 302
    assert TechnicianGrade.objects.get(technician=tech).grade == grade
    client.post(url, {**month, "what": "prepare"})
    page = client.get(url, month).content.decode()
    assert "王师傅" in page and "¥75.00" in page  # 2.50 h × ¥30
    statement = PayStatement.objects.get(technician=tech, month=date(2026, 3, 1))
    client.post(reverse("kpi:pay_approve", args=[statement.pk]))
    statement.refresh_from_db()
    assert statement.approved_by == lead and statement.amount == Decimal("75.00")
    # the technician sees their own statement, approved
    client.force_login(tech)
    mine = client.get(reverse("kpi:pay_mine")).content.decode()
    assert "¥75.00" in mine and 'id="my-pay"' in mine


def test_technician_of_other_station_not_assignable(client):
    station = StationFactory()
    lead = StaffFactory(station=station, position="workshop_lead")
    stranger = StaffFactory(station=StationFactory(), position="technician")
    grade = PayGrade.objects.create(station=station, name="初级", rate=Decimal("20"))
    client.force_login(lead)
    response = client.post(reverse("kpi:pay"), {"station": station.pk, "month": "2026-03", "what": "assign",
                                                "technician": stranger.pk, "grade": grade.pk})
    assert response.status_code == 400
    assert not TechnicianGrade.objects.exists()
