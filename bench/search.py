"""Front-desk search benchmark: one million vehicles (and 600,000 customers) in ten stations.

Generates the data with SQL ``generate_series`` into its own database (a second run reuses it), then times
``reception.selectors.search`` — the one search box of the front desk — over every station at once (the worst case,
a group director's view), for plate fragments, the last six characters of a VIN, mobile fragments and names.
Target: p95 < 50 ms.

    .venv/bin/python bench/search.py [queries-per-kind]   # DATABASE_URL defaults to .../aftersales_bench_search
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from types import SimpleNamespace

import _common

DB_NAME = "aftersales_bench_search"
_common.configure(DB_NAME)

VEHICLES = 1_000_000
CUSTOMERS = 600_000
STATIONS = 10
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
         "建华", "志强", "晓东", "海燕", "文杰", "思远", "雨涵", "子轩", "欣怡", "浩然", "梓涵", "一鸣"]
PROVINCES = "沪浙苏京粤川"
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def generate() -> None:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM reception_vehicle")
        if c.fetchone()[0] < VEHICLES:
            load(c)
        # the migration's own index builder (CREATE INDEX IF NOT EXISTS): built once, after the load
        from importlib import import_module

        editor = SimpleNamespace(connection=connection, execute=c.execute)
        started = time.perf_counter()
        import_module("reception.migrations.0003_search_indexes").create(None, editor)
        import_module("reception.migrations.0008_station_search_indexes").create(None, editor)  # replaces 0003's
        c.execute("ANALYZE reception_vehicle")
        c.execute("ANALYZE reception_customer")
        print(f"indexes and statistics ready in {time.perf_counter() - started:.0f} s", flush=True)


def load(c) -> None:
    print("generating data …", flush=True)
    started = time.perf_counter()
    from importlib import import_module

    migration = import_module("reception.migrations.0003_search_indexes")
    station_leading = import_module("reception.migrations.0008_station_search_indexes")
    for _table, name, _expr in migration.INDEXES + migration.PREFIX_INDEXES + station_leading.INDEXES:
        c.execute(f"DROP INDEX IF EXISTS {name}")  # built once after the load: much faster than row by row
    c.execute("TRUNCATE reception_vehicle, reception_customer CASCADE")
    c.execute("""INSERT INTO aftersales_dealergroup (code, name, name_en, created_at, updated_at)
                 VALUES ('bench', '基准集团', '', now(), now()) ON CONFLICT (code) DO NOTHING""")
    c.execute("""INSERT INTO aftersales_station (group_id, code, name, name_en, address, address_en, phone, email,
                     tax_id, vat_rate, comeback_window_days, is_active, created_at, updated_at)
                 SELECT g.id, 'bench-' || s, '基准站' || s, '', '', '', '', '', '', 0.13, 30, true, now(), now()
                 FROM aftersales_dealergroup g, generate_series(1, %s) s WHERE g.code = 'bench'
                 ON CONFLICT (code) DO NOTHING""", [STATIONS])
    c.execute("SELECT array_agg(id ORDER BY id) FROM aftersales_station WHERE code LIKE 'bench-%%'")
    station_ids = c.fetchone()[0]
    surnames = list(SURNAMES)
    c.execute("""
        INSERT INTO reception_customer (station_id, kind, name, mobile, other_phone, email, address, company_tax_id,
                                        preferred_language, contact_consent, notes, created_at, updated_at)
        SELECT (%(stations)s::bigint[])[(1 + i %% %(n)s)::int], 'individual',
               (%(surnames)s::text[])[(1 + (i * 7919) %% array_length(%(surnames)s::text[], 1))::int]
                 || (%(given)s::text[])[(1 + (i * 104729) %% array_length(%(given)s::text[], 1))::int]
                 || CASE WHEN i %% 3 = 0 THEN (%(given)s::text[])[(1 + i %% array_length(%(given)s::text[], 1))::int]
                    ELSE '' END,
               '1' || (3 + i %% 7)::text || lpad(((i * 7654321) %% 1000000000)::text, 9, '0'),
               '', '', '', '', 'zh-hans', true, '', now(), now()
        FROM generate_series(1::bigint, %(customers)s::bigint) i
    """, {"stations": station_ids, "n": STATIONS, "surnames": surnames, "given": GIVEN, "customers": CUSTOMERS})
    c.execute("SELECT min(id) FROM reception_customer")
    first_customer = c.fetchone()[0]
    c.execute("""
        INSERT INTO reception_vehicle (station_id, owner_id, vin, plate, make, model, year, colour, warranty_start,
                                       mileage, created_at, updated_at)
        SELECT (%(stations)s::bigint[])[(1 + (i %% %(customers)s) %% %(n)s)::int],
               %(first)s + (i %% %(customers)s),
               'LVG' || substr(upper(md5(i::text)), 1, 5) || (i %% 10)::text || 'N'
                 || upper(substr(md5((i * 31)::text), 1, 1)) || lpad(i::text, 6, '0'),
               substr(%(provinces)s, (1 + i %% 6)::int, 1) || substr(%(letters)s, (1 + (i / 7) %% 24)::int, 1)
                 || CASE WHEN i %% 12 = 0 THEN 'D' || lpad(((i * 37) %% 100000)::text, 5, '0')
                    ELSE lpad(((i * 7919) %% 100000)::text, 5, '0') END,
               '丰田', '凯美瑞', 2020, '白色', NULL, ((i * 13) %% 200000)::int, now(), now()
        FROM generate_series(1::bigint, %(vehicles)s::bigint) i
    """, {"stations": station_ids, "n": STATIONS, "customers": CUSTOMERS, "first": first_customer,
          "provinces": PROVINCES, "letters": LETTERS, "vehicles": VEHICLES})

    print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)


def queries(rng: random.Random, per_kind: int) -> dict[str, list[str]]:
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SELECT vin, plate FROM reception_vehicle TABLESAMPLE SYSTEM (0.1) LIMIT %s", [per_kind * 2])
        vehicles = c.fetchall()
        c.execute("SELECT name, mobile FROM reception_customer TABLESAMPLE SYSTEM (0.2) LIMIT %s", [per_kind * 2])
        customers = c.fetchall()
    rng.shuffle(vehicles)
    rng.shuffle(customers)
    return {
        "plate (full)": [p for _v, p in vehicles[:per_kind]],
        "plate (fragment, 4)": [p[2:6] for _v, p in vehicles[:per_kind]],
        "VIN (last six)": [v[-6:] for v, _p in vehicles[:per_kind]],
        "VIN (full)": [v for v, _p in vehicles[:per_kind]],
        "mobile (fragment, 7)": [m[3:10] for _n, m in customers[:per_kind]],
        "name (2 characters)": [n[:2] for n, _m in customers[:per_kind]],
        "name (3 characters)": [n for n, _m in customers[:per_kind] if len(n) >= 3][:per_kind] or ["王秀英"],
    }


def _server_ms(sql: str) -> float:
    """Planning + execution time PostgreSQL reports for one query (independent of client-side scheduling)."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        plan = c.fetchone()[0][0]
    return plan["Planning Time"] + plan["Execution Time"]


def main() -> None:
    per_kind = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    _common.ensure_database()
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from org.models import Station
    from reception.selectors import search

    generate()
    station_ids = frozenset(Station.objects.filter(code__startswith="bench-").values_list("id", flat=True))
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM reception_vehicle")
        n_vehicles = c.fetchone()[0]
    rng = random.Random(2026)
    kinds = queries(rng, per_kind)
    for q in list(kinds.values())[0][:5]:  # warm the cache
        search(None, q, station_ids=station_ids)
    everything = []
    print(f"{n_vehicles:,} vehicles, {len(station_ids)} stations; search over all of them, {per_kind} queries per kind")
    print(f"{'query':24} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'hits (median)':>14} {'db p95 ms':>10}")
    server_all = []
    for kind, qs in kinds.items():
        times, hits, server = [], [], []
        for q in qs:
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                result = search(None, q, station_ids=station_ids)
                times.append((time.perf_counter() - t) * 1000)
            hits.append(len(result.vehicles) + len(result.customers))
            server.append(sum(_server_ms(query["sql"]) for query in ctx.captured_queries))
        everything += times
        server_all += server
        times.sort()
        server.sort()
        print(f"{kind:24} {statistics.median(times):8.1f} {_common.p95(times):8.1f} "
              f"{times[-1]:8.1f} {statistics.median(hits):14.0f} {_common.p95(server):10.2f}")
    everything.sort()
    p50, p95 = statistics.median(everything), _common.p95(everything)
    server_all.sort()
    print(f"{'ALL':24} {p50:8.1f} {p95:8.1f} {everything[-1]:8.1f} {'':14} {_common.p95(server_all):10.2f}")
    print("(wall clock through Django; 'db p95' = PostgreSQL planning + execution from EXPLAIN ANALYZE of the same SQL)")
    print(f"target p95 < 50 ms: {'met' if p95 < 50 else 'NOT met'}")


if __name__ == "__main__":
    main()
