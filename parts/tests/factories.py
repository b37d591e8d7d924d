from __future__ import annotations

import itertools
from decimal import Decimal

import factory

from org.tests.factories import StaffFactory, StationFactory
from parts.models import Part, Supplier, Warehouse


class PartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Part

    station = factory.SubFactory(StationFactory)
    part_number = factory.Sequence(lambda n: f"04152-{n:05d}")
    brand = "TOYOTA"
    name_zh = factory.Sequence(lambda n: f"机油滤清器{n}")
    name_en = factory.Sequence(lambda n: f"Oil filter {n}")
    cost = Decimal("40.0000")
    list_price = Decimal("68.00")


class WarehouseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Warehouse

    station = factory.SubFactory(StationFactory)
    code = factory.Sequence(lambda n: f"WH{n}")
    name = factory.Sequence(lambda n: f"仓库{n}")


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    station = factory.SubFactory(StationFactory)
    code = factory.Sequence(lambda n: f"SUP{n}")
    name = factory.Sequence(lambda n: f"一汽丰田配件中心{n}")


_ORDER_SEQ = itertools.count(1)


def work_order(*, station, advisor=None, status: str = "open"):
    """A minimal work order of this station (reception's own factories may not exist yet)."""
    from reception.models import Customer, Vehicle, WorkOrder

    n = next(_ORDER_SEQ)
    advisor = advisor or StaffFactory(station=station, position="service_advisor")
    customer = Customer.objects.create(station=station, name=f"客户{n}", mobile=f"1397{n:07d}")
    vehicle = Vehicle.objects.create(station=station, owner=customer, vin=f"LPTST{n:012d}", plate=f"沪P{n:05d}")
    return WorkOrder.objects.create(
        station=station, number=f"PTWO{n:08d}", status=status, customer=customer, vehicle=vehicle, advisor=advisor
    )


def part_line(*, order, part, quantity="1", unit_price="68.00"):
    from reception.models import WorkOrderLine

    return WorkOrderLine.objects.create(
        order=order, kind="part", part=part, description=part.name_zh, quantity=Decimal(quantity),
        unit_price=Decimal(unit_price),
    )
