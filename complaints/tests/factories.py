"""Factories for customer-care tests. Reception's records are built directly (their factories are theirs)."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.utils import timezone

from reception.models import Customer, Vehicle, WorkOrder

_seq = itertools.count(1)


def make_customer(station, **kw) -> Customer:
    n = next(_seq)
    fields = {"name": f"客户{n}", "mobile": f"1370{n:07d}", "email": f"care-customer{n}@example.com"}
    fields.update(kw)
    return Customer.objects.create(station=station, **fields)


def make_vehicle(station, customer, **kw) -> Vehicle:
    n = next(_seq)
    fields = {"vin": f"LCC{n:014d}", "plate": f"沪C{n:05d}", "make": "Toyota", "model": "Camry", "mileage": 20000}
    fields.update(kw)
    return Vehicle.objects.create(station=station, owner=customer, **fields)


def make_order(station, advisor, *, customer=None, vehicle=None, status=WorkOrder.Status.DELIVERED, delivered_at=None,
               **kw) -> WorkOrder:
    n = next(_seq)
    customer = customer or make_customer(station)
    vehicle = vehicle or make_vehicle(station, customer)
    if status == WorkOrder.Status.DELIVERED and delivered_at is None:
        delivered_at = timezone.now() - timedelta(days=1)
    return WorkOrder.objects.create(
        station=station, number=f"CCWO{n:08d}", status=status, customer=customer, vehicle=vehicle, advisor=advisor,
        delivered_at=delivered_at, mileage_in=vehicle.mileage, **kw,
    )
