"""A 20-station group over five years, and every page of the role table timed at that size and at demo size, in one run
(issue 15, item 4).

Generates once, with SQL ``INSERT … SELECT generate_series`` (not the ORM), into its own database
``aftersales_bench_scale``:

- group ``scale``: 20 stations. Station 1 has 200,000 customers and vehicles plus a fleet customer with 3,000
  vehicles and 20,000 parts; stations 2–20 have 95,000 customers and vehicles and 2,000 parts each — about 2 M
  customers + 2 M vehicles (4 M rows). 0.55 work orders per vehicle over five years (≈ 1.1 M), 4 or 5 lines each
  (≈ 5 M), every part stocked; per station 60 orders on the floor (open, in progress, at QC, ready) with job
  assignments, 40 coming appointments, a follow-up call for every order delivered in the last 30 days, one complaint
  per 100 orders of the history (closed);
- group ``scale-demo``: 20 stations of demo size (400 vehicles, 300 parts) with the same shape, so its director's
  group dashboard adds up as many stations as the big group's.

Every station has the same last week whatever its size (a demo-size station is one that opened lately with a big
station's daily traffic): the floor, ``RECENT`` orders delivered in the last week (so as many pending follow-up calls,
more than the call queue's 50 a section) and ``OPEN_COMPLAINTS`` open complaints (more than the list's page of 50).

``--fraction F`` scales every count except the fleet (3,000 vehicles) and the last week (60 orders on the floor, 40
appointments, 420 orders delivered, 60 open complaints)
— what a station has on a given day does not grow with its history. Then, for each page, as the person who lands on it
(``--runs`` timed requests after 2 warm-ups, Django test client), p50/p95 wall clock, median Python CPU time, response
size and query count at the big station and at the demo station, and the ratios of the p50s and of the CPU times.

    .venv/bin/python bench/scale.py --fraction 1 --runs 10     # full size: DATABASE_URL defaults to .../aftersales_bench_scale

A database built at one fraction is reused by later runs (drop it to build another size).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from dataclasses import dataclass
from types import SimpleNamespace

import _common

DB_NAME = "aftersales_bench_scale"
_common.configure(DB_NAME)

STATIONS = 20
FLEET = 3_000
FLOOR = {"open": 20, "in_progress": 20, "quality_check": 10, "ready": 10}  # orders on the floor, per station
APPOINTMENTS = 40
RECENT = 420  # orders delivered in the last week before the floor, per station (60 a day, the big station's rate)
OPEN_COMPLAINTS = 60  # open complaints per station, on last week's orders (more than the list's page of 50)
YEARS = 5
ORDERS_PER_VEHICLE = 0.55
PROVINCES = "沪浙苏京粤川"
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超"]
POSITIONS = {"service_advisor": 10, "technician": 10, "workshop_lead": 1, "qc_inspector": 1, "parts_lead": 1,
             "parts_clerk": 1, "customer_relations": 1, "station_manager": 1, "cashier": 1}
SEARCH_MIGRATIONS = ["reception.migrations.0003_search_indexes", "reception.migrations.0008_station_search_indexes"]


@dataclass(frozen=True)
class Sizes:
    big_vehicles: int
    other_vehicles: int
    big_parts: int
    other_parts: int
    demo_vehicles: int = 400
    demo_parts: int = 300
    demo_stations: int = STATIONS  # the demo group has as many stations as the big one: its director compares alike
    recent: int = RECENT
    open_complaints: int = OPEN_COMPLAINTS

    @classmethod
    def at(cls, fraction: float) -> Sizes:
        return cls(big_vehicles=max(100, round(200_000 * fraction)), other_vehicles=max(50, round(95_000 * fraction)),
                   big_parts=max(50, round(20_000 * fraction)), other_parts=max(20, round(2_000 * fraction)))


def _search_index_modules():
    from importlib import import_module

    out = []
    for name in SEARCH_MIGRATIONS:
        try:
            out.append(import_module(name))
        except ModuleNotFoundError:
            pass
    return out


def insert(c, model, exprs: dict[str, str], from_sql: str, params: dict | None = None, returning: str = "") -> None:
    """INSERT INTO model's table SELECT exprs FROM from_sql; every other NOT NULL column gets the model field's
    default (or '' for text, now() for auto timestamps), so a new required column fails here by name, not later."""
    from django.db import connection

    columns, values = [], []
    for field in model._meta.concrete_fields:
        column = field.column
        if column in exprs:
            columns.append(column)
            values.append(exprs[column])
        elif field.primary_key or field.null:
            continue
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            columns.append(column)
            values.append("now()")
        elif field.has_default():
            value = field.get_db_prep_save(field.get_default(), connection)
            columns.append(column)
            values.append(c.mogrify("%s", [value]).decode().replace("%", "%%"))
        elif field.get_internal_type() in ("CharField", "TextField"):
            columns.append(column)
            values.append("''")
        else:
            raise ValueError(f"{model._meta.db_table}.{column}: no value and no default")
    unknown = set(exprs) - set(columns)
    if unknown:
        raise ValueError(f"{model._meta.db_table}: no such columns {sorted(unknown)}")
    c.execute(f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {from_sql}"
              + (f" RETURNING {returning}" if returning else ""), params or {})


def load(c, sizes: Sizes, *, log=print) -> None:
    """Generate both groups (call inside a transaction)."""
    started = time.perf_counter()
    for module in _search_index_modules():
        for _table, name, _expr in module.INDEXES + getattr(module, "PREFIX_INDEXES", []):
            c.execute(f"DROP INDEX IF EXISTS {name}")  # rebuilt after the load: much faster than row by row
    plan = [("scale", k, sizes.big_vehicles if k == 1 else sizes.other_vehicles,
             sizes.big_parts if k == 1 else sizes.other_parts) for k in range(1, STATIONS + 1)]
    plan += [("scale-demo", k, sizes.demo_vehicles, sizes.demo_parts) for k in range(1, sizes.demo_stations + 1)]
    for group, k, vehicles, parts in plan:
        station_sizes(c, group, k, vehicles, parts, fleet=group == "scale" and k == 1, recent=sizes.recent,
                      open_complaints=sizes.open_complaints)
        log(f"{group} station {k}: {vehicles:,} vehicles, {parts:,} parts ({time.perf_counter() - started:.0f} s)")


def _group(c, code: str) -> int:
    from django.contrib.auth.hashers import make_password

    from org.models import DealerGroup, Staff

    c.execute("SELECT id FROM aftersales_dealergroup WHERE code = %s", [code])
    row = c.fetchone()
    if row:
        return row[0]
    insert(c, DealerGroup, {"code": "%(code)s", "name": "%(name)s"}, "(SELECT 1) one",
           {"code": code, "name": "规模基准集团" if code == "scale" else "演示规模集团"}, returning="id")
    group_id = c.fetchone()[0]
    insert(c, Staff, {"password": "%(pw)s", "username": "%(u)s", "position": "'group_director'",
                      "display_name": "'集团总监'", "group_id": "%(g)s", "is_active": "true",
                      "date_joined": "now()"},
           "(SELECT 1) one", {"pw": make_password("bench-pass-2026"), "u": f"{code}-director", "g": group_id})
    return group_id


def station_sizes(c, group: str, k: int, n_vehicles: int, n_parts: int, *, fleet: bool, recent: int = RECENT,
                  open_complaints: int = OPEN_COMPLAINTS) -> None:
    """One station: staff, customers, vehicles, parts and stock, five years of orders and lines, today's floor,
    appointments, follow-up calls, complaints.

    The last week is the same at every station whatever its size — the floor, ``recent`` orders delivered (so the same
    pending follow-up calls) and ``open_complaints`` open complaints — and the history before it scales with the
    station: a demo-size station is one that opened lately with a big station's daily traffic."""
    from django.contrib.auth.hashers import make_password

    from complaints.models import Complaint, FollowUpCall
    from org.models import Staff, Station
    from parts.models import Part, StockBalance, Warehouse
    from reception.models import Appointment, Customer, Vehicle, WorkOrder, WorkOrderLine
    from workshop.models import Bay, JobAssignment

    group_id = _group(c, group)
    code = f"{group}-{k}"
    insert(c, Station, {"group_id": "%(g)s", "code": "%(code)s", "name": "%(name)s", "vat_rate": "0.13",
                        "comeback_window_days": "30", "is_active": "true"},
           "(SELECT 1) one", {"g": group_id, "code": code, "name": f"{'规模' if group == 'scale' else '演示'}站{k}"},
           returning="id")
    sid = c.fetchone()[0]
    password = make_password("bench-pass-2026")
    staff: dict[str, list[int]] = {}
    for position, count in POSITIONS.items():
        insert(c, Staff, {"password": "%(pw)s", "username": "%(prefix)s || i", "position": "%(pos)s",
                          "display_name": "%(pos)s || i", "group_id": "%(g)s", "station_id": "%(s)s",
                          "is_active": "true", "date_joined": "now()"},
               "generate_series(1, %(n)s) i",
               {"pw": password, "prefix": f"{code}-{position}-", "pos": position, "g": group_id, "s": sid, "n": count},
               returning="id")
        staff[position] = sorted(row[0] for row in c.fetchall())
    names = {"surnames": list(SURNAMES), "given": GIVEN}
    insert(c, Customer, {
        "station_id": "%(sid)s",
        "name": """(%(surnames)s::text[])[(1 + (i * 7919) %% array_length(%(surnames)s::text[], 1))::int]
                   || (%(given)s::text[])[(1 + (i * 104729) %% array_length(%(given)s::text[], 1))::int]""",
        "mobile": "'1' || (3 + i %% 7)::text || lpad(i::text, 9, '0')"},
        "generate_series(1::bigint, %(n)s::bigint) i ORDER BY i", {"sid": sid, "n": n_vehicles, **names})
    c.execute("SELECT min(id) FROM reception_customer WHERE station_id = %s", [sid])
    first_customer = c.fetchone()[0]
    insert(c, Vehicle, {
        "station_id": "%(sid)s", "owner_id": "%(first)s + i - 1",
        "vin": """'LVG' || substr(upper(md5((i * %(k)s)::text)), 1, 5) || (i %% 10)::text || 'N'
                  || upper(substr(md5((i * 31)::text), 1, 1)) || lpad(i::text, 6, '0')""",
        "plate": """substr(%(provinces)s, (1 + (i + %(k)s) %% 6)::int, 1) || substr(%(letters)s, (1 + (i / 7) %% 24)::int, 1)
                    || lpad(((i * 7919 + %(k)s) %% 100000)::text, 5, '0')""",
        "make": "'丰田'", "model": "(ARRAY['凯美瑞','卡罗拉','RAV4','汉兰达','雷凌'])[(1 + i %% 5)::int]",
        "year": "2015 + (i %% 10)::int", "colour": "'白色'", "mileage": "((i * 13) %% 200000)::int"},
        "generate_series(1::bigint, %(n)s::bigint) i ORDER BY i",
        {"sid": sid, "first": first_customer, "k": k + (100 if group != "scale" else 0), "n": n_vehicles,
         "provinces": PROVINCES, "letters": LETTERS})
    if fleet:
        insert(c, Customer, {"station_id": "%(sid)s", "kind": "'company'", "name": "'上海东方出租汽车有限公司'",
                             "mobile": "'13900000000'"}, "(SELECT 1) one", {"sid": sid}, returning="id")
        fleet_id = c.fetchone()[0]
        insert(c, Vehicle, {"station_id": "%(sid)s", "owner_id": "%(o)s", "vin": "'LFLEET' || lpad(i::text, 11, '0')",
                            "plate": "'沪F' || lpad(i::text, 5, '0')", "make": "'大众'", "model": "'朗逸'",
                            "year": "2022", "colour": "'绿色'", "mileage": "50000"},
               "generate_series(1, %(n)s) i", {"sid": sid, "o": fleet_id, "n": FLEET})
    # parts and stock
    insert(c, Warehouse, {"station_id": "%(sid)s", "code": "'WH1'", "name": "'主仓库'", "is_main": "true"},
           "(SELECT 1) one", {"sid": sid}, returning="id")
    warehouse = c.fetchone()[0]
    insert(c, Part, {"station_id": "%(sid)s", "part_number": "'90915-' || lpad(i::text, 6, '0')",
                     "name_zh": "(ARRAY['机油滤清器','空气滤清器','火花塞','刹车片','雨刮片'])[(1 + i %% 5)::int] || i",
                     "name_en": "'Part ' || i", "cost": "40", "list_price": "68"},
           "generate_series(1, %(n)s) i", {"sid": sid, "n": n_parts})
    insert(c, StockBalance, {"station_id": "%(sid)s", "warehouse_id": "%(w)s", "part_id": "p.id",
                             "on_hand": "(p.id %% 20)", "min_qty": "2", "max_qty": "20",
                             "bin_location": "'A-' || lpad((p.id %% 99)::text, 2, '0')"},
           "parts_part p WHERE p.station_id = %(sid)s", {"sid": sid, "w": warehouse})
    insert(c, Bay, {"station_id": "%(sid)s", "code": "'B' || i", "name": "'工位' || i"},
           "generate_series(1, 8) i", {"sid": sid})
    # five years of orders, oldest first: the newest floor + recent in the last week, the newest 60 on the floor
    c.execute("SELECT min(id), count(*) FROM reception_vehicle WHERE station_id = %s", [sid])
    vmin, vcount = c.fetchone()
    orders = max(sum(FLOOR.values()) + recent + 10, round(n_vehicles * ORDERS_PER_VEHICLE))
    floor_status = []
    for status, count in FLOOR.items():
        floor_status += [status] * count
    insert(c, WorkOrder, {
        "created_at": "t.at", "updated_at": "t.at", "number": "'WO' || lpad(i::text, 9, '0')",
        "status": "CASE WHEN i > %(orders)s - %(floor)s THEN (%(fs)s::text[])[(i - %(orders)s + %(floor)s)::int] "
                  "ELSE 'delivered' END",
        "mileage_in": "v.mileage", "fuel_level": "'50'", "opened_at": "t.at", "signed_at": "t.at",
        "delivered_at": "CASE WHEN i > %(orders)s - %(floor)s THEN NULL ELSE t.at + interval '6 hours' END",
        "promised_at": "t.at + interval '8 hours'",
        "is_walk_in": "true", "advisor_id": "(%(staff)s::bigint[])[(1 + i %% %(advisors)s)::int]",
        "customer_id": "v.owner_id", "station_id": "%(sid)s", "vehicle_id": "v.id"},
        """generate_series(1::bigint, %(orders)s::bigint) i
           CROSS JOIN LATERAL (SELECT CASE WHEN i > %(orders)s - %(week)s
               THEN now() - make_interval(secs => (%(orders)s - i)::double precision * 604800 / %(week)s)
               ELSE now() - interval '8 days' - make_interval(secs => (%(orders)s - %(week)s - i)::double precision
                                                              * %(span)s / (%(orders)s - %(week)s)) END AS at) t
           JOIN reception_vehicle v ON v.id = %(vmin)s + (i * 7919) %% %(vcount)s""",
        {"orders": orders, "floor": len(floor_status), "fs": floor_status, "staff": staff["service_advisor"],
         "advisors": len(staff["service_advisor"]), "sid": sid, "vmin": vmin, "vcount": vcount,
         "week": len(floor_status) + recent,
         "span": YEARS * 365 * 86400})
    c.execute("SELECT min(id) FROM parts_part WHERE station_id = %s", [sid])
    pmin = c.fetchone()[0]
    # 4 or 5 lines an order: odd positions labour, even ones parts
    insert(c, WorkOrderLine, {
        "created_at": "o.opened_at", "updated_at": "o.opened_at", "order_id": "o.id",
        "kind": "CASE WHEN n %% 2 = 1 THEN 'labour' ELSE 'part' END",
        "description": "CASE WHEN n %% 2 = 1 THEN '保养项目' || n ELSE '机油滤清器' END",
        "quantity": "1", "hours": "CASE WHEN n %% 2 = 1 THEN 0.8 ELSE 0 END",
        "unit_price": "CASE WHEN n %% 2 = 1 THEN 300 ELSE 68 END", "unit_cost": "40", "approval": "'approved'",
        "position": "n", "part_id": "CASE WHEN n %% 2 = 0 THEN %(pmin)s + (o.id * 31 + n) %% %(parts)s END"},
        """reception_workorder o CROSS JOIN LATERAL generate_series(1, 4 + (o.id %% 2)::int) n
           WHERE o.station_id = %(sid)s""", {"sid": sid, "pmin": pmin, "parts": n_parts})
    # today's floor: every labour line of an order in progress or at QC assigned to a technician
    insert(c, JobAssignment, {"station_id": "%(sid)s", "order_id": "o.id", "line_id": "l.id",
                              "technician_id": "(%(techs)s::bigint[])[(1 + l.id %% %(n)s)::int]",
                              "assigned_by_id": "%(lead)s", "assigned_at": "now()"},
           """reception_workorderline l JOIN reception_workorder o ON o.id = l.order_id
              WHERE o.station_id = %(sid)s AND o.status IN ('in_progress', 'quality_check') AND l.kind = 'labour'""",
           {"sid": sid, "techs": staff["technician"], "n": len(staff["technician"]), "lead": staff["workshop_lead"][0]})
    insert(c, Appointment, {"station_id": "%(sid)s", "customer_id": "v.owner_id", "vehicle_id": "v.id",
                            "advisor_id": "(%(staff)s::bigint[])[(1 + i %% 10)::int]", "concern": "'常规保养'",
                            "start": "date_trunc('hour', now()) + make_interval(mins => (i * 30)::int)"},
           "generate_series(1, %(n)s) i JOIN reception_vehicle v ON v.id = %(vmin)s + i * 7",
           {"sid": sid, "staff": staff["service_advisor"], "n": APPOINTMENTS, "vmin": vmin})
    insert(c, FollowUpCall, {"station_id": "%(sid)s", "order_id": "o.id", "customer_id": "o.customer_id",
                             "delivered_at": "o.delivered_at", "due_at": "o.delivered_at + interval '3 days'",
                             "next_attempt_at": "o.delivered_at + interval '3 days'",
                             "expires_at": "o.delivered_at + interval '30 days'",
                             "status": "CASE WHEN o.delivered_at > now() - interval '7 days' THEN 'pending' "
                                       "ELSE 'reached' END"},
           """reception_workorder o WHERE o.station_id = %(sid)s AND o.status = 'delivered'
              AND o.delivered_at > now() - interval '30 days'""", {"sid": sid})
    # complaints: one per 100 orders of the history, closed; the newest open_complaints delivered orders, open
    insert(c, Complaint, {"station_id": "%(sid)s", "number": "'TS' || lpad(o.id::text, 10, '0')",
                          "source": "'phone'", "category": "'service'", "customer_id": "o.customer_id",
                          "order_id": "o.id", "subject": "'等待时间过长'", "description": "'客户反映交车延迟'",
                          "owner_id": "%(cr)s", "received_by_id": "%(cr)s", "received_at": "o.delivered_at",
                          "response_due": "o.delivered_at + interval '1 day'",
                          "resolution_due": "o.delivered_at + interval '7 days'",
                          "state": "CASE WHEN o.recent THEN 'received' ELSE 'closed' END"},
           """(SELECT *, row_number() OVER (ORDER BY delivered_at DESC) <= %(open)s AS recent FROM reception_workorder
               WHERE station_id = %(sid)s AND status = 'delivered') o WHERE o.recent OR o.id %% 100 = 0""",
           {"sid": sid, "cr": staff["customer_relations"][0], "open": open_complaints})


def generate(fraction: float, *, log=print) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    log(f"migrate: {time.perf_counter() - started:.0f} s")
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM aftersales_station WHERE code LIKE 'scale-%%'")
        if c.fetchone()[0]:
            return
        log(f"generating at fraction {fraction} …")
        started = time.perf_counter()
        with transaction.atomic():  # all or nothing: a failed load leaves nothing to skip next time
            load(c, Sizes.at(fraction), log=log)
        log(f"rows loaded in {time.perf_counter() - started:.0f} s")
        step = time.perf_counter()
        editor = SimpleNamespace(connection=connection, execute=c.execute)
        for module in _search_index_modules():
            module.create(None, editor)  # CREATE INDEX IF NOT EXISTS: built once, after the load
        c.execute("ANALYZE")
        log(f"search indexes and statistics in {time.perf_counter() - step:.0f} s; "
            f"generated in {time.perf_counter() - started:.0f} s")


def pages_of(station, group_code: str) -> list[tuple[str, object, str, dict]]:
    """(label, user, url, params) for each page of the role table at one station."""
    from django.urls import reverse

    from org.models import Staff
    from reception.models import Customer, WorkOrder

    def person(position):
        return Staff.objects.filter(station=station, position=position).order_by("id").first()

    advisor = person("service_advisor")
    order = (WorkOrder.objects.filter(station=station, status="in_progress", advisor=advisor).order_by("-id").first()
             or WorkOrder.objects.filter(station=station, status="in_progress").order_by("-id").first())
    customer = Customer.objects.filter(station=station, kind="individual").order_by("id").first()
    director = Staff.objects.get(username=f"{group_code}-director")
    return [
        ("front desk: desk", advisor, reverse("reception:index"), {}),
        ("front desk: order list", advisor, reverse("reception:order_list"), {}),
        ("front desk: customer list", advisor, reverse("reception:customer_list"), {}),
        ("front desk: customer page", advisor, reverse("reception:customer_detail", args=[customer.pk]), {}),
        ("front desk: vehicle page", advisor, reverse("reception:vehicle_detail", args=[order.vehicle_id]), {}),
        ("front desk: new order", advisor, reverse("reception:order_receive"), {}),
        ("front desk: new appointment", advisor, reverse("reception:appointment_create"), {}),
        ("front desk: appointments", advisor, reverse("reception:appointments"), {}),
        ("front desk: work order page", advisor, reverse("reception:order_detail", args=[order.pk]), {}),
        ("front desk: search (4-char plate)", advisor, reverse("reception:search"), {"q": "A123"}),
        # the same box with the same page at both sizes: "A123" finds 20 vehicles at the big station and none at a
        # demo station (two different pages); a VIN fragment finds a full page (20 vehicles, no customer) at both
        ("front desk: search (4-char VIN fragment)", advisor, reverse("reception:search"), {"q": "LVG0"}),
        ("workshop: board", person("workshop_lead"), reverse("workshop:board"), {}),
        ("workshop: dispatch", person("workshop_lead"), reverse("workshop:dispatch"), {}),
        ("workshop: my jobs", person("technician"), reverse("workshop:my_jobs"), {}),
        ("workshop: QC", person("qc_inspector"), reverse("workshop:qc"), {}),
        ("parts: parts desk", person("parts_clerk"), reverse("parts:index"), {}),
        ("parts: stock list", person("parts_lead"), reverse("parts:stock_list"), {}),
        ("care: call queue", person("customer_relations"), reverse("complaints:calls"), {}),
        ("care: complaints", person("customer_relations"), reverse("complaints:index"), {}),
        ("manager: station dashboard", person("station_manager"), reverse("kpi:index"), {}),
        ("manager: order list", person("station_manager"), reverse("reception:order_list"), {}),
        ("manager: group dashboard (director)", director, reverse("kpi:group"), {}),
        ("manager: group order list (director)", director, reverse("reception:order_list"), {}),
    ]


def measure(user, url, params, runs):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    for _ in range(2):
        client.get(url, params)
    times, cpu = [], []
    for _ in range(runs):
        wall, started = time.perf_counter(), time.process_time()
        client.get(url, params)
        cpu.append((time.process_time() - started) * 1000)
        times.append((time.perf_counter() - wall) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return times, statistics.median(cpu), len(ctx.captured_queries), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fraction", type=float, default=1.0, help="share of the full 5-year size (default 1)")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    _common.ensure_database()
    import django

    django.setup()
    from django.db import connection

    from org.models import Station

    generate(args.fraction, log=lambda s: print(s, flush=True))
    big, demo = Station.objects.get(code="scale-1"), Station.objects.get(code="scale-demo-1")
    with connection.cursor() as c:
        counts = {}
        for table in ("reception_customer", "reception_vehicle", "reception_workorder", "reception_workorderline",
                      "parts_part"):
            c.execute(f"SELECT count(*) FILTER (WHERE station_id = %s), count(*) FILTER (WHERE station_id = %s), "
                      f"count(*) FROM {table}" if table != "reception_workorderline" else
                      "SELECT count(*) FILTER (WHERE o.station_id = %s), count(*) FILTER (WHERE o.station_id = %s), "
                      "count(*) FROM reception_workorderline l JOIN reception_workorder o ON o.id = l.order_id",
                      [big.pk, demo.pk])
            counts[table] = c.fetchone()
    print("rows (big station / demo station / all):")
    for table, (b, d, a) in counts.items():
        print(f"  {table:26} {b:>10,} {d:>8,} {a:>11,}")
    print(f"{args.runs} runs per page after 2 warm-ups; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    header = (f"{'page':40} {'big p50':>8} {'p95':>7} {'cpu':>6} {'KB':>5} {'q':>4} │ {'demo p50':>8} {'p95':>7} "
              f"{'cpu':>6} {'KB':>5} {'q':>4} │ {'ratio':>5} {'cpu':>5}")
    print(header)
    rows = []
    for (label, user, url, params), (_l, duser, durl, dparams) in zip(pages_of(big, "scale"),
                                                                      pages_of(demo, "scale-demo"), strict=True):
        bt, bcpu, bq, bsize = measure(user, url, params, args.runs)
        dt, dcpu, dq, dsize = measure(duser, durl, dparams, args.runs)
        ratio = statistics.median(bt) / statistics.median(dt)
        rows.append((label, bt, bq, bsize, dt, dq, dsize, ratio))
        print(f"{label:40} {statistics.median(bt):8.1f} {_common.p95(bt):7.1f} {bcpu:6.1f} {bsize / 1024:5.0f} "
              f"{bq:4d} │ {statistics.median(dt):8.1f} {_common.p95(dt):7.1f} {dcpu:6.1f} {dsize / 1024:5.0f} "
              f"{dq:4d} │ {ratio:5.2f} {bcpu / dcpu:5.2f}", flush=True)
    print(f"load average {os.getloadavg()[0]:.1f}; pages over 1.5× demo: "
          f"{[r[0] for r in rows if r[7] > 1.5] or 'none'}; over 150 ms p50: "
          f"{[r[0] for r in rows if statistics.median(r[1]) > 150] or 'none'}; over 300 KB: "
          f"{[r[0] for r in rows if r[3] > 300 * 1024] or 'none'}; query counts differing: "
          f"{[r[0] for r in rows if r[2] != r[5]] or 'none'}")
    print("cpu: median Python CPU ms of this process per request (the SQL runs in PostgreSQL and is not in it)")


if __name__ == "__main__":
    main()
