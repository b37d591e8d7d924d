"""The first-time pass-rate report (终检一次合格率): hand-computed per technician, per fault type and in total."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from reception.factories import LabourOperationFactory, WorkOrderFactory, labour_line
from workshop.models import QualityCheck
from workshop.qc_report import qc_pass_rates
from workshop.services.dispatch import job_dispatch

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspected(station, other_station, alice, bob, bob2, dispatcher, quinn):
    """O1 brakes/bob passed; O2 brakes/bert failed then passed; O3 engine/bob + uncategorised/bert passed;
    O4 engine/bob failed; O5 brakes/bob passed 10 days ago (outside today); another station's order passed."""
    brakes = LabourOperationFactory(station=station, code="BRK", category="制动")
    engine = LabourOperationFactory(station=station, code="ENG", category="发动机")
    other = LabourOperationFactory(station=station, code="MISC", category="")
    now = timezone.now()

    def order(jobs, results, at=now, station_=station):
        o = WorkOrderFactory(signed=True, station=station_, advisor=alice)
        for op, tech in jobs:
            job_dispatch(line=labour_line(o, operation=op), technicians=[tech], bay=None, by=dispatcher)
        for attempt, result in enumerate(results, start=1):
            QualityCheck.objects.create(station=station_, order=o, attempt=attempt, inspector=quinn, result=result,
                                        reason="" if result == "passed" else "异响", at=at + timedelta(minutes=attempt))
        return o

    order([(brakes, bob)], ["passed"])
    order([(brakes, bob2)], ["failed", "passed"])
    order([(engine, bob), (other, bob2)], ["passed"])
    order([(engine, bob)], ["failed"])
    order([(brakes, bob)], ["passed"], at=now - timedelta(days=10))
    order([], ["failed"], station_=other_station)


def test_first_time_pass_rates_by_technician_fault_type_and_in_total(station, inspected, bob, bob2):
    today = timezone.localdate()
    report = qc_pass_rates(station=station, date_from=today, date_to=today, uncategorised="?")
    total = report["total"]
    assert (total.inspected, total.passed, total.rate) == (4, 2, Decimal("0.5"))
    techs = {r.key: (r.inspected, r.passed) for r in report["technicians"]}
    assert techs == {bob.pk: (3, 2), bob2.pk: (2, 1)}  # bob: O1, O3 passed, O4 failed; bert: O3 passed, O2 failed
    bob_row = next(r for r in report["technicians"] if r.key == bob.pk)
    assert round(bob_row.rate * 100, 1) == Decimal("66.7")
    faults = {r.label: (r.inspected, r.passed) for r in report["fault_types"]}
    assert faults == {"制动": (2, 1), "发动机": (2, 1), "?": (1, 1)}
    # the ten-day-old order is counted when the period reaches back to it
    wide = qc_pass_rates(station=station, date_from=today - timedelta(days=10), date_to=today)
    assert (wide["total"].inspected, wide["total"].passed) == (5, 3)


def test_nothing_inspected_has_no_rate(station):
    today = timezone.localdate()
    report = qc_pass_rates(station=station, date_from=today, date_to=today)
    assert report["total"].inspected == 0 and report["total"].rate is None and report["technicians"] == []


def test_the_report_page_shows_the_rates(client, inspected, dispatcher):
    client.force_login(dispatcher)
    response = client.get(reverse("workshop:qc_report"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "66.7%" in html and "50.0%" in html and "制动" in html
    assert client.get(reverse("workshop:qc_report"), {"date_from": "garbage"}).status_code == 200
