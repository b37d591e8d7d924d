"""Workshop board benchmark: a busy station with 300 orders on the floor.

300 orders (open, in progress, at QC) × 3 labour lines + 1 part line, 12 technicians, 8 bays, dispatch for most
lines, clock entries (running, paused, finished), pending findings and a few failed inspections. Times the board page
(``/workshop/board/``, full page and the htmx partial) through the Django test client as the dispatcher.
Target: p95 < 100 ms server time.

Data is generated once into its own database (bulk_create); a second run reuses it.

    .venv/bin/python bench/workshop_board.py [runs]   # DATABASE_URL defaults to .../aftersales_bench_workshop
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal

import _common

DB_NAME = "aftersales_bench_workshop"
_common.configure(DB_NAME)

ORDERS = 300
TECHNICIANS = 12
BAYS = 8
STATION_CODE = "bench-workshop"


def generate():
    from django.db import transaction
    from django.utils import timezone

    from org.models import DealerGroup, Position, Staff, Station
    from reception.models import Customer, Vehicle, WorkOrder, WorkOrderLine
    from workshop.models import Bay, ClockEntry, Finding, JobAssignment, QualityCheck

    station = Station.objects.filter(code=STATION_CODE).first()
    if station is not None:
        return station, Staff.objects.get(username="bench-dispatcher")
    rng = random.Random(2026)
    now = timezone.now()
    S = WorkOrder.Status
    with transaction.atomic():
        group, _ = DealerGroup.objects.get_or_create(code="bench", defaults={"name": "基准集团"})
        station = Station.objects.create(group=group, code=STATION_CODE, name="基准维修站")
        dispatcher = Staff.objects.create_user(
            "bench-dispatcher", password="bench-pass-2026", station=station, group=group,
            position=Position.WORKSHOP_LEAD, display_name="调度",
        )
        advisor = Staff.objects.create_user(
            "bench-advisor", password="bench-pass-2026", station=station, group=group,
            position=Position.SERVICE_ADVISOR, display_name="顾问",
        )
        techs = [
            Staff.objects.create_user(
                f"bench-tech{i}", password="bench-pass-2026", station=station, group=group,
                position=Position.TECHNICIAN, display_name=f"技师{i}",
            )
            for i in range(TECHNICIANS)
        ]
        bays = Bay.objects.bulk_create(
            [Bay(station=station, code=f"A{i + 1}", name=f"{i + 1}号举升机") for i in range(BAYS)]
        )
        customers = Customer.objects.bulk_create(
            [Customer(station=station, name=f"客户{i}", mobile=f"138{i:08d}") for i in range(ORDERS)]
        )
        vehicles = Vehicle.objects.bulk_create(
            [
                Vehicle(station=station, owner=c, vin=f"LBENCH{i:011d}", plate=f"沪B{i:05d}", model="Camry")
                for i, c in enumerate(customers)
            ]
        )
        statuses = [S.OPEN] * 90 + [S.IN_PROGRESS] * 170 + [S.QUALITY_CHECK] * 40
        orders = WorkOrder.objects.bulk_create(
            [
                WorkOrder(
                    station=station, number=f"BW{i:06d}", status=statuses[i], customer=c, vehicle=v, advisor=advisor,
                    promised_at=now + timedelta(minutes=rng.randint(-90, 600)), signed_at=now - timedelta(hours=2),
                )
                for i, (c, v) in enumerate(zip(customers, vehicles, strict=True))
            ]
        )
        lines = []
        for order in orders:
            for n in range(3):
                lines.append(
                    WorkOrderLine(
                        order=order, kind="labour", description=f"工时项目{n}", hours=Decimal("1.50"),
                        unit_price=Decimal("300"), position=n,
                    )
                )
            lines.append(
                WorkOrderLine(order=order, kind="part", description="机油滤清器", quantity=Decimal("1"),
                              unit_price=Decimal("80"), position=3)
            )
        lines = WorkOrderLine.objects.bulk_create(lines)
        labour = [ln for ln in lines if ln.kind == "labour"]
        assignments, entries, running = [], [], set()
        for line in labour:
            order = line.order
            if order.status == S.OPEN and rng.random() < 0.5:
                continue
            tech = techs[rng.randrange(TECHNICIANS)]
            assignments.append(
                JobAssignment(station=station, order=order, line=line, technician=tech, bay=bays[rng.randrange(BAYS)],
                              assigned_by=dispatcher)
            )
            if order.status == S.OPEN:
                continue
            start = now - timedelta(minutes=rng.randint(60, 300))
            if order.status == S.IN_PROGRESS and tech.pk not in running and rng.random() < 0.3:
                running.add(tech.pk)
                entries.append(ClockEntry(station=station, order=order, line=line, technician=tech, started_at=start))
            else:
                end = rng.choice(["off", "off", "waiting_parts", "break", "waiting_approval"])
                if order.status == S.QUALITY_CHECK:
                    end = "off"
                entries.append(
                    ClockEntry(station=station, order=order, line=line, technician=tech, started_at=start,
                               ended_at=start + timedelta(minutes=rng.randint(20, 90)), end=end)
                )
        JobAssignment.objects.bulk_create(assignments)
        ClockEntry.objects.bulk_create(entries)
        Finding.objects.bulk_create(
            [
                Finding(station=station, order=o, vehicle_id=o.vehicle_id, description="刹车片磨损", found_by=techs[0])
                for o in orders[::10]
            ]
        )
        QualityCheck.objects.bulk_create(
            [
                QualityCheck(station=station, order=o, attempt=1, inspector=dispatcher, result="failed", reason="异响")
                for o in orders[::15]
                if o.status != S.OPEN
            ]
        )
    return station, dispatcher


def main() -> None:
    _common.ensure_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client

    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = False  # the test client speaks plain HTTP
    t0 = time.perf_counter()
    station, dispatcher = generate()
    print(f"data ready in {time.perf_counter() - t0:.1f} s (station {station.code}, {ORDERS} orders on the floor)")
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    client = Client()
    client.force_login(dispatcher)
    cases = [
        ("built every time (cache off)", 0, "full page", {}),
        ("built every time (cache off)", 0, "htmx refresh", {"HTTP_HX_REQUEST": "true"}),
        ("cached 15 s (several screens polling)", 15, "htmx refresh", {"HTTP_HX_REQUEST": "true"}),
    ]
    for mode, seconds, label, headers in cases:
        settings.WORKSHOP_BOARD_CACHE_SECONDS = seconds
        for _ in range(5):
            warm = client.get("/workshop/board/", **headers)
            assert warm.status_code == 200, (warm.status_code, warm.get("Location"))
        timings, cpu = [], []
        for _ in range(runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get("/workshop/board/", **headers)
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            assert response.status_code == 200
        connection.force_debug_cursor = True
        reset_queries()
        client.get("/workshop/board/", **headers)
        queries = list(connection.queries)
        connection.force_debug_cursor = False
        timings.sort()
        cpu.sort()
        p50 = statistics.median(timings)
        p95 = _common.p95(timings)
        verdict = "OK" if p95 < 100 else "SLOW"
        print(f"board, {mode}, {label}: {runs} runs, best {timings[0]:.1f} ms, p50 {p50:.1f} ms, p95 {p95:.1f} ms "
              f"(Python CPU p50 {statistics.median(cpu):.1f} ms, p95 {_common.p95(cpu):.1f} ms), "
              f"{len(queries)} queries, {len(response.content) // 1024} KiB — target p95 < 100 ms: {verdict}")
    print(f"load average while measuring: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
