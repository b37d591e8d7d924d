"""Factories for the workshop's tests: the reception records they need are built here directly (an order in a given
state, without going through reception's services), so these tests do not depend on the front desk's flow."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from org.tests.factories import StaffFactory, StationFactory
from reception.models import Customer, LabourOperation, Vehicle, WorkOrder, WorkOrderLine
from workshop.models import Bay


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    station = factory.SubFactory(StationFactory)
    name = factory.Sequence(lambda n: f"客户{n}")
    mobile = factory.Sequence(lambda n: f"1388{n:07d}")


class VehicleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vehicle

    station = factory.SelfAttribute("owner.station")
    owner = factory.SubFactory(CustomerFactory)
    vin = factory.Sequence(lambda n: f"LWSHP40K{n:09d}")  # a prefix of our own: other apps build vehicles too
    plate = factory.Sequence(lambda n: f"沪W{n:05d}")
    make = "Toyota"
    model = "Camry"


class LabourOperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LabourOperation
        django_get_or_create = ("station", "code")

    station = factory.SubFactory(StationFactory)
    code = factory.Sequence(lambda n: f"L{n:04d}")
    name_zh = factory.Sequence(lambda n: f"工时项目{n}")
    name_en = factory.Sequence(lambda n: f"Labour operation {n}")
    standard_hours = Decimal("1.50")
    rate_customer = Decimal("300.00")
    rate_warranty = Decimal("200.00")
    rate_insurance = Decimal("280.00")
    rate_internal = Decimal("150.00")


class WorkOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkOrder

    station = factory.SubFactory(StationFactory)
    number = factory.Sequence(lambda n: f"WS{n:06d}")
    status = WorkOrder.Status.OPEN
    customer = factory.SubFactory(CustomerFactory, station=factory.SelfAttribute("..station"))
    vehicle = factory.SubFactory(
        VehicleFactory, owner=factory.SelfAttribute("..customer"), station=factory.SelfAttribute("..station")
    )
    advisor = factory.SubFactory(
        StaffFactory, station=factory.SelfAttribute("..station"), position="service_advisor"
    )
    promised_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=6))
    signed_at = factory.LazyFunction(timezone.now)


class LabourLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkOrderLine

    order = factory.SubFactory(WorkOrderFactory)
    kind = WorkOrderLine.Kind.LABOUR
    description = factory.Sequence(lambda n: f"维修项目{n}")
    hours = Decimal("1.50")
    quantity = Decimal("1")
    unit_price = Decimal("300.00")


class BayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bay
        django_get_or_create = ("station", "code")

    station = factory.SubFactory(StationFactory)
    code = factory.Sequence(lambda n: f"B{n:02d}")
    name = factory.Sequence(lambda n: f"工位{n}")
