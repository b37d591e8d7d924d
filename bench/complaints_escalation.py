"""Customer-care benchmark: the escalation beat task and the follow-up call queue on a large station.

20,000 delivered orders, each with a follow-up call (2,000 of them open), and 20,000 complaints of which 2,000 are
open and past their response deadline. Times:
  - ``complaints.tasks.escalate_overdue`` on the first run (escalates every breach: a record + notifications each),
  - the same task again (nothing new: must stay one query, target < 200 ms),
  - the call queue (``/complaints/calls/``) and the complaint list (``/complaints/?overdue=yes``) through the
    Django test client as the customer-relations specialist (target p95 < 300 ms).

Data is generated once into its own database (bulk_create); escalations are reset before each run.

    .venv/bin/python bench/complaints_escalation.py [runs]   # DATABASE_URL defaults to .../aftersales_bench_care
"""

from __future__ import annotations

import random
import sys
import time
from datetime import timedelta

import _common

DB_NAME = "aftersales_bench_care"
_common.configure(DB_NAME)

ORDERS = 20_000
OPEN_CALLS = 2_000
COMPLAINTS = 20_000
OVERDUE = 2_000
STATION_CODE = "bench-care"


def generate():
    from django.db import transaction
    from django.utils import timezone

    from complaints.models import Complaint, FollowUpCall
    from org.models import DealerGroup, Position, Staff, Station
    from reception.models import Customer, Vehicle, WorkOrder

    station = Station.objects.filter(code=STATION_CODE).first()
    if station is not None:
        return station, Staff.objects.get(username="bench-care")
    rng = random.Random(2026)
    now = timezone.now()
    with transaction.atomic():
        group, _ = DealerGroup.objects.get_or_create(code="bench", defaults={"name": "基准集团"})
        station = Station.objects.create(group=group, code=STATION_CODE, name="基准维修站")

        def person(login, position, boss=None):
            return Staff.objects.create_user(login, password="bench-pass-2026", station=station, group=group,
                                             position=position, display_name=login, reports_to=boss)

        manager = person("bench-manager", Position.STATION_MANAGER)
        lead = person("bench-lead", Position.FRONT_DESK_LEAD, manager)
        advisors = [person(f"bench-advisor{i}", Position.SERVICE_ADVISOR, lead) for i in range(6)]
        care = person("bench-care", Position.CUSTOMER_RELATIONS, manager)
        customers = Customer.objects.bulk_create(
            Customer(station=station, name=f"客户{i}", mobile=f"1350{i:07d}") for i in range(ORDERS // 4)
        )
        vehicles = Vehicle.objects.bulk_create(
            Vehicle(station=station, owner=c, vin=f"BENCHCARE{i:08d}", plate=f"沪B{i:05d}")
            for i, c in enumerate(customers)
        )
        orders = WorkOrder.objects.bulk_create(
            WorkOrder(station=station, number=f"BC{i:08d}", status=WorkOrder.Status.DELIVERED,
                      customer=customers[i % len(customers)], vehicle=vehicles[i % len(vehicles)],
                      advisor=advisors[i % len(advisors)], delivered_at=now - timedelta(days=rng.randint(0, 365)))
            for i in range(ORDERS)
        )
        calls = []
        for i, order in enumerate(orders):
            due = order.delivered_at + timedelta(days=3)
            status = FollowUpCall.Status.PENDING if i < OPEN_CALLS else FollowUpCall.Status.REACHED
            if i < OPEN_CALLS:
                due = now + timedelta(hours=rng.randint(-96, 96))
            calls.append(FollowUpCall(station=station, order=order, customer_id=order.customer_id,
                                      advisor_id=order.advisor_id, status=status, delivered_at=order.delivered_at,
                                      due_at=due, next_attempt_at=due, expires_at=due + timedelta(days=12)))
        FollowUpCall.objects.bulk_create(calls, batch_size=5000)
        complaints = []
        for i in range(COMPLAINTS):
            order = orders[i]
            overdue = i < OVERDUE
            received = now - timedelta(hours=rng.randint(30, 60)) if overdue else now - timedelta(days=rng.randint(5, 365))
            complaints.append(Complaint(
                station=station, number=f"BTS{i:08d}", source="phone", category="quality", severity=1,
                state=Complaint.State.RECEIVED if overdue else Complaint.State.CLOSED, customer_id=order.customer_id,
                vehicle_id=order.vehicle_id, order=order, subject=f"投诉{i}", description="…",
                owner=advisors[i % len(advisors)], received_by=care, received_at=received,
                response_due=received + timedelta(hours=24), resolution_due=received + timedelta(days=7),
                closed_at=None if overdue else received + timedelta(days=2),
            ))
        Complaint.objects.bulk_create(complaints, batch_size=5000)
    return station, care


def reset():
    from complaints.models import Complaint, ComplaintEvent, Escalation
    from core.models import Notification

    Escalation.objects.filter(complaint__station__code=STATION_CODE).delete()
    ComplaintEvent.objects.filter(complaint__station__code=STATION_CODE, kind="escalated").delete()
    Notification.objects.filter(station__code=STATION_CODE).delete()
    from org.models import Staff

    advisors = list(Staff.objects.filter(username__startswith="bench-advisor").order_by("username"))
    for i, complaint_id in enumerate(
        Complaint.objects.filter(station__code=STATION_CODE, state="received").order_by("number").values_list(
            "pk", flat=True)
    ):
        Complaint.objects.filter(pk=complaint_id).update(owner=advisors[i % len(advisors)])


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    _common.ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    station, care = generate()
    print(f"data ready in {time.perf_counter() - t0:.1f} s")
    reset()
    from complaints import tasks

    start = time.perf_counter()
    first = tasks.escalate_overdue()
    print(f"escalate_overdue, first run: {first} escalations in {(time.perf_counter() - start):.2f} s")
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        again = tasks.escalate_overdue()
        took = (time.perf_counter() - start) * 1000
    print(f"escalate_overdue, second run: {again} escalations, {len(queries)} queries, {took:.0f} ms")
    client = Client()
    client.force_login(care)
    for name, url in [("call queue", "/complaints/calls/"), ("overdue complaints", "/complaints/?overdue=yes")]:
        assert client.get(url, secure=True).status_code == 200
        times = sorted(_common.timed(lambda url=url: client.get(url, secure=True), runs))
        print(f"{name}: median {_common.median(times):.0f} ms, p95 {_common.p95(times):.0f} ms over {runs} runs")


if __name__ == "__main__":
    main()
