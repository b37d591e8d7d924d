"""No page makes one query per row: every page of the role table makes as many queries at 10× its rows as at 1×.

Each page has a row builder (``grow(n)`` adds n of what the page lists: orders, lines, calls, moves …) and the
position that opens it; ``tests.querycount.assert_flat`` compares the two counts and prints the SQL that repeats."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from complaints.factories import ComplaintFactory, FollowUpCallFactory
from complaints.models import ComplaintEvent
from complaints.services.retention import retention_call_record
from kpi.models import PayGrade, PayStatement, TechnicianGrade
from org.factories import StationFactory
from org.models import GROUP_POSITIONS, Position
from org.permissions import PERMISSIONS
from parts.factories import PartFactory, SupplierFactory, WarehouseFactory
from parts.models import (
    PartsRequest,
    PurchaseOrder,
    PurchaseOrderLine,
    StationTransfer,
    StationTransferLine,
    StockBalance,
    StockMove,
)
from reception.factories import (
    AppointmentFactory,
    VehicleFactory,
    WorkOrderFactory,
    labour_line,
    lost_customer,
    part_line,
)
from reception.models import MileageReading, WorkOrder
from settlement.factories import StatementFactory, WarrantyClaimFactory
from settlement.models import Coupon
from settlement.services.counter_sales import package_sell
from settlement.services.packages import package_use
from tests.querycount import assert_flat
from workshop.factories import BayFactory, ClockEntryFactory, FindingFactory, JobAssignmentFactory

pytestmark = pytest.mark.django_db


class World:
    """One station's people and the fixed records that detail pages add rows to."""

    def __init__(self, station, make_staff):
        self.station = station
        self.staff = {}
        self.make_staff = make_staff
        self.warehouse = WarehouseFactory(station=station)
        self.bay = BayFactory(station=station)
        self.customer_vehicle = VehicleFactory(station=station)
        self.customer = self.customer_vehicle.owner
        self.order = WorkOrderFactory(station=station, vehicle=self.customer_vehicle, signed=True,
                                      advisor=self.person("service_advisor"))
        self.po = PurchaseOrder.objects.create(station=station, warehouse=self.warehouse, number="PO-1",
                                               supplier=SupplierFactory(station=station),
                                               created_by=self.person("parts_lead"))
        self.stock_part = self.stocked_part()
        self.complaint = ComplaintFactory(station=station, customer=self.customer, owner=self.person("customer_relations"))

    def person(self, position: str):
        if position not in self.staff:
            self.staff[position] = self.make_staff(position, username=f"qc-{position}")
        return self.staff[position]

    # -- rows ---------------------------------------------------------------------------------------------------
    def stocked_part(self, qty: str = "5"):
        part = PartFactory(station=self.station)
        StockBalance.objects.create(warehouse=self.warehouse, part=part, station=self.station, on_hand=Decimal(qty),
                                    min_qty=Decimal("10"))
        return part

    def orders(self, n: int) -> None:
        """n of everything the front desk, the workshop, parts, the cashier and care list."""
        advisor, tech = self.person("service_advisor"), self.person("technician")
        now = timezone.now()
        for i in range(n):
            vehicle = VehicleFactory(station=self.station)
            for status in ("open", "in_progress", "quality_check", "ready"):
                order = WorkOrderFactory(station=self.station, vehicle=vehicle, advisor=advisor, signed=True,
                                         status=status)
                labour = labour_line(order)
                line = part_line(order, part=self.stocked_part())
                PartsRequest.objects.create(station=self.station, line=line, quantity=Decimal("1"),
                                            requested_by=tech)
                JobAssignmentFactory(line=labour, technician=tech, bay=self.bay, assigned_by=self.person("workshop_lead"))
                ClockEntryFactory(line=labour, technician=tech, started_at=now - timedelta(minutes=30 + i),
                                  ended_at=now - timedelta(minutes=5), end="off")
            FindingFactory(order=order, found_by=tech)
            AppointmentFactory(station=self.station, vehicle=vehicle, advisor=advisor, start=now + timedelta(minutes=i))
            delivered = WorkOrderFactory(station=self.station, vehicle=vehicle, advisor=advisor, delivered=True)
            FollowUpCallFactory(order=delivered, due_at=now - timedelta(hours=1), next_attempt_at=now - timedelta(hours=1))
            StatementFactory(order=WorkOrderFactory(station=self.station, vehicle=vehicle, advisor=advisor,
                                                    status="settled"))
            WarrantyClaimFactory(order=WorkOrderFactory(station=self.station, vehicle=vehicle, advisor=advisor,
                                                        status="settled"))
            ComplaintFactory(station=self.station, owner=self.person("customer_relations"))

    def order_lines(self, n: int) -> None:
        for _ in range(n):
            labour = labour_line(self.order)
            part_line(self.order, part=self.stocked_part())
            JobAssignmentFactory(line=labour, technician=self.person("technician"), bay=self.bay,
                                 assigned_by=self.person("workshop_lead"))

    def customer_rows(self, n: int) -> None:
        """More vehicles, orders, appointments, follow-up calls and complaints of one customer."""
        for _ in range(n):
            vehicle = VehicleFactory(station=self.station, owner=self.customer)
            WorkOrderFactory(station=self.station, vehicle=vehicle, advisor=self.person("service_advisor"))
            AppointmentFactory(station=self.station, vehicle=vehicle, advisor=self.person("service_advisor"),
                               start=timezone.now())
            FollowUpCallFactory(order=WorkOrderFactory(station=self.station, vehicle=vehicle, delivered=True,
                                                       advisor=self.person("service_advisor")))
            ComplaintFactory(station=self.station, customer=self.customer, owner=self.person("customer_relations"))

    def vehicle_rows(self, n: int) -> None:
        for i in range(n):
            WorkOrderFactory(station=self.station, vehicle=self.customer_vehicle, advisor=self.person("service_advisor"))
            MileageReading.objects.create(vehicle=self.customer_vehicle, km=20000 + i * 100 + MileageReading.objects.count(),
                                          by=self.person("service_advisor"))

    def po_lines(self, n: int) -> None:
        for _ in range(n):
            PurchaseOrderLine.objects.create(order=self.po, part=self.stocked_part(), quantity=Decimal("2"))

    def parts_rows(self, n: int) -> None:
        for _ in range(n):
            part = self.stocked_part("1")
            StockMove.objects.create(station=self.station, warehouse=self.warehouse, part=part,
                                     kind=StockMove.Kind.RECEIPT, quantity=Decimal("1"), unit_cost=part.cost,
                                     balance_after=Decimal("1"), at=timezone.now())
            PurchaseOrder.objects.create(station=self.station, warehouse=self.warehouse,
                                         number=f"PO-{PurchaseOrder.objects.count() + 1}", supplier=self.po.supplier,
                                         created_by=self.person("parts_lead"))

    def overdue_pos(self, n: int) -> None:
        """n placed purchase orders, due three days ago, with a line each."""
        due = timezone.localdate() - timedelta(days=3)
        for _ in range(n):
            po = PurchaseOrder.objects.create(
                station=self.station, warehouse=self.warehouse, number=f"PO-{PurchaseOrder.objects.count() + 1}",
                supplier=self.po.supplier, created_by=self.person("parts_lead"), status="ordered",
                ordered_at=timezone.now() - timedelta(days=6), due_date=due)
            PurchaseOrderLine.objects.create(order=po, part=self.stocked_part(), quantity=Decimal("2"))

    def station_transfer_rows(self, n: int) -> None:
        """n transfers to another station of the group, shipped, with a line each."""
        other = StationFactory(code="qc-other", group=self.station.group)
        lead = self.person("parts_lead")
        for i in range(n):
            t = StationTransfer.objects.create(number=f"DB-{StationTransfer.objects.count() + 1}-{i}",
                                               from_station=self.station, to_station=other, created_by=lead,
                                               status="shipped", shipped_by=lead, shipped_at=timezone.now())
            StationTransferLine.objects.create(transfer=t, part=self.stocked_part(), quantity=Decimal("1"))

    def part_moves(self, n: int) -> None:
        for _ in range(n):
            StockMove.objects.create(station=self.station, warehouse=self.warehouse, part=self.stock_part,
                                     kind=StockMove.Kind.RECEIPT, quantity=Decimal("1"), unit_cost=self.stock_part.cost,
                                     balance_after=Decimal("1"), at=timezone.now(), by=self.person("parts_lead"))

    def complaint_rows(self, n: int) -> None:
        for _ in range(n):
            ComplaintEvent.objects.create(complaint=self.complaint, kind="note", by=self.person("customer_relations"),
                                          note="回访")

    def retention_rows(self, n: int) -> None:
        """n of each retention list's rows (due vehicle, lost customer, insurance expiring), each with a call."""
        care = self.person("customer_relations")
        for _ in range(n):
            vehicle = VehicleFactory(station=self.station, insurance_expiry=timezone.localdate() + timedelta(days=9))
            order = WorkOrderFactory(station=self.station, vehicle=vehicle, status="delivered")
            WorkOrder.objects.filter(pk=order.pk).update(delivered_at=timezone.now() - timedelta(days=200))
            for kind, outcome in (("service", "unreachable"), ("insurance", "unreachable")):
                retention_call_record(kind=kind, by=care, vehicle=vehicle, customer=vehicle.owner, outcome=outcome)
            retention_call_record(kind="win_back", by=care, customer=lost_customer(station=self.station),
                                  outcome="will_come")

    def pay_rows(self, n: int) -> None:
        """n technicians on a grade with an approved pay statement of this month."""
        lead = self.person("workshop_lead")
        grade = PayGrade.objects.get_or_create(station=self.station, name="中级", defaults={"rate": Decimal("30")})[0]
        for _ in range(n):
            tech = self.make_staff("technician")
            TechnicianGrade.objects.create(technician=tech, grade=grade, set_by=lead)
            PayStatement.objects.create(station=self.station, technician=tech, month=timezone.localdate().replace(day=1),
                                        grade_name="中级", approved_by=lead, approved_at=timezone.now())

    def package_rows(self, n: int) -> None:
        """n packages sold, each with one service used, and n coupons, one of them redeemed."""
        advisor = self.person("service_advisor")
        day = timezone.localdate()
        for i in range(n):
            vehicle = VehicleFactory(station=self.station)
            order = WorkOrderFactory(station=self.station, vehicle=vehicle, signed=True, advisor=advisor)
            sale = package_sell(station=self.station, customer=vehicle.owner, vehicle=vehicle, by=advisor,
                                name="机油保养3次", uses_total=3, price=Decimal("999"), valid_until=day)
            package_use(sale=sale, line=labour_line(order), by=advisor)
            Coupon.objects.create(station=self.station, code=f"QC{Coupon.objects.count()}", kind="amount",
                                  value=Decimal("50"), valid_from=day, valid_until=day, created_by=advisor,
                                  used_order=order if i == 0 else None, used_at=timezone.now() if i == 0 else None)


# page name, URL args (from the world), position, builder
PAGES = [
    ("reception:order_list", None, "station_manager", "orders"),
    ("reception:customer_list", None, "service_advisor", "orders"),
    ("reception:appointments", None, "service_advisor", "orders"),
    ("reception:index", None, "service_advisor", "orders"),
    ("reception:customer_detail", "customer", "service_advisor", "customer_rows"),
    ("reception:vehicle_detail", "customer_vehicle", "service_advisor", "vehicle_rows"),
    ("reception:order_detail", "order", "service_advisor", "order_lines"),
    ("workshop:board", None, "workshop_lead", "orders"),
    ("workshop:dispatch", None, "workshop_lead", "orders"),
    ("workshop:my_jobs", None, "technician", "orders"),
    ("workshop:qc", None, "qc_inspector", "orders"),
    ("workshop:qc_order", "order", "qc_inspector", "order_lines"),
    ("workshop:findings", None, "service_advisor", "orders"),
    ("parts:index", None, "parts_clerk", "orders"),
    ("parts:order_pick", "order", "parts_clerk", "order_lines"),
    ("parts:stock_list", None, "parts_lead", "parts_rows"),
    ("parts:low_stock", None, "parts_lead", "parts_rows"),
    ("parts:po_list", None, "parts_lead", "parts_rows"),
    ("parts:po_detail", "po", "parts_lead", "po_lines"),
    ("settlement:desk", None, "cashier", "orders"),
    ("settlement:order", "order", "cashier", "order_lines"),
    ("settlement:claims", None, "warranty_clerk", "orders"),
    ("complaints:index", None, "customer_relations", "orders"),
    ("complaints:detail", "complaint", "customer_relations", "complaint_rows"),
    ("complaints:calls", None, "customer_relations", "orders"),
    ("complaints:due_service", None, "customer_relations", "retention_rows"),
    ("complaints:win_back", None, "customer_relations", "retention_rows"),
    ("complaints:insurance", None, "customer_relations", "retention_rows"),
    ("kpi:index", None, "station_manager", "orders"),
    # position None: the first position allowed to open the page
    ("reception:appointment_week", None, None, "orders"),
    ("reception:welcome_board", None, None, "orders"),
    ("reception:search", None, None, "orders"),
    ("workshop:comebacks", None, None, "orders"),
    ("workshop:roster", None, None, "orders"),
    ("parts:suggested", None, None, "parts_rows"),
    ("parts:lost_sale_list", None, None, "parts_rows"),
    ("parts:stocktake_list", None, None, "parts_rows"),
    ("parts:scrap_list", None, None, "parts_rows"),
    ("parts:transfer_list", None, None, "parts_rows"),
    ("parts:po_overdue", None, "parts_lead", "overdue_pos"),
    ("parts:station_transfers", None, "parts_lead", "station_transfer_rows"),
    ("parts:part_detail", "stock_part", None, "part_moves"),
    ("settlement:credit_requests", None, None, "orders"),
    ("settlement:appraisal_queue", None, None, "orders"),
    ("complaints:reminders", None, None, "orders"),
    ("kpi:group", None, "group_director", "orders"),
    ("kpi:appraisals", None, None, "orders"),
    ("kpi:pay", None, "workshop_lead", "pay_rows"),
    ("settlement:packages", None, "cashier", "package_rows"),
    ("settlement:coupons", None, "cashier", "package_rows"),
]


def _position_for(url: str) -> str:
    action = getattr(resolve(url).func, "required_action", None)
    for position in Position.values:
        if position not in GROUP_POSITIONS and action in PERMISSIONS.get(position, frozenset()):
            return position
    raise AssertionError(f"no position may open {url}")


@pytest.mark.parametrize("name, arg, position, builder", PAGES, ids=[p[0] for p in PAGES])
def test_page_queries_do_not_grow_with_rows(client_as, station, make_staff, name, arg, position, builder):
    world = World(station, make_staff)
    url = reverse(name, args=[getattr(world, arg).pk] if arg else [])
    client = client_as(world.person(position or _position_for(url)))
    params = {"q": "沪R"} if name == "reception:search" else None
    few, many = assert_flat(client, url, getattr(world, builder), params=params)
    assert few > 0
    assert WorkOrder.objects.filter(station=station).exists()
