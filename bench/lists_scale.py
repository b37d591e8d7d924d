"""Lists at a real station's size: the pages that grew with the station's data (issue 15, items 2 and 3).

Generates once, with SQL ``generate_series`` (not the ORM), into its own database ``aftersales_bench_lists``: a group
of ten stations; station 1 has 150,000 customers and vehicles plus a fleet customer with 3,000 vehicles, the nine
others 15,000 each (288,000 vehicles in all); 500,000 work orders over five years (200,000 at station 1, a fifth of
them by the benchmark advisor, whose 12 newest are still open); one order with 40 part lines, each part stocked.
Then times, through the Django test client, as the people who open them:

- the customer list (station advisor; group director), the director's order list (first page and a deep page, the
  250,000th order), the advisor's desk, the fleet customer's page, the 40-line work order's page, and the search box
  with a 4-character plate fragment;
- and prints the plan PostgreSQL picks for the search and the desk query (which index).

Run it on the code before a change and after it on the same data (the later run's ``migrate`` adds the new indexes):

    .venv/bin/python bench/lists_scale.py [runs]        # DATABASE_URL defaults to .../aftersales_bench_lists
"""

from __future__ import annotations

import base64
import importlib.util
import json
import statistics
import sys
import time
from types import SimpleNamespace

import _common

DB_NAME = "aftersales_bench_lists"
_common.configure(DB_NAME)

STATIONS = 10
BIG = 150_000  # customers and vehicles of station 1
SMALL = 15_000  # of each other station
FLEET = 3_000
ORDERS_BIG = 200_000
ORDERS_SMALL = 33_333
ADVISORS = 10  # per station
DEEP_ROW = 250_000  # the director's deep page starts after this many orders
YEARS = 5
PROVINCES = "沪浙苏京粤川"
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超"]
SEARCH_MIGRATIONS = ["reception.migrations.0003_search_indexes", "reception.migrations.0008_station_search_indexes"]
NEW_CODE = importlib.util.find_spec("core.paging") is not None


def _search_index_modules():
    from importlib import import_module

    out = []
    for name in SEARCH_MIGRATIONS:
        try:
            out.append(import_module(name))
        except ModuleNotFoundError:
            pass
    return out


def generate() -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM aftersales_station WHERE code LIKE 'lists-%%'")
        if not c.fetchone()[0]:
            with transaction.atomic():  # all or nothing: a failed load leaves nothing to skip next time
                load(c)
        editor = SimpleNamespace(connection=connection, execute=c.execute)
        started = time.perf_counter()
        for module in _search_index_modules():
            module.create(None, editor)  # CREATE INDEX IF NOT EXISTS: built once, after the load
        for table in ("reception_vehicle", "reception_customer", "reception_workorder"):
            c.execute(f"ANALYZE {table}")
        print(f"search indexes and statistics ready in {time.perf_counter() - started:.0f} s", flush=True)


def load(c) -> None:
    from django.contrib.auth.hashers import make_password

    print("generating data …", flush=True)
    started = time.perf_counter()
    for module in _search_index_modules():
        for _table, name, _expr in module.INDEXES + getattr(module, "PREFIX_INDEXES", []):
            c.execute(f"DROP INDEX IF EXISTS {name}")  # rebuilt after the load: much faster than row by row
    c.execute("""INSERT INTO aftersales_dealergroup (code, name, name_en, created_at, updated_at)
                 VALUES ('lists', '列表基准集团', '', now(), now()) ON CONFLICT (code) DO NOTHING""")
    c.execute("""INSERT INTO aftersales_station (group_id, code, name, name_en, address, address_en, phone, email,
                     tax_id, vat_rate, comeback_window_days, is_active, created_at, updated_at)
                 SELECT g.id, 'lists-' || s, '列表站' || s, '', '', '', '', '', '', 0.13, 30, true, now(), now()
                 FROM aftersales_dealergroup g, generate_series(1, %s) s WHERE g.code = 'lists'""", [STATIONS])
    c.execute("SELECT id, group_id FROM aftersales_station WHERE code LIKE 'lists-%%' ORDER BY id")
    stations = c.fetchall()
    group_id = stations[0][1]
    password = make_password("bench-pass-2026")
    staff_sql = """INSERT INTO aftersales_staff (password, is_superuser, username, first_name, last_name, email,
                       is_staff, is_active, date_joined, position, display_name, phone, employee_no, group_id,
                       station_id)
                   VALUES (%s, false, %s, '', '', '', false, true, now(), %s, %s, '', '', %s, %s) RETURNING id"""
    c.execute(staff_sql, [password, "lists-director", "group_director", "集团总监", group_id, None])
    advisors = {}
    for k, (sid, _g) in enumerate(stations, 1):
        advisors[sid] = []
        for a in range(ADVISORS):
            c.execute(staff_sql, [password, f"lists-adv-{k}-{a}", "service_advisor", f"顾问{k}-{a}", group_id, sid])
            advisors[sid].append(c.fetchone()[0])
    names = {"surnames": list(SURNAMES), "given": GIVEN}
    for k, (sid, _g) in enumerate(stations, 1):
        n = BIG if k == 1 else SMALL
        c.execute("""
            INSERT INTO reception_customer (station_id, kind, name, mobile, other_phone, email, address,
                                            company_tax_id, preferred_language, contact_consent, notes, created_at,
                                            updated_at)
            SELECT %(sid)s, 'individual',
                   (%(surnames)s::text[])[(1 + (i * 7919) %% array_length(%(surnames)s::text[], 1))::int]
                     || (%(given)s::text[])[(1 + (i * 104729) %% array_length(%(given)s::text[], 1))::int]
                     || CASE WHEN i %% 3 = 0 THEN (%(given)s::text[])[(1 + i %% array_length(%(given)s::text[], 1))::int]
                        ELSE '' END,
                   '1' || (3 + i %% 7)::text || lpad(i::text, 9, '0'), '', '', '', '', 'zh-hans', true, '', now(), now()
            FROM generate_series(1::bigint, %(n)s::bigint) i ORDER BY i""", {"sid": sid, "n": n, **names})
        c.execute("SELECT min(id) FROM reception_customer WHERE station_id = %s", [sid])
        first_customer = c.fetchone()[0]
        c.execute("""
            INSERT INTO reception_vehicle (station_id, owner_id, vin, plate, make, model, year, colour,
                                           warranty_start, mileage, created_at, updated_at)
            SELECT %(sid)s, %(first)s + i - 1,
                   'LVG' || substr(upper(md5((i * %(k)s)::text)), 1, 5) || (i %% 10)::text || 'N'
                     || upper(substr(md5((i * 31)::text), 1, 1)) || lpad(i::text, 6, '0'),
                   substr(%(provinces)s, (1 + (i + %(k)s) %% 6)::int, 1)
                     || substr(%(letters)s, (1 + (i / 7) %% 24)::int, 1)
                     || lpad(((i * 7919 + %(k)s) %% 100000)::text, 5, '0'),
                   '丰田', '凯美瑞', 2020, '白色', NULL, ((i * 13) %% 200000)::int, now(), now()
            FROM generate_series(1::bigint, %(n)s::bigint) i ORDER BY i""",
                  {"sid": sid, "first": first_customer, "k": k, "n": n, "provinces": PROVINCES, "letters": LETTERS})
        if k == 1:
            c.execute("""INSERT INTO reception_customer (station_id, kind, name, mobile, other_phone, email, address,
                             company_tax_id, preferred_language, contact_consent, notes, created_at, updated_at)
                         VALUES (%s, 'company', '上海东方出租汽车有限公司', '13900000000', '', '', '', '', 'zh-hans',
                                 true, '', now(), now()) RETURNING id""", [sid])
            fleet = c.fetchone()[0]
            c.execute("""
                INSERT INTO reception_vehicle (station_id, owner_id, vin, plate, make, model, year, colour,
                                               warranty_start, mileage, created_at, updated_at)
                SELECT %s, %s, 'LFLEET' || lpad(i::text, 11, '0'), '沪F' || lpad(i::text, 5, '0'), '大众', '朗逸',
                       2022, '绿色', NULL, 50000, now(), now()
                FROM generate_series(1, %s) i""", [sid, fleet, FLEET])
        c.execute("SELECT min(id), count(*) FROM reception_vehicle WHERE station_id = %s", [sid])
        vmin, vcount = c.fetchone()
        orders = ORDERS_BIG if k == 1 else ORDERS_SMALL
        # Oldest first; the newest 20 of each advisor (i near the end) still open, the rest delivered.
        c.execute("""
            INSERT INTO reception_workorder (created_at, updated_at, number, status, mileage_in, fuel_level,
                                             opened_at, signed_at, delivered_at, is_walk_in, notes, advisor_id,
                                             customer_id, station_id, vehicle_id)
            SELECT t.at, t.at, 'WO' || lpad(i::text, 9, '0'),
                   CASE WHEN i > %(orders)s - 12 * %(advisors)s THEN 'in_progress' ELSE 'delivered' END,
                   v.mileage, '50', t.at, t.at, CASE WHEN i > %(orders)s - 12 * %(advisors)s THEN NULL
                   ELSE t.at + interval '6 hours' END, true, '',
                   (%(staff)s::bigint[])[(1 + i %% %(advisors)s)::int], v.owner_id, %(sid)s, v.id
            FROM generate_series(1::bigint, %(orders)s::bigint) i
            CROSS JOIN LATERAL (SELECT now() - make_interval(secs => (%(orders)s - i)::double precision
                                       * %(span)s / %(orders)s) AS at) t
            JOIN reception_vehicle v ON v.id = %(vmin)s + (i * 7919) %% %(vcount)s""",
                  {"orders": orders, "advisors": ADVISORS, "staff": advisors[sid], "sid": sid, "vmin": vmin,
                   "vcount": vcount, "span": YEARS * 365 * 86400})
        print(f"station {k}: {vcount:,} vehicles, {orders:,} orders ({time.perf_counter() - started:.0f} s)",
              flush=True)
    _big_order(c, stations[0][0], advisors[stations[0][0]][0])
    print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)


def _big_order(c, sid: int, advisor: int) -> None:
    """One open order of station 1 with 40 part lines, every part stocked in the station's warehouse."""
    c.execute("INSERT INTO parts_warehouse (code, name, is_main, station_id) VALUES ('WH1', '主仓库', true, %s) "
              "RETURNING id", [sid])
    warehouse = c.fetchone()[0]
    c.execute("""INSERT INTO parts_part (created_at, updated_at, part_number, brand, name_zh, name_en, is_genuine, unit,
                     cost, list_price, is_active, station_id)
                 SELECT now(), now(), '90915-' || lpad(i::text, 5, '0'), 'TOYOTA', '机油滤清器' || i, 'Oil filter ' || i,
                        true, 'pc', 40, 68, true, %s FROM generate_series(1, 40) i RETURNING id""", [sid])
    parts = [row[0] for row in c.fetchall()]
    c.execute("""INSERT INTO parts_stockbalance (on_hand, reserved, bin_location, min_qty, max_qty, part_id, station_id,
                     warehouse_id)
                 SELECT 10, 1, 'A-01', 2, 20, p, %s, %s FROM unnest(%s::bigint[]) p""", [sid, warehouse, parts])
    c.execute("""SELECT id FROM reception_workorder WHERE station_id = %s AND advisor_id = %s AND status = 'in_progress'
                 ORDER BY opened_at DESC LIMIT 1""", [sid, advisor])
    order = c.fetchone()[0]
    c.execute("""INSERT INTO reception_workorderline (created_at, updated_at, kind, payer, description, quantity, hours,
                     unit_price, unit_cost, discount_pct, approval, is_additional, position, order_id, part_id)
                 SELECT now(), now(), 'part', 'customer', '机油滤清器', 1, 0, 68, 40, 0, 'approved', false, n, %s, p
                 FROM unnest(%s::bigint[]) WITH ORDINALITY AS u(p, n)""", [order, parts])


def _cursor(value, pk: int) -> str:
    """The keyset cursor of core.paging (the row after which a page starts)."""
    raw = json.dumps([value.isoformat() if hasattr(value, "isoformat") else value, pk], ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    _common.ensure_database()
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from org.models import Staff, Station
    from reception.models import Customer, WorkOrder

    generate()
    station = Station.objects.get(code="lists-1")
    director = Staff.objects.get(username="lists-director")
    advisor = Staff.objects.get(username="lists-adv-1-0")
    fleet = Customer.objects.get(station=station, mobile="13900000000")
    big = WorkOrder.objects.filter(lines__isnull=False, station=station).distinct().get()
    ids = list(Station.objects.filter(code__startswith="lists-").values_list("id", flat=True))
    deep = (WorkOrder.objects.filter(station_id__in=ids).order_by("-opened_at", "-id")
            .values_list("opened_at", "id")[DEEP_ROW - 1:DEEP_ROW].get())
    deep_params = {"after": _cursor(*deep)} if NEW_CODE else {"page": DEEP_ROW // 50 + 1}
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM reception_vehicle")
        vehicles = c.fetchone()[0]
        c.execute("SELECT count(*) FROM reception_workorder")
        orders = c.fetchone()[0]
        c.execute("SELECT count(*) FROM reception_vehicle WHERE station_id = %s", [station.pk])
        station_vehicles = c.fetchone()[0]
    fragment = "R123"  # 4 characters of a plate (letter + digits), matches ~100 plates per station
    pages = [
        ("customer list, station advisor", advisor, "/reception/customers/", {}),
        ("customer list, group director", director, "/reception/customers/", {}),
        ("order list, director, first page", director, "/reception/orders/", {}),
        (f"order list, director, deep page (row {DEEP_ROW:,})", director, "/reception/orders/", deep_params),
        ("advisor's desk", advisor, "/reception/", {}),
        (f"fleet customer's page ({FLEET:,} vehicles)", advisor, f"/reception/customers/{fleet.pk}/", {}),
        ("work order page, 40 part lines", advisor, f"/reception/orders/{big.pk}/", {}),
        (f"search '{fragment}', station advisor", advisor, "/reception/search/", {"q": fragment}),
    ]
    print(f"{'NEW' if NEW_CODE else 'OLD'} code; {vehicles:,} vehicles ({station_vehicles:,} at station 1), "
          f"{orders:,} orders in {len(ids)} stations; {runs} runs per page after 2 warm-ups")
    print(f"{'page':48} {'p50 ms':>8} {'p95 ms':>8} {'min ms':>8} {'queries':>8} {'SQL ms':>8} {'KB':>6}")
    for label, user, url, params in pages:
        client = Client()
        client.force_login(user)
        client.get(url, params)
        times = _common.timed(lambda url=url, params=params, client=client: client.get(url, params), runs, warmup=1)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, params)
        assert response.status_code == 200, (label, response.status_code)
        sql_ms = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
        print(f"{label:48} {statistics.median(times):8.1f} {_common.p95(times):8.1f} {min(times):8.1f} "
              f"{len(ctx.captured_queries):8d} {sql_ms:8.1f} {len(response.content) / 1024:6.0f}", flush=True)
    _plans(station, advisor, fragment)


def _plans(station, advisor, fragment: str) -> None:
    """Which index PostgreSQL uses for the station's search and for the advisor's desk."""
    from django.db import connection

    from reception import selectors
    from reception.models import Customer, Vehicle

    queries = {
        "search (vehicles)": Vehicle.objects.filter(plate__contains=fragment, station_id=station.pk).order_by()[:20],
        "search (customers, name)": Customer.objects.filter(name__icontains="王秀英", station_id=station.pk)
        .order_by()[:20],
        "desk": selectors.orders(advisor).exclude(status__in=["delivered", "cancelled"])
        .filter(advisor=advisor, station=station).order_by("opened_at")[:200],
    }
    with connection.cursor() as c:
        for label, qs in queries.items():
            sql, params = qs.query.sql_with_params()
            c.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) " + sql, params)
            plan = [row[0] for row in c.fetchall()]
            print(f"\n{label}:")
            for line in plan:
                if any(word in line for word in ("Index", "Scan", "Execution", "Buffers: shared", "Rows Removed")):
                    print("   ", line.strip()[:150])


if __name__ == "__main__":
    main()
