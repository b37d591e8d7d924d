"""Parts stock list benchmark: 50,000 parts and 5 million stock moves in one station.

Generates the data with SQL ``generate_series`` into its own database (a second run reuses it), then times the stock
list page (``/parts/stock/``: first page, a part-number search, a name search, the "at or below minimum" filter and
the htmx partial) and a part's page with its movement history, through the Django test client as the parts lead.
Target: p95 < 100 ms server time.

    .venv/bin/python bench/parts_stock_list.py [runs]   # DATABASE_URL defaults to .../aftersales_bench_parts
"""

from __future__ import annotations

import os
import statistics
import sys
import time

import _common

DB_NAME = "aftersales_bench_parts"
_common.configure(DB_NAME)

PARTS = 50_000
MOVES = 5_000_000
STATION_CODE = "bench-parts"
NAMES = ["机油滤清器", "前刹车片", "后刹车片", "空气滤芯", "空调滤芯", "火花塞", "雨刮片", "刹车盘", "燃油滤清器",
         "蓄电池", "前减震器", "氧传感器", "正时皮带", "水泵总成", "前大灯总成", "外后视镜总成"]
PREFIXES = ["04152", "04465", "04466", "17801", "87139", "90919", "85212", "43512", "23300", "28800", "48510",
            "89465", "13568", "16100", "81110", "87910"]


def generate():
    from django.db import connection, transaction

    from org.models import DealerGroup, Position, Staff, Station
    from parts.services.stock import warehouse_main

    station = Station.objects.filter(code=STATION_CODE).first()
    if station is not None:
        return station, Staff.objects.get(username="bench-partslead")
    with transaction.atomic():
        group, _ = DealerGroup.objects.get_or_create(code="bench", defaults={"name": "基准集团"})
        station = Station.objects.create(group=group, code=STATION_CODE, name="基准配件站")
        lead = Staff.objects.create_user(
            "bench-partslead", password="bench-pass-2026", station=station, group=group,
            position=Position.PARTS_LEAD, display_name="配件主管",
        )
        warehouse = warehouse_main(station=station)
        names = "ARRAY[" + ",".join(f"'{n}'" for n in NAMES) + "]"
        prefixes = "ARRAY[" + ",".join(f"'{p}'" for p in PREFIXES) + "]"
        with connection.cursor() as c:
            t0 = time.perf_counter()
            # 50,000 parts: Toyota-style numbers (prefix-5 base-36 chars), names from the list, prices 20–2,000.
            c.execute(f"""
                INSERT INTO parts_part (created_at, updated_at, station_id, part_number, brand, name_zh, name_en,
                                        is_genuine, unit, cost, list_price, is_active)
                SELECT now(), now(), %s,
                       ({prefixes})[1 + g %% {len(PREFIXES)}] || '-' || upper(lpad(to_hex(g * 7919 %% 1048576), 5, '0')),
                       'TOYOTA', ({names})[1 + g %% {len(NAMES)}] || ' ' || g, 'Part ' || g,
                       g %% 10 <> 0, '个', round((20 + (g * 37 %% 1980))::numeric * 0.62, 4),
                       (20 + (g * 37 %% 1980))::numeric, true
                FROM generate_series(1, {PARTS}) g
            """, [station.pk])
            c.execute("SELECT min(id) FROM parts_part WHERE station_id = %s", [station.pk])
            first = c.fetchone()[0]
            print(f"  parts: {time.perf_counter() - t0:.1f} s")
            t0 = time.perf_counter()
            # 5,000,000 moves: 100 per part over two years; one receipt of 6 for every issue of 1–2 keeps stock ≥ 0.
            # Bulk load: the rows are consistent by construction, so skip the per-row foreign-key triggers.
            c.execute("SET LOCAL session_replication_role = replica")
            # …and build the secondary indexes once afterwards instead of row by row.
            c.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'parts_stockmove' "
                      "AND indexname NOT LIKE '%%pkey'")
            indexes = c.fetchall()
            for name, _definition in indexes:
                c.execute(f'DROP INDEX "{name}"')
            c.execute(f"""
                INSERT INTO parts_stockmove (station_id, warehouse_id, part_id, kind, quantity, unit_cost,
                                             balance_after, reference, reason, by_id, at, line_id)
                SELECT %s, %s, {first} + (g %% {PARTS}),
                       CASE WHEN (g / {PARTS}) %% 4 = 0 THEN 'receipt' ELSE 'issue' END,
                       CASE WHEN (g / {PARTS}) %% 4 = 0 THEN 6 ELSE -(1 + g %% 2) END,
                       10, 0, 'WO' || g, '', %s,
                       now() - make_interval(mins => ({MOVES} - g) / 7), NULL
                FROM generate_series(0, {MOVES - 1}) g
            """, [station.pk, warehouse.pk, lead.pk])
            c.execute("SET LOCAL session_replication_role = origin")
            c.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for _name, definition in indexes:
                c.execute(definition)
            print(f"  moves: {time.perf_counter() - t0:.1f} s")
            t0 = time.perf_counter()
            c.execute("""
                INSERT INTO parts_stockbalance (warehouse_id, part_id, station_id, on_hand, reserved, bin_location,
                                                min_qty, max_qty, last_issue_at)
                SELECT %s, m.part_id, %s, sum(m.quantity), 0,
                       chr((65 + m.part_id %% 20)::int) || '-' || lpad((m.part_id %% 40)::text, 2, '0'),
                       CASE WHEN m.part_id %% 3 = 0 THEN 60 ELSE 2 END, 80, max(m.at)
                FROM parts_stockmove m WHERE m.warehouse_id = %s GROUP BY m.part_id
            """, [warehouse.pk, station.pk, warehouse.pk])
            c.execute("ANALYZE parts_part; ANALYZE parts_stockmove; ANALYZE parts_stockbalance")
            print(f"  balances: {time.perf_counter() - t0:.1f} s")
    return station, lead


def time_url(client, url: str, runs: int, **headers) -> tuple[float, float, float, float, int]:
    """Wall-clock p50/p95 of the whole request, plus the median Python CPU time and the SQL time of one request.

    On a shared, busy machine the wall clock includes waiting for a CPU; CPU + SQL shows the work itself.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, secure=True, **headers)  # warm up
    timings, cpu = [], []
    status = 0
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, secure=True, **headers)
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        status = response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url, secure=True, **headers)
    sql = sum(float(q["time"]) for q in queries.captured_queries) * 1000
    timings.sort()
    p95 = _common.p95(timings)
    return statistics.median(timings), p95, statistics.median(cpu), sql, status


def main() -> None:
    _common.ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from parts.models import Part, StockMove

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    station, lead = generate()
    print(f"data ready in {time.perf_counter() - t0:.1f} s: {Part.objects.filter(station=station).count():,} parts, "
          f"{StockMove.objects.filter(station=station).count():,} moves")
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    client = Client()
    client.force_login(lead)
    part = Part.objects.filter(station=station).order_by("pk")[PARTS // 2]
    cases = [
        ("stock list, first page", "/parts/stock/", {}),
        ("stock list, page 400", "/parts/stock/?page=400", {}),
        ("search by part number", "/parts/stock/?q=04152-1", {}),
        ("search by name", "/parts/stock/?q=火花塞 12", {}),
        ("at or below minimum", "/parts/stock/?state=low", {}),
        ("htmx partial, bin filter", "/parts/stock/?bin=C-1", {"HTTP_HX_REQUEST": "true"}),
        ("low-stock list", "/parts/stock/low/", {}),
        ("part page + history (100 moves)", f"/parts/parts/{part.pk}/", {}),
    ]
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'page':36} {'p50 ms':>8} {'p95 ms':>8} {'cpu ms':>8} {'sql ms':>8}  status   ({runs} runs each)")
    for label, url, headers in cases:
        p50, p95, cpu, sql, status = time_url(client, url, runs, **headers)
        print(f"{label:36} {p50:8.1f} {p95:8.1f} {cpu:8.1f} {sql:8.1f}  {status}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
