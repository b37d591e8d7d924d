from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from org.tests.factories import StaffFactory, StationFactory
from reception.models import (
    Appointment,
    Customer,
    DiscountApproval,
    LabourOperation,
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
    class Meta:
        model = WorkOrder

    station = factory.SubFactory(StationFactory)
    number = factory.Sequence(lambda n: f"WOT{n:08d}")
    vehicle = factory.SubFactory(VehicleFactory, station=factory.SelfAttribute("..station"))
    customer = factory.SelfAttribute("vehicle.owner")
    advisor = factory.SubFactory(StaffFactory, station=factory.SelfAttribute("..station"))
    mileage_in = 12000
    fuel_level = WorkOrder.Fuel.HALF


class WorkOrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkOrderLine

    order = factory.SubFactory(WorkOrderFactory)
    kind = WorkOrderLine.Kind.SUBLET
    description = "四轮定位（外加工）"
    unit_price = Decimal("200.00")


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
