"""seed_demo: the whole demo through the services, on a shortened history (the full half year takes minutes).

The assertions are those of the per-app demo tests it replaces (reception, parts, workshop, settlement, complaints
and the seed command), checked on one seeded database; then a second run must change nothing.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db.models import F, Sum
from django.utils import timezone
from stdnum.cn import uscc

from complaints import retention_selectors as retention_lists
from complaints.models import Complaint, FollowUpCall, RetentionCall
from demo import data as D
from kpi.models import PurchaseTarget
from kpi.registry import KPIS
from kpi.selectors import period_of, station_totals
from org.models import Staff, Station
from parts.models import (
    LostSale,
    Part,
    PartsEvent,
    PurchaseOrder,
    ReceiptLine,
    ScrapRequest,
    StationTransfer,
    StockBalance,
    StockMove,
    Stocktake,
    SupplierReturn,
    Warehouse,
)
from reception.models import Customer, LabourOperation, OrderPhoto, Vehicle, WorkOrder
from reception.services.validation import is_valid_plate, vin_problem
from settlement.models import (
    Allocation,
    Coupon,
    CreditLimitApproval,
    FleetContract,
    FleetDriver,
    Invoice,
    PackageSale,
    PackageUse,
    Payment,
    Statement,
    VoucherDay,
    WarrantyClaim,
    WarrantyClaimEvent,
    WarrantyClaimPhoto,
)
from settlement.services.reconcile import reconcile
from workshop.models import Attendance, Bay, ClockEntry, Comeback, Finding, FindingPhoto, JobAssignment, QualityCheck

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


def test_seed_demo_builds_the_demo_through_the_services_and_a_second_run_changes_nothing(settings, monkeypatch,
                                                                                           tmp_path, request):
    # The demo plays each day up to now: today's orders reach their later states (ready, settled, delivered) only
    # once enough of the day has passed — not just after midnight, and not always by mid-afternoon (measured: none
    # settled at 11:00 or 16:00 on a Monday). Seeded as at 20:00 local, whenever the test runs.
    traveller = time_machine.travel(timezone.make_aware(datetime.combine(timezone.localdate(), time(20))), tick=True)
    traveller.start()
    request.addfinalizer(traveller.stop)
    monkeypatch.setattr(D, "DAYS", 16)  # reaches back past the KPI re-roll of the day 15 days ago
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path  # the photos go through the storage API: here, a disk of the test's own
    call_command("seed_demo", verbosity=0)
    first = _counts()
    _organisation()
    _front_desk()
    _toyota_cars()
    _parts()
    _purchasing()
    _returns_and_scrap()
    _workshop()
    _findings()
    _photos()
    _settlement()
    _warranty_histories()
    _customer_care()
    _ledger()
    _retention()
    _packages()
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
    # VAT invoices recorded through the services: special ones (专票) with a valid taxpayer number, none beyond what
    # the payer settled, and some statements still waiting for theirs
    invoices = Invoice.objects.all()
    assert invoices.filter(invoice_type="special").exists() and invoices.filter(electronic=True).exists()
    assert all(uscc.is_valid(i.tax_id) for i in invoices.exclude(tax_id=""))
    for invoice in invoices.filter(statement__isnull=False).select_related("statement"):
        assert invoice.amount <= invoice.statement.due
    # and a counter sale's through the same path, never above what was paid on it
    counter_invoices = invoices.filter(counter_sale__isnull=False).select_related("counter_sale")
    assert counter_invoices.exists()
    assert all(i.amount <= i.counter_sale.paid for i in counter_invoices)
    assert Statement.objects.filter(kind="statement", payer="customer", invoices__isnull=True).exists()


def _retention():
    pudong = Station.objects.get(code="sh-pudong")
    assert not Customer.objects.filter(station=pudong, grade="").exists()  # every customer graded
    assert pudong.grading_rules.lost_months == 7
    assert Vehicle.objects.filter(station=pudong, insurance_expiry__isnull=False).count() >= 100
    calls = RetentionCall.objects.filter(station=pudong)
    # (the shortened history has no car due for service yet nor a customer at risk: insurance calls only)
    assert "insurance" in set(calls.values_list("kind", flat=True))
    assert calls.filter(kind="insurance", insurance_expiry__isnull=False).exists()
    # win-back: this month's lost customers called with every outcome, one of them back since the call
    win_back = {c.pk: c for c in retention_lists.win_back(pudong)}
    called = calls.filter(kind="win_back")
    assert set(called.values_list("outcome", flat=True)) == {"will_come", "refused", "unreachable", "moved",
                                                             "sold_car"}
    assert set(called.values_list("customer_id", flat=True)) < set(win_back)  # some left to call
    first_comer = called.filter(outcome="will_come").order_by("at", "pk").first().customer_id
    assert [c.pk for c in win_back.values() if c.back_at] == [first_comer]


def _customer_care():
    pudong = Station.objects.get(code="sh-pudong")
    assert set(Complaint.objects.filter(station=pudong).values_list("state", flat=True)) == set(Complaint.State.values)
    assert Complaint.objects.filter(station=pudong, is_crisis=True).exists()
    delivered = WorkOrder.objects.filter(station=pudong, status="delivered").count()
    assert FollowUpCall.objects.filter(station=pudong).count() == delivered
    assert FollowUpCall.objects.filter(station=pudong, status="reached").exists()


def _toyota_cars():
    """A Toyota 4S store services Toyota cars (of either joint venture), nothing of other brands."""
    toyota_models = {"卡罗拉", "卡罗拉双擎", "亚洲龙", "RAV4荣放", "皇冠陆放", "普拉多", "奕泽", "bZ3", "凯美瑞",
                     "凯美瑞双擎", "汉兰达", "雷凌", "致炫", "威兰达", "赛那", "bZ4X"}
    for station in Station.objects.filter(name__contains="丰田"):
        cars = Vehicle.objects.filter(station=station)
        assert cars.count() == 400
        assert set(cars.values_list("make", flat=True)) <= {"一汽丰田", "广汽丰田"}, station.code
        assert set(cars.values_list("model", flat=True)) <= toyota_models, station.code
        assert cars.filter(vin__startswith="LFM").count() != cars.filter(vin__startswith="LVG").count()


def _purchasing():
    """The weekly orders go out and the receipts are booked against them; the purchase target reads at most 100 %."""
    for station in Station.objects.all():
        orders = PurchaseOrder.objects.filter(station=station)
        assert orders.exists(), station.code
        assert orders.filter(status="received").exists(), station.code
        receipts = StockMove.objects.filter(station=station, kind="receipt")
        assert receipts.exists()
        numbers = set(orders.values_list("number", flat=True))
        assert set(receipts.values_list("reference", flat=True)) <= numbers
        assert ReceiptLine.objects.filter(receipt__order__station=station).count() == receipts.count()
        for line in ReceiptLine.objects.filter(receipt__order__station=station).select_related("po_line"):
            assert line.po_line.received_qty <= line.po_line.quantity
        for target in PurchaseTarget.objects.filter(station=station):
            totals = station_totals([station.pk], period_of("month", target.month), trailing=False)[station.pk]
            achieved = KPIS["purchase_achievement"].value(totals)
            assert achieved is not None and achieved <= 1, (station.code, target.month, achieved)
        # late against the supplier's lead time (demo/network.py): the overdue list has something to show
        assert orders.filter(due_date__lt=timezone.localdate(), status__in=["ordered", "partly_received"]).count() == 2
    # transfers between the two stations: received, on the road, drafted
    assert sorted(StationTransfer.objects.values_list("status", flat=True)) == ["draft", "received", "shipped"]
    for station in Station.objects.all():
        assert any(KPIS["purchase_achievement"].value(
            station_totals([station.pk], period_of("month", t.month), trailing=False)[station.pk]) > Decimal("0.5")
            for t in PurchaseTarget.objects.filter(station=station))


def _returns_and_scrap():
    for station in Station.objects.all():
        returns = SupplierReturn.objects.filter(station=station)
        assert returns.exists(), station.code
        assert StockMove.objects.filter(station=station, kind__in=["supplier_return", "repair_out"]).count() == (
            returns.count())
        scraps = ScrapRequest.objects.filter(station=station)
        assert scraps.filter(status="requested").exists(), station.code  # one waits for the station manager
        assert StockMove.objects.filter(station=station, kind="scrap").count() == scraps.filter(
            status="approved").count()


def _findings():
    """About one visit in five brings a technician's finding; some are approved and done as additional work."""
    worked = WorkOrder.objects.filter(clock_entries__isnull=False).distinct().count()
    found = Finding.objects.count()
    assert worked >= 50
    assert 0.15 <= found / worked <= 0.25, (found, worked)
    approved = Finding.objects.filter(decision="approved")
    assert approved.exists() and Finding.objects.filter(decision="declined").exists()
    done = ClockEntry.objects.filter(line__is_additional=True, ended_at__isnull=False)
    assert done.exists()
    assert all(f.photos.exists() for f in Finding.objects.all())


def _photos():
    """Walk-around, finding and claim photos: small JPEGs stored through the storage API (no local paths)."""
    for model in (OrderPhoto, FindingPhoto, WarrantyClaimPhoto):
        photos = list(model.objects.all()[:20])
        assert photos, model.__name__
        for item in photos:
            assert not item.image.name.startswith("/")
            assert default_storage.exists(item.image.name)
            with default_storage.open(item.image.name) as stored:
                data = stored.read()
            assert data[:3] == b"\xff\xd8\xff" and len(data) < 30_000
    inspected = WorkOrder.objects.filter(pre_inspection__isnull=False).count()
    assert WorkOrder.objects.filter(photos__isnull=False).distinct().count() >= inspected // 2


def _warranty_histories():
    """Claims read like real ones: submitted with a note, decided one to three weeks later with the carmaker's words,
    paid against a settlement; no placeholder text."""
    events = WarrantyClaimEvent.objects.all()
    assert events.filter(new_status="submitted", kind="transition").exists()
    assert not events.filter(note__contains="演示数据").exists()
    assert not events.filter(kind="transition").filter(note="").exists()
    for claim in WarrantyClaim.objects.exclude(decided_at=None):
        assert claim.decided_at - claim.submitted_at >= timedelta(days=7), claim.number
        assert claim.decision_note
    for claim in WarrantyClaim.objects.exclude(status="draft"):
        kinds = list(claim.events.values_list("kind", flat=True))
        assert kinds[:4] == ["created", "edited", "photo", "appraisal"], (claim.number, kinds)
        assert claim.photos.exists()


def _packages():
    """Issue 19 item 8: packages sold with one service used on an open order each, coupons issued."""
    for station in Station.objects.all():
        assert PackageSale.objects.filter(station=station).exists()
        assert Coupon.objects.filter(station=station).count() == 2
    assert PackageUse.objects.count() == PackageSale.objects.count()
    assert all(use.line.payer == "internal" for use in PackageUse.objects.select_related("line"))


def _ledger():
    """Issue 18: contracts with drivers, remittances applied, a credit waiting, a week of balanced voucher days."""
    assert FleetContract.objects.count() >= 2 and FleetDriver.objects.count() == 2 * FleetContract.objects.count()
    assert Allocation.objects.exists()
    fleet_billed = Statement.objects.filter(order__customer__kind="fleet", payer="customer").exists()
    assert CreditLimitApproval.objects.filter(status="pending").exists() == fleet_billed
    days = VoucherDay.objects.all()
    assert days.count() == 7 * Station.objects.count() and all(d.debit == d.credit for d in days)
