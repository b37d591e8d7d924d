"""KPI benchmark: 20 stations × 3 years of generated orders and daily facts.

Measures, in one run:
1. the group dashboard for a year (the page, through the Django test client, as the group director) — target < 150 ms;
2. the same figures computed live from the orders (``kpi.services.collect`` over the year) — must be ≥ 100× slower;
3. the nightly rollup of one day for 20 stations (``kpi.services.rollup.rollup_days``) — target < 2 s.

Data is generated with SQL (generate_series) into its own database, once; a second run reuses it.

    .venv/bin/python bench/kpi_dashboard.py            # DATABASE_URL defaults to .../aftersales_bench_kpi
"""

from __future__ import annotations

import statistics
import time
from datetime import date

import _common

DB_NAME = "aftersales_bench_kpi"
_common.configure(DB_NAME)

STATIONS = 20
ADVISORS = 5
ORDERS_PER_DAY = 30
START, END = date(2023, 11, 25), date(2026, 11, 23)  # three years
YEAR = (date(2025, 1, 1), date(2025, 12, 31))


def _filler(cursor, table: str, given: set[str]) -> tuple[list[str], list[str]]:
    """Columns NOT NULL without a value from us (added by other apps later): a neutral value by type."""
    cursor.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s AND is_nullable = 'NO' "
        "AND column_default IS NULL", [table],
    )
    names, values = [], []
    for name, kind in cursor.fetchall():
        if name in given:
            continue
        names.append(name)
        if kind in ("boolean",):
            values.append("false")
        elif kind in ("integer", "smallint", "bigint", "numeric", "double precision"):
            values.append("0")
        elif kind.startswith("timestamp"):
            values.append("now()")
        elif kind == "date":
            values.append("current_date")
        elif kind == "jsonb":
            values.append("'{}'::jsonb")
        else:
            values.append("''")
    return names, values


def generate() -> None:
    from django.db import connection, transaction

    from kpi.models import MEASURES, StationDay
    from org.models import DealerGroup, Position, Region, Staff, Station
    from reception.models import Customer, Vehicle

    if StationDay.objects.filter(station__code__startswith="bench-").exists():
        print("data already generated; reusing it (drop the database to generate afresh)")
        return
    t0 = time.perf_counter()
    with transaction.atomic():
        group, _ = DealerGroup.objects.get_or_create(code="bench", defaults={"name": "基准集团"})
        regions = [Region.objects.get_or_create(group=group, name=f"区域{i}")[0] for i in (1, 2)]
        stations = []
        for i in range(STATIONS):
            s, _ = Station.objects.get_or_create(
                code=f"bench-{i:02d}", defaults={"group": group, "region": regions[i % 2], "name": f"基准站{i:02d}"}
            )
            stations.append(s)
            customer, _ = Customer.objects.get_or_create(station=s, mobile="13900000000", defaults={"name": "客户"})
            Vehicle.objects.get_or_create(station=s, vin=f"LBENCH{i:011d}", defaults={"owner": customer})
            for a in range(ADVISORS):
                Staff.objects.get_or_create(username=f"bench-{i:02d}-sa{a}", defaults={
                    "station": s, "group": group, "position": Position.SERVICE_ADVISOR})
        Staff.objects.get_or_create(username="bench-director", defaults={"group": group,
                                                                         "position": Position.GROUP_DIRECTOR})
    ids = [s.pk for s in stations]
    with connection.cursor() as c:
        given = {"id", "created_at", "updated_at", "station_id", "number", "status", "customer_id", "vehicle_id",
                 "advisor_id", "opened_at", "delivered_at", "promised_at", "promised_at_signed", "is_walk_in"}
        extra_names, extra_values = _filler(c, "reception_workorder", given)
        extra_n = "".join(f", {n}" for n in extra_names)
        extra_v = "".join(f", {v}" for v in extra_values)
        # Orders: ORDERS_PER_DAY per station and day, opened 08:00–12:00, delivered 2–8 h later (or next day)
        c.execute(f"""
            INSERT INTO reception_workorder (created_at, updated_at, station_id, number, status, customer_id,
                vehicle_id, advisor_id, opened_at, delivered_at, promised_at, promised_at_signed, is_walk_in{extra_n})
            SELECT o.opened, o.opened, s.id, 'B' || s.id || '-' || to_char(d, 'YYYYMMDD') || '-' || n,
                   CASE WHEN o.opened + interval '1 day' < now() THEN 'delivered' ELSE 'open' END,
                   cu.id, v.id,
                   (SELECT id FROM aftersales_staff st WHERE st.username = 'bench-' || substr(s.code, 7) || '-sa' || (n %% {ADVISORS})),
                   o.opened,
                   CASE WHEN o.opened + interval '1 day' < now() THEN o.opened + (2 + (n * 7 + extract(doy from d)::int) %% 26) * interval '15 minutes' END,
                   o.opened + interval '6 hours', o.opened + interval '6 hours', (n %% 3) <> 0{extra_v}
            FROM aftersales_station s
            JOIN reception_customer cu ON cu.station_id = s.id
            JOIN reception_vehicle v ON v.station_id = s.id
            CROSS JOIN generate_series(%s::date, %s::date, interval '1 day') AS d
            CROSS JOIN generate_series(1, {ORDERS_PER_DAY}) AS n
            CROSS JOIN LATERAL (SELECT (d + interval '8 hours' + (n * 8) * interval '1 minute')
                                AT TIME ZONE 'Asia/Shanghai' AS opened) o
            WHERE s.id = ANY(%s)
        """, [START, END, ids])
        given = {"id", "created_at", "updated_at", "order_id", "kind", "payer", "description", "quantity", "hours",
                 "unit_price", "unit_cost", "discount_pct", "approval", "is_additional", "position"}
        extra_names, extra_values = _filler(c, "reception_workorderline", given)
        extra_n = "".join(f", {n}" for n in extra_names)
        extra_v = "".join(f", {v}" for v in extra_values)
        # Three lines per order: labour, part, and a second labour line; payers vary with the order id
        c.execute(f"""
            INSERT INTO reception_workorderline (created_at, updated_at, order_id, kind, payer, description, quantity,
                hours, unit_price, unit_cost, discount_pct, approval, is_additional, position{extra_n})
            SELECT w.opened_at, w.opened_at, w.id, k.kind,
                   (ARRAY['customer','customer','customer','warranty','insurance','internal'])[1 + (w.id + k.pos) %% 6],
                   k.kind, CASE WHEN k.kind = 'part' THEN 1 + w.id %% 4 ELSE 1 END,
                   CASE WHEN k.kind = 'labour' THEN 0.5 + (w.id %% 7) * 0.5 ELSE 0 END,
                   CASE WHEN k.kind = 'labour' THEN 280 + (w.id %% 5) * 10 ELSE 95.5 + (w.id %% 50) END,
                   CASE WHEN k.kind = 'labour' THEN 90 ELSE 60 + (w.id %% 40) END,
                   CASE WHEN w.id %% 10 = 0 THEN 10 ELSE 0 END, 'approved', false, k.pos{extra_v}
            FROM reception_workorder w
            CROSS JOIN (VALUES ('labour', 0), ('part', 1), ('labour', 2)) AS k(kind, pos)
            WHERE w.station_id = ANY(%s)
        """, [ids])
        # Daily facts from the orders, by SQL (the same rules as the rollup: line amount rounded half-up per line)
        measures = ", ".join(MEASURES)
        c.execute(f"""
            WITH l AS (
                SELECT w.station_id, w.advisor_id, (w.delivered_at AT TIME ZONE 'Asia/Shanghai')::date AS day,
                       li.kind, li.payer, li.hours,
                       round(CASE WHEN li.kind = 'labour' THEN li.hours ELSE li.quantity END * li.unit_price
                             * (100 - li.discount_pct) / 100, 2) AS amount,
                       round(CASE WHEN li.kind = 'labour' THEN li.hours ELSE li.quantity END * li.unit_cost, 2) AS cost
                FROM reception_workorder w JOIN reception_workorderline li ON li.order_id = w.id
                WHERE w.station_id = ANY(%(ids)s) AND w.status = 'delivered' AND li.approval = 'approved'
            ), sales AS (
                SELECT station_id, day,
                    sum(amount) FILTER (WHERE kind = 'labour') AS sales_labour,
                    sum(amount) FILTER (WHERE kind = 'part') AS sales_parts,
                    sum(amount) FILTER (WHERE kind = 'sublet') AS sales_sublet,
                    sum(amount) FILTER (WHERE payer = 'customer') AS sales_customer,
                    sum(amount) FILTER (WHERE payer = 'warranty') AS sales_warranty,
                    sum(amount) FILTER (WHERE payer = 'insurance') AS sales_insurance,
                    sum(amount) FILTER (WHERE payer = 'internal') AS sales_internal,
                    sum(amount) FILTER (WHERE kind = 'labour' AND payer = 'customer') AS labour_customer,
                    sum(amount) FILTER (WHERE kind = 'labour' AND payer = 'warranty') AS labour_warranty,
                    sum(amount) FILTER (WHERE kind = 'labour' AND payer = 'insurance') AS labour_insurance,
                    sum(amount) FILTER (WHERE kind = 'labour' AND payer = 'internal') AS labour_internal,
                    sum(hours) FILTER (WHERE kind = 'labour') AS hours_sold,
                    sum(hours) FILTER (WHERE kind = 'labour' AND payer = 'customer') AS hours_customer,
                    sum(hours) FILTER (WHERE kind = 'labour' AND payer = 'warranty') AS hours_warranty,
                    sum(hours) FILTER (WHERE kind = 'labour' AND payer = 'insurance') AS hours_insurance,
                    sum(hours) FILTER (WHERE kind = 'labour' AND payer = 'internal') AS hours_internal,
                    sum(cost) FILTER (WHERE kind = 'labour') AS cost_labour,
                    sum(cost) FILTER (WHERE kind = 'part') AS cost_parts
                FROM l GROUP BY station_id, day
            ), outs AS (
                SELECT station_id, (delivered_at AT TIME ZONE 'Asia/Shanghai')::date AS day, count(*) AS orders_out,
                       count(*) FILTER (WHERE delivered_at <= promised_at_signed) AS on_time
                FROM reception_workorder WHERE station_id = ANY(%(ids)s) AND status = 'delivered' GROUP BY 1, 2
            ), ins AS (
                SELECT station_id, (opened_at AT TIME ZONE 'Asia/Shanghai')::date AS day, count(*) AS orders_in,
                       count(*) FILTER (WHERE NOT is_walk_in) AS arrivals_with_appointment
                FROM reception_workorder WHERE station_id = ANY(%(ids)s) AND status NOT IN ('draft', 'cancelled')
                GROUP BY 1, 2
            ), days AS (
                SELECT s.id AS station_id, d::date AS day
                FROM unnest(%(ids)s::bigint[]) AS s(id) CROSS JOIN generate_series(%(start)s::date, %(end)s::date,
                     interval '1 day') d
            )
            INSERT INTO kpi_stationday (station_id, day, rolled_at, {measures})
            SELECT days.station_id, days.day, now(), {", ".join(_fact_expr(m) for m in MEASURES)}
            FROM days LEFT JOIN sales USING (station_id, day) LEFT JOIN outs USING (station_id, day)
                 LEFT JOIN ins USING (station_id, day)
        """, {"ids": ids, "start": START, "end": END})
        c.execute(f"""
            INSERT INTO kpi_stationmonth (station_id, day, rolled_at, {measures})
            SELECT station_id, date_trunc('month', day)::date, now(), {", ".join(f"sum({m})" for m in MEASURES)}
            FROM kpi_stationday WHERE station_id = ANY(%s) GROUP BY 1, 2
        """, [ids])
        c.execute("ANALYZE kpi_stationday; ANALYZE kpi_stationmonth; ANALYZE reception_workorder; ANALYZE reception_workorderline;")
    print(f"generated {STATIONS} stations × {(END - START).days + 1} days × {ORDERS_PER_DAY} orders "
          f"in {time.perf_counter() - t0:.1f} s")


ORDER_MEASURES = {
    "orders_in", "orders_out", "on_time", "arrivals_with_appointment", "sales_labour", "sales_parts", "sales_sublet",
    "sales_customer", "sales_warranty", "sales_insurance", "sales_internal", "labour_customer", "labour_warranty",
    "labour_insurance", "labour_internal", "hours_sold", "hours_customer", "hours_warranty", "hours_insurance",
    "hours_internal", "cost_labour", "cost_parts",
}


def _fact_expr(measure: str) -> str:
    """Order measures from the SQL above; the others (workshop, parts, customers) plausible synthetic numbers."""
    if measure in ORDER_MEASURES:
        return f"coalesce({measure}, 0)"
    synthetic = {
        "comebacks": "(days.day - date '2020-01-01' + days.station_id) %% 3",
        "hours_attended": "8 * 6",
        "hours_clocked": "40 + (days.day - date '2020-01-01') %% 5",
        "hours_clocked_completed": "38 + (days.day - date '2020-01-01') %% 5",
        "hours_sold_clocked": "coalesce(hours_sold, 0) * 0.9",
        "part_lines_requested": "coalesce(orders_in, 0)",
        "part_lines_filled": "coalesce(orders_in, 0) * 0.9",
        "parts_issued_cost": "coalesce(cost_parts, 0)",
        "stock_value": "800000 + days.station_id * 1000",
        "stock_days": "1",
        "obsolete_value": "30000",
        "followups_attempted": "coalesce(orders_out, 0)",
        "followups_reached": "coalesce(orders_out, 0) * 0.7",
        "csi_top_box": "5", "csi_overall_answers": "6", "csi_item_points": "540", "csi_item_answers": "6",
        "complaints_received": "(days.day - date '2020-01-01') %% 4 / 3",
    }
    return synthetic.get(measure, "0")


def main() -> None:
    _common.ensure_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    call_command("migrate", verbosity=0)
    generate()
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]

    from kpi.dashboards import group_board
    from kpi.registry import BOARDS, KPIS, Totals
    from kpi.selectors import Period, overhead_for
    from kpi.services.collect import STATION, collect
    from kpi.services.rollup import rollup_days
    from org.models import Staff, Station

    stations = list(Station.objects.filter(code__startswith="bench-").select_related("region").order_by("code"))
    ids = [s.pk for s in stations]
    period = Period("year", *YEAR)
    director = Staff.objects.get(username="bench-director")
    client = Client()
    client.force_login(director)
    url = f"/kpi/group/?period=year&date={YEAR[0]}"
    warm = client.get(url)  # warm-up
    assert warm.status_code == 200, (warm.status_code, warm.get("Location"))
    page = _common.timed(lambda: client.get(url), 15)
    board_only = _common.timed(lambda: group_board(stations, period), 15)

    def live():
        """The same figures straight from the orders: collect the year, sum per station, compute."""
        facts = collect(station_ids=ids, start=period.start, end=period.end)
        per: dict[int, Totals] = {sid: Totals() for sid in ids}
        for (grain, sid, _subject, _day), measures in facts.items():
            if grain == STATION:
                for k, v in measures.items():
                    per[sid][k] = per[sid].get(k, 0) + v
        overhead = overhead_for(ids, period)
        for sid, t in per.items():
            t["days"], t["overhead"] = period.days, overhead.get(sid, 0)
        return {sid: {c: KPIS[c].value(t) for c in BOARDS["group"]} for sid, t in per.items()}

    live_ms = _common.timed(live, 1)[0]
    day = date(2026, 6, 15)
    rollup = _common.timed(lambda: rollup_days(start=day, end=day, station_ids=ids), 3)

    page_ms, board_ms = statistics.median(page), statistics.median(board_only)
    print(f"group dashboard page, a year, {len(ids)} stations: median {page_ms:.1f} ms "
          f"(min {min(page):.1f}, max {max(page):.1f}; target < 150 ms) {'OK' if page_ms < 150 else 'MISSED'}")
    print(f"  of which the figures (group_board): median {board_ms:.1f} ms")
    print(f"same figures live from the orders: {live_ms:.0f} ms = {live_ms / page_ms:.0f}× the dashboard page "
          f"(must be ≥ 100×) {'OK' if live_ms / page_ms >= 100 else 'MISSED'}")
    print(f"nightly rollup of one day, {len(ids)} stations: median {statistics.median(rollup):.0f} ms "
          f"(runs {', '.join(f'{r:.0f}' for r in rollup)}; target < 2 s) "
          f"{'OK' if statistics.median(rollup) < 2000 else 'MISSED'}")


if __name__ == "__main__":
    main()
