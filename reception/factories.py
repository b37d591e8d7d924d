"""The one place tests and benches build reception's rows: customers, vehicles, the labour catalogue, appointments,
work orders and their lines, discount approvals.

Rows are written straight to the database in the state asked for (``WorkOrderFactory(ready=True)``), without going
through reception's services, so other departments' tests do not depend on the front desk's flow. A test of a flow
itself uses the services (``order_receive`` …), not these.

Traits of ``WorkOrderFactory``: ``signed`` (open, signed now, promised in six hours — what the workshop gets),
``ready`` (ready for settlement), ``delivered`` (handed back yesterday). Traits of ``WorkOrderLineFactory``:
``labour``, ``spare`` (a part line with a new catalogue part) and the default, a sublet line. ``labour_line``,
``part_line`` and ``sublet_line`` add one line of each kind to an order with the price and payer given as text.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from org.factories import StaffFactory, StationFactory
from parts.factories import PartFactory
from reception.customer_loss import lost_customer_months, month_start
from reception.models import (
    Appointment,
    Customer,
    DiscountApproval,
    LabourOperation,
    Loaner,
    LoanerBooking,
    PickupJob,
    Vehicle,
    WorkOrder,
    WorkOrderLine,
)
from reception.services.validation import with_check_digit


def _vin(n: int) -> str:
    return with_check_digit(f"LFV3A23C0R{n:07d}"[:17])


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    station = factory.SubFactory(StationFactory)
    name = factory.Sequence(lambda n: f"客户{n}")
    mobile = factory.Sequence(lambda n: f"1357{n:07d}")
    email = factory.Sequence(lambda n: f"customer{n}@example.com")


class VehicleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vehicle

    station = factory.SubFactory(StationFactory)
    owner = factory.SubFactory(CustomerFactory, station=factory.SelfAttribute("..station"))
    vin = factory.Sequence(_vin)
    plate = factory.Sequence(lambda n: f"沪R{n % 100000:05d}")
    make = "丰田"
    model = "凯美瑞"
    year = 2021
    mileage = 10000


class LabourOperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LabourOperation
        django_get_or_create = ("station", "code")

    station = factory.SubFactory(StationFactory)
    code = factory.Sequence(lambda n: f"LB{n:04d}")
    name_zh = "更换机油机滤"
    name_en = "Oil and oil filter change"
    category = "保养"
    standard_hours = Decimal("0.50")
    rate_customer = Decimal("300.00")
    rate_warranty = Decimal("200.00")
    rate_insurance = Decimal("280.00")
    rate_internal = Decimal("150.00")


class WorkOrderFactory(factory.django.DjangoModelFactory):
    """An order of one station: its vehicle, that vehicle's owner as the customer, and an advisor of the station.

    Pass ``vehicle=`` (the customer follows) or both ``vehicle=`` and ``customer=``; ``opened_at=`` backdates it."""

    class Meta:
        model = WorkOrder
        skip_postgeneration_save = True

    class Params:
        signed = factory.Trait(
            status=WorkOrder.Status.OPEN,
            signed_at=factory.LazyFunction(timezone.now),
            promised_at=factory.LazyFunction(lambda: timezone.now() + timedelta(hours=6)),
        )
        ready = factory.Trait(status=WorkOrder.Status.READY)
        delivered = factory.Trait(
            status=WorkOrder.Status.DELIVERED,
            delivered_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1)),
        )

    station = factory.SubFactory(StationFactory)
    number = factory.Sequence(lambda n: f"WOT{n:08d}")
    vehicle = factory.SubFactory(VehicleFactory, station=factory.SelfAttribute("..station"))
    customer = factory.SelfAttribute("vehicle.owner")
    advisor = factory.SubFactory(StaffFactory, station=factory.SelfAttribute("..station"), position="service_advisor")
    mileage_in = 12000
    fuel_level = WorkOrder.Fuel.HALF

    @factory.post_generation
    def opened_at(obj, create, extracted, **kwargs):
        """``opened_at=`` backdates the order (the field is stamped on insert, so it is set after)."""
        if create and extracted:
            WorkOrder.objects.filter(pk=obj.pk).update(opened_at=extracted)
            obj.opened_at = extracted


class WorkOrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkOrderLine

    class Params:
        labour = factory.Trait(
            kind=WorkOrderLine.Kind.LABOUR,
            description=factory.Sequence(lambda n: f"维修项目{n}"),
            hours=Decimal("1.50"),
            unit_price=Decimal("300.00"),
        )
        spare = factory.Trait(
            kind=WorkOrderLine.Kind.PART,
            part=factory.SubFactory(PartFactory, station=factory.SelfAttribute("..order.station")),
            description=factory.SelfAttribute("part.name_zh"),
            unit_price=Decimal("68.00"),
        )

    order = factory.SubFactory(WorkOrderFactory)
    kind = WorkOrderLine.Kind.SUBLET
    description = "四轮定位（外加工）"
    quantity = Decimal("1")
    unit_price = Decimal("200.00")


def labour_line(order: WorkOrder, *, operation: LabourOperation | None = None, hours: str = "1.00",
                price: str = "300.00", payer: str = "customer", **kw) -> WorkOrderLine:
    """A labour line: of ``operation``, or of a new catalogue operation of the order's station."""
    op = operation or LabourOperationFactory(station=order.station)
    kw.setdefault("description", op.name_zh)
    return WorkOrderLineFactory(order=order, labour=True, labour_operation=op, hours=Decimal(hours),
                                unit_price=Decimal(price), payer=payer, **kw)


def part_line(order: WorkOrder, *, part=None, qty: str = "1", price: str = "68.00", payer: str = "customer",
              **kw) -> WorkOrderLine:
    """A part line: of ``part``, or of a new catalogue part of the order's station."""
    part = part or PartFactory(station=order.station)
    kw.setdefault("description", part.name_zh)
    return WorkOrderLineFactory(order=order, spare=True, part=part, quantity=Decimal(qty), unit_price=Decimal(price),
                                payer=payer, **kw)


def sublet_line(order: WorkOrder, *, price: str = "500.00", payer: str = "customer", **kw) -> WorkOrderLine:
    kw.setdefault("description", "四轮定位（外协）")
    return WorkOrderLineFactory(order=order, unit_price=Decimal(price), payer=payer, **kw)


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    station = factory.SubFactory(StationFactory)
    vehicle = factory.SubFactory(VehicleFactory, station=factory.SelfAttribute("..station"))
    customer = factory.SelfAttribute("vehicle.owner")
    advisor = factory.SubFactory(StaffFactory, station=factory.SelfAttribute("..station"))
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=2))
    concern = "保养"
    booked_hours = Decimal("1.00")


class DiscountApprovalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiscountApproval

    order = factory.SubFactory(WorkOrderFactory)
    line = factory.SubFactory(WorkOrderLineFactory, order=factory.SelfAttribute("..order"))
    discount_pct = Decimal("20")
    requested_by = factory.SubFactory(StaffFactory)


# --- loaner cars (issue 19, item 10) ---------------------------------------------------------------------------------


class LoanerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Loaner

    station = factory.SubFactory(StationFactory)
    plate = factory.Sequence(lambda n: f"沪L{n:05d}")
    model_name = "Golf"
    daily_rate = Decimal("200.00")


class LoanerBookingFactory(factory.django.DjangoModelFactory):
    """A booked loaner for tomorrow 9:00–18:00 (pass ``loaner=`` and ``order=`` of one station)."""

    class Meta:
        model = LoanerBooking

    loaner = factory.SubFactory(LoanerFactory)
    order = factory.SubFactory(WorkOrderFactory, station=factory.SelfAttribute("..loaner.station"))
    station = factory.SelfAttribute("loaner.station")
    starts_at = factory.LazyFunction(lambda: timezone.now().replace(hour=1, minute=0, second=0, microsecond=0)
                                     + timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=9))


class PickupJobFactory(factory.django.DjangoModelFactory):
    """A planned pick-up for an order (pass ``order=`` and a ``driver=`` of its station), tomorrow 0:00–1:00 UTC."""

    class Meta:
        model = PickupJob

    order = factory.SubFactory(WorkOrderFactory)
    station = factory.SelfAttribute("order.station")
    driver = factory.SubFactory(StaffFactory, station=factory.SelfAttribute("..order.station"))
    window_start = factory.LazyFunction(lambda: timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
                                        + timedelta(days=1))
    window_end = factory.LazyAttribute(lambda o: o.window_start + timedelta(hours=1))
    pickup_address = "上海市徐汇区漕溪北路1号"
    delivery_address = "上海市徐汇区漕溪北路1号"


def lost_customer(*, station, month=None, **fields) -> Customer:
    """A customer lost by the 客户流失率 definition for ``month`` (default this month): one delivered visit on the
    10th of month N−7 at the station, none since."""
    cohort, _watch, _end = lost_customer_months(month or month_start(timezone.localdate()))
    customer = CustomerFactory(station=station, **fields)
    vehicle = VehicleFactory(station=station, owner=customer)
    opened = timezone.make_aware(datetime(cohort.year, cohort.month, 10, 9, 0))
    WorkOrderFactory(station=station, vehicle=vehicle, customer=customer, status=WorkOrder.Status.DELIVERED,
                     delivered_at=opened + timedelta(hours=5), opened_at=opened)
    return customer
