from __future__ import annotations

from decimal import Decimal

import pytest

from parts.factories import PartFactory
from reception.factories import CustomerFactory, LabourOperationFactory, VehicleFactory


@pytest.fixture
def frank(alice):
    return alice.reports_to


@pytest.fixture
def customer(station):
    return CustomerFactory(station=station, name="王先生", mobile="13812345678")


@pytest.fixture
def vehicle(station, customer):
    return VehicleFactory(station=station, owner=customer, plate="沪A12345", mileage=20000)


@pytest.fixture
def oil_change(station):
    return LabourOperationFactory(station=station, code="MT001", name_zh="更换机油机滤", standard_hours=Decimal("0.5"),
                                  rate_customer=Decimal("300"), rate_warranty=Decimal("200"))


@pytest.fixture
def order(station, alice, customer, vehicle):
    from reception.services.orders import order_receive

    return order_receive(station=station, by=alice, customer=customer, vehicle=vehicle, concerns=["刹车有异响"],
                         mileage_in=21000, fuel_level="50")


@pytest.fixture
def part(station):

    return PartFactory(station=station, part_number="04465-33471", name_zh="前刹车片", cost=Decimal("180"),
                               list_price=Decimal("320"))


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Signatures, scans and photos written by tests go to a temporary folder, not the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def car(station):
    """A loaner of the station, 150.00 a day."""
    from reception.factories import LoanerFactory

    return LoanerFactory(station=station, plate="沪L00007", daily_rate=Decimal("150.00"))


@pytest.fixture
def t0():
    """Tomorrow, now (whole seconds): a loaner booking's start."""
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now().replace(microsecond=0) + timedelta(days=1)
