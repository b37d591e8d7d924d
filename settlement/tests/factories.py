"""Factories for settlement tests: an order with lines in any state (set directly, as a fixture would)."""

from __future__ import annotations

from decimal import Decimal

import factory

from org.tests.factories import StaffFactory, StationFactory
from parts.models import Part
from reception.models import Customer, LabourOperation, Vehicle, WorkOrder, WorkOrderLine


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    station = factory.SubFactory(StationFactory)
    name = factory.Sequence(lambda n: f"客户{n}")
    mobile = factory.Sequence(lambda n: f"1362{n:07d}")
    preferred_language = "zh-hans"


class VehicleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vehicle

    station = factory.SelfAttribute("owner.station")
    owner = factory.SubFactory(CustomerFactory)
    vin = factory.Sequence(lambda n: f"LSTBE40K8GG{n:06d}")
    plate = factory.Sequence(lambda n: f"沪B{n:05d}")
    make = "丰田"
    model = "凯美瑞"
    year = 2022


class LabourOperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LabourOperation
        django_get_or_create = ("station", "code")

    station = factory.SubFactory(StationFactory)
    code = factory.Sequence(lambda n: f"L{n:04d}")
    name_zh = "更换机油及机滤"
    name_en = "Oil and filter change"
    standard_hours = Decimal("1.00")
    rate_customer = Decimal("300.00")
    rate_warranty = Decimal("240.00")
    rate_insurance = Decimal("300.00")
    rate_internal = Decimal("200.00")


class PartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Part
        django_get_or_create = ("station", "part_number")

    station = factory.SubFactory(StationFactory)
    part_number = factory.Sequence(lambda n: f"90915-YZZ{n:03d}")
    name_zh = "机油滤清器"
    name_en = "Oil filter"
    cost = Decimal("40.0000")
    list_price = Decimal("68.00")


class WorkOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkOrder

    station = factory.SubFactory(StationFactory)
    number = factory.Sequence(lambda n: f"WO{n:06d}")
    customer = factory.SubFactory(CustomerFactory, station=factory.SelfAttribute("..station"))
    vehicle = factory.SubFactory(VehicleFactory, owner=factory.SelfAttribute("..customer"))
    advisor = factory.SubFactory(StaffFactory, station=factory.SelfAttribute("..station"))
    status = WorkOrder.Status.READY
    mileage_in = 32000


class LineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkOrderLine

    order = factory.SubFactory(WorkOrderFactory)
    kind = WorkOrderLine.Kind.LABOUR
    description = "更换机油及机滤"
    quantity = Decimal("1")
    hours = Decimal("1.00")
    unit_price = Decimal("300.00")


def labour(order, *, hours="1.00", price="300.00", payer="customer", **kw) -> WorkOrderLine:
    op = LabourOperationFactory(station=order.station)
    return LineFactory(order=order, kind="labour", labour_operation=op, hours=Decimal(hours),
                       unit_price=Decimal(price), payer=payer, description=kw.pop("description", op.name_zh), **kw)


def part(order, *, qty="1", price="68.00", payer="customer", **kw) -> WorkOrderLine:
    p = PartFactory(station=order.station)
    return LineFactory(order=order, kind="part", part=p, quantity=Decimal(qty), hours=Decimal("0"),
                       unit_price=Decimal(price), payer=payer, description=kw.pop("description", p.name_zh), **kw)


def sublet(order, *, price="500.00", payer="customer", **kw) -> WorkOrderLine:
    return LineFactory(order=order, kind="sublet", quantity=Decimal("1"), hours=Decimal("0"), unit_price=Decimal(price),
                       payer=payer, description=kw.pop("description", "四轮定位（外协）"), **kw)
