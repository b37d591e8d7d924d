"""seed_demo: the whole demo through the services, on a shortened history (the full half year takes minutes).

The assertions are those of the per-app demo tests it replaces (reception, parts, workshop, settlement, complaints
and the seed command), checked on one seeded database; then a second run must change nothing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import F, Sum
from django.utils import timezone

from complaints.models import Complaint, FollowUpCall
from demo import data as D
from org.models import Staff, Station
from parts.models import LostSale, Part, PartsEvent, StockBalance, StockMove, Stocktake, Warehouse
from reception.models import Customer, LabourOperation, Vehicle, WorkOrder
from reception.services.validation import is_valid_plate, vin_problem
from settlement.models import Payment, Statement
from settlement.services.reconcile import reconcile
from workshop.models import Attendance, Bay, ClockEntry, Comeback, JobAssignment, QualityCheck

pytestmark = pytest.mark.django_db

LOGINS = ["manager", "frontlead", "advisor", "advisor2", "reception", "dispatcher", "tech1", "tech2", "tech3", "qc",
          "techlead", "partslead", "parts", "warranty", "cashier", "care", "info", "manager2", "director"]
APPS = {"aftersales", "reception", "workshop", "parts", "settlement", "complaints", "kpi"}


def _counts():
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label in APPS}


def test_seed_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", verbosity=0)
    assert not Staff.objects.exists()


def test_seed_demo_builds_the_demo_through_the_services_and_a_second_run_changes_nothing(settings, monkeypatch):
    monkeypatch.setattr(D, "DAYS", 16)  # reaches back past the KPI re-roll of the day 15 days ago
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    first = _counts()
    _organisation()
    _front_desk()
    _parts()
    _workshop()
    _settlement()
    _customer_care()
    settings.DEBUG = False  # a second run, forced with DEBUG off, changes nothing
    call_command("seed_demo", "--force", verbosity=0)
    assert _counts() == first


def _organisation():
    for login in LOGINS:
        person = Staff.objects.get(username=login)
        assert person.check_password("demo-pass-2026"), login
    tech = Staff.objects.get(username="tech1")
    assert tech.reports_to.username == "dispatcher"
    assert tech.reports_to.reports_to.username == "manager"
    assert Staff.objects.get(username="manager2").station.code == "hz-xihu"
    assert Staff.objects.get(username="director").position == "group_director"


def _front_desk():
    pudong = Station.objects.get(code="sh-pudong")
    assert LabourOperation.objects.filter(station=pudong).count() >= 150
    assert Customer.objects.filter(station=pudong).count() == 300
    assert Vehicle.objects.filter(station=pudong).count() == 400
    assert all(vin_problem(vin) is None for vin in Vehicle.objects.values_list("vin", flat=True))
    assert all(is_valid_plate(p) for p in Vehicle.objects.values_list("plate", flat=True))
    assert set(WorkOrder.objects.values_list("status", flat=True)) == set(WorkOrder.Status.values)


def _parts():
    assert Part.objects.count() >= 500
    assert Part.objects.filter(part_number__startswith="04152-").exists()
    for balance in StockBalance.objects.all():
        moved = StockMove.objects.filter(part=balance.part, warehouse=balance.warehouse).aggregate(s=Sum("quantity"))
        assert balance.on_hand == (moved["s"] or 0), balance.part.part_number
    assert not StockBalance.objects.filter(on_hand__lt=F("reserved")).exists()
    for station in Station.objects.all():
        quick = Warehouse.objects.get(station=station, code="QUICK")
        assert quick.name == "快修二级库" and not quick.is_main
        moves_in = StockMove.objects.filter(warehouse=quick, kind=StockMove.Kind.TRANSFER_IN)
        assert moves_in.count() >= 3 and {m.by.position for m in moves_in} == {"parts_lead"}
        lost = LostSale.objects.filter(station=station)
        assert lost.count() == 30
        assert {row.outcome for row in lost} == {"lost", "emergency"}
        assert len({row.by_id for row in lost}) == 2 and len({row.part_id for row in lost}) >= 5
        assert all(timezone.now() - timedelta(days=61) < row.at <= timezone.now() for row in lost)
        assert PartsEvent.objects.filter(station=station, kind__startswith="lost_sale.").count() == 30
        assert Stocktake.objects.get(station=station, status=Stocktake.Status.COUNTING).lines.exists()
    # Orders ready for settlement had their parts issued through the counter: the reconciliation has nothing open
    # for the parts that came from stock (unless the shelf really is empty), and the stock moves carry the order line.
    ready = WorkOrder.objects.filter(status="ready", lines__kind="part", lines__demand__filled_from_stock=True).distinct()
    assert ready.exists()
    for order in ready:
        stocked = [p for p in reconcile(order=order).parts if p.line.demand.filled_from_stock]
        for check in stocked:
            free = sum(b.on_hand - b.reserved for b in StockBalance.objects.filter(part=check.line.part))
            assert check.matches or free < check.line_quantity - check.issued_quantity, order.number
    assert StockMove.objects.filter(kind="issue", line__order__in=ready).exists()


def _workshop():
    for model in (Bay, JobAssignment, ClockEntry, Attendance, QualityCheck):
        assert model.objects.exists(), model.__name__
    # Jobs run on the board now: at most one per technician, each on an order in progress.
    running = ClockEntry.objects.filter(ended_at__isnull=True)
    assert 1 <= running.count() == len({entry.technician_id for entry in running})
    assert all(entry.order.status == "in_progress" for entry in running)
    assert Comeback.objects.exists()


def _settlement():
    ready = WorkOrder.objects.filter(status="ready")
    assert not Statement.objects.filter(order__in=ready).exists()  # ready: left for the cashier
    for station in Station.objects.all():
        numbers = list(Statement.objects.filter(station=station, kind="statement").order_by("issued_at", "id")
                       .values_list("number", flat=True))
        assert [int(n[-6:]) for n in numbers] == list(range(1, len(numbers) + 1))
    delivered = WorkOrder.objects.filter(status="delivered")
    assert Payment.objects.filter(statement__order__in=delivered).exists()
    assert all(order.delivery.handed_over_at == order.delivered_at for order in delivered)
    assert WorkOrder.objects.filter(warranty_claims__isnull=False).exists()
    assert WorkOrder.objects.filter(insurance_claim__assessed_at__isnull=False).exists()


def _customer_care():
    pudong = Station.objects.get(code="sh-pudong")
    assert set(Complaint.objects.filter(station=pudong).values_list("state", flat=True)) == set(Complaint.State.values)
    assert Complaint.objects.filter(station=pudong, is_crisis=True).exists()
    delivered = WorkOrder.objects.filter(station=pudong, status="delivered").count()
    assert FollowUpCall.objects.filter(station=pudong).count() == delivered
    assert FollowUpCall.objects.filter(station=pudong, status="reached").exists()
