"""Loaner cars (代步车) and pick-up and delivery (取送车) in the demo, through the services: a small fleet per station,
loaners booked, out and returned (one free of charge by the station manager) for today's open orders, and pick-up
jobs planned, picked up and delivered with the customer's signature and a photo.

A station that already has loaner cars is left alone (a second run changes nothing).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from demo.base import DemoContext
from demo.photos import photo
from demo.reception import SIGNATURE
from org.models import Position
from reception.models import Loaner, WorkOrder
from reception.services.loaners import loaner_book, loaner_create, loaner_hand_out, loaner_make_free, loaner_return
from reception.services.pickups import pickup_hand_over, pickup_plan

FLEET = [("L0001", "大众 朗逸", Decimal("150")), ("L0002", "大众 朗逸", Decimal("150")),
         ("L0003", "大众 帕萨特", Decimal("260"))]
ADDRESSES = ["徐汇区漕溪北路88号", "闵行区七莘路1000弄", "浦东新区张杨路500号", "长宁区虹桥路1386号"]


def seed_desk_services(ctx: DemoContext) -> None:
    for station in ctx.stations:
        if Loaner.objects.filter(station=station).exists():
            continue
        with transaction.atomic():
            _station(ctx, station)


def _station(ctx: DemoContext, station) -> None:
    manager = ctx.first(station, Position.STATION_MANAGER)
    desk = ctx.first(station, Position.SERVICE_ADVISOR, Position.RECEPTIONIST)
    prefix = station.code.split("-")[-1][:1].upper()
    cars = [loaner_create(station=station, by=manager, plate=f"沪{prefix}{plate}", model_name=model, daily_rate=rate)
            for plate, model, rate in FLEET]
    orders = list(WorkOrder.objects.filter(station=station, status__in=["open", "in_progress", "quality_check", "ready"]).order_by("-pk")[:4])
    if len(orders) < 4:
        return
    now = timezone.now().replace(second=0, microsecond=0)
    # returned yesterday after a day and a half: charged two days
    past = loaner_book(order=orders[0], loaner=cars[0], by=desk, starts_at=now - timedelta(days=3),
                       ends_at=now - timedelta(days=1))
    loaner_hand_out(booking=past, by=desk, mileage=18250, fuel=75, at=now - timedelta(days=3))
    loaner_return(booking=past, by=desk, mileage=18391, fuel=50, damage="右后保险杠轻微擦痕",
                  at=now - timedelta(days=1, hours=12))
    # out now, free of charge on the manager's goodwill (a comeback)
    out = loaner_book(order=orders[1], loaner=cars[1], by=desk, starts_at=now - timedelta(hours=3),
                      ends_at=now + timedelta(days=1))
    loaner_hand_out(booking=out, by=desk, mileage=9620, fuel=100, at=now - timedelta(hours=3))
    loaner_make_free(booking=out, by=manager, reason="返修车辆，免费提供代步车")
    # booked for tomorrow
    loaner_book(order=orders[2], loaner=cars[2], by=desk, starts_at=now + timedelta(days=1),
                ends_at=now + timedelta(days=2))
    drivers = [ctx.first(station, Position.RECEPTIONIST, Position.SERVICE_ADVISOR), desk]
    done = pickup_plan(by=desk, driver=drivers[0], order=orders[3], window_start=now - timedelta(hours=6),
                       window_end=now - timedelta(hours=5), pickup_address=ADDRESSES[0], delivery_address=ADDRESSES[0])
    pickup_hand_over(job=done, by=drivers[0], signature_png=SIGNATURE, note="外观无新损伤，油量1/2",
                     photo=photo("car", 1), at=now - timedelta(hours=5, minutes=30))
    pickup_hand_over(job=done, by=drivers[0], signature_png=SIGNATURE, note="已洗车，客户确认",
                     photo=photo("car", 2), at=now - timedelta(hours=1))
    pickup_plan(by=desk, driver=drivers[1], order=orders[2], window_start=now + timedelta(days=1, hours=1),
                window_end=now + timedelta(days=1, hours=2), pickup_address=ADDRESSES[1],
                delivery_address=ADDRESSES[2])
