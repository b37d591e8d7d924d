"""Lists that stay fast at a group's size: keyset pages (no OFFSET), a capped count (no COUNT(*) of every row), vehicle
counts for the page's customers only, and search and desk queries answered from the indexes made for them."""

from __future__ import annotations

import re
from datetime import timedelta
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.paging import keyset_page
from reception import selectors
from reception.factories import CustomerFactory, VehicleFactory, WorkOrderFactory
from reception.models import Customer, WorkOrder


def _walk(client, url: str, params: dict, *, direction: str = "next") -> list[list[str]]:
    """Every page of a list, following its next (or previous) links; the rows' links per page."""
    pages = []
    query = "&".join(f"{k}={v}" for k, v in params.items())
    for _ in range(50):
        body = client.get(f"{url}?{query}").content.decode()
        pages.append(re.findall(r'href="(/reception/(?:customers|orders)/\d+/)"', body))
        found = re.search(rf'rel="{direction}" href="\?([^"]+)"', body)
        if not found:
            return pages
        query = found.group(1).replace("&amp;", "&")
    raise AssertionError("the pages never end")


def test_the_customer_list_pages_through_every_customer_once_and_back(client_as, alice, station):
    for i in range(120):
        CustomerFactory(station=station, name=f"客户{i % 7}")  # ties on the name: the id breaks them
    client = client_as(alice)
    pages = _walk(client, reverse("reception:customer_list"), {})
    assert [len(p) for p in pages] == [50, 50, 20]
    seen = [link for page in pages for link in page]
    expected = [reverse("reception:customer_detail", args=[c.pk]) for c in Customer.objects.order_by("name", "id")]
    assert seen == expected
    # back from the last page, through the previous links, to the first
    last = client.get(reverse("reception:customer_list"), {"after": _last_cursor(client)}).content.decode()
    assert "rel=\"next\"" not in last and "rel=\"prev\"" in last


def _last_cursor(client) -> str:
    body = client.get(reverse("reception:customer_list")).content.decode()
    second = re.search(r'rel="next" href="\?after=([^"]+)"', body).group(1)
    body = client.get(reverse("reception:customer_list"), {"after": second}).content.decode()
    return re.search(r'rel="next" href="\?after=([^"]+)"', body).group(1)


def test_previous_links_walk_back_to_the_first_page(client_as, alice, station):
    for i in range(110):
        CustomerFactory(station=station, name=f"王{i:03d}")
    client = client_as(alice)
    url = reverse("reception:customer_list")
    body = client.get(url, {"after": _last_cursor(client)}).content.decode()
    assert len(re.findall(r'href="/reception/customers/\d+/"', body)) == 10
    query = re.search(r'rel="prev" href="\?([^"]+)"', body).group(1).replace("&amp;", "&")
    pages = _walk(client, url, dict(p.split("=", 1) for p in query.split("&")), direction="prev")
    assert [len(p) for p in pages] == [50, 50]
    assert pages[-1][0] == reverse("reception:customer_detail", args=[Customer.objects.order_by("name").first().pk])


def test_the_order_list_keeps_its_filter_across_pages_newest_first(client_as, carol, station):
    vehicle = VehicleFactory(station=station)
    now = timezone.now()
    for i in range(60):
        WorkOrderFactory(station=station, vehicle=vehicle, advisor=carol, opened_at=now - timedelta(hours=i),
                         status="open" if i % 2 else "delivered")
    client = client_as(carol)
    pages = _walk(client, reverse("reception:order_list"), {"status": "open"})
    seen = [link for page in pages for link in page]
    expected = [reverse("reception:order_detail", args=[o.pk])
                for o in WorkOrder.objects.filter(status="open").order_by("-opened_at", "-id")]
    assert seen == expected and len(seen) == 30


def test_a_bad_cursor_shows_the_first_page(client_as, alice, station):
    CustomerFactory(station=station, name="甲")
    response = client_as(alice).get(reverse("reception:customer_list"), {"after": "not-a-cursor!"})
    assert response.status_code == 200 and "甲" in response.content.decode()


def test_the_count_stops_at_the_cap(station):
    for i in range(7):
        CustomerFactory(station=station, name=f"客户{i}")
    page = keyset_page(Customer.objects.all(), {}, key="name", per_page=3, cap=5)
    assert page.total_label == "5+" and len(page) == 3 and page.next_query and not page.previous_query
    page = keyset_page(Customer.objects.all(), {}, key="name", per_page=3, cap=10)
    assert page.total_label == "7"


def test_the_customer_list_counts_and_groups_only_the_pages_rows(client_as, alice, station):
    for i in range(60):
        customer = CustomerFactory(station=station, name=f"客户{i:02d}")
        for _ in range(i % 3):
            VehicleFactory(station=station, owner=customer)
    client = client_as(alice)
    client.get(reverse("reception:customer_list"))
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(reverse("reception:customer_list")).content.decode()
    sqls = [q["sql"] for q in ctx.captured_queries]
    grouped = [s for s in sqls if "GROUP BY" in s]
    assert len(grouped) == 1 and '"reception_vehicle"."owner_id" IN' in grouped[0]  # this page's customers only
    counts = [s for s in sqls if "COUNT(" in s and "reception_customer" in s]
    assert len(counts) == 1 and "LIMIT 1001" in counts[0]
    first = Customer.objects.order_by("name").first()
    assert re.search(rf'customers/{first.pk}/">客户00</a></td><td>[^<]*</td><td>[^<]*</td><td>0</td>', body)
    c02 = Customer.objects.get(name="客户02")
    assert re.search(rf'customers/{c02.pk}/">客户02</a></td><td>[^<]*</td><td>[^<]*</td><td>2</td>', body)


def test_the_fleet_customers_page_shows_its_vehicles_fifty_at_a_time(client_as, alice, station):
    fleet = CustomerFactory(station=station, kind="company")
    for _ in range(55):
        VehicleFactory(station=station, owner=fleet)
    body = client_as(alice).get(reverse("reception:customer_detail", args=[fleet.pk])).content.decode()
    assert body.count('href="/reception/vehicles/') == 50 and 'rel="next"' in body and "55" in body


# --- PostgreSQL plans ---------------------------------------------------------------------------------------------

def _plan(qs) -> str:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as c:
        c.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in c.fetchall())


@pytest.fixture
def many_stations(db, station):
    """100,000 vehicles and customers over ten stations (SQL, not the ORM), with fresh statistics."""
    from org.factories import StationFactory

    ids = [station.pk] + [StationFactory(code=f"plan-{i}", group=station.group).pk for i in range(9)]
    with connection.cursor() as c:
        c.execute("""INSERT INTO reception_customer (station_id, kind, name, mobile, other_phone, email, address,
                         company_tax_id, preferred_language, contact_consent, notes, created_at, updated_at)
                     SELECT (%s::bigint[])[1 + i %% 10], 'individual', '客户' || i, '139' || lpad(i::text, 8, '0'),
                            '', '', '', '', 'zh-hans', true, '', now(), now()
                     FROM generate_series(1, 100000) i""", [ids])
        c.execute("""INSERT INTO reception_vehicle (station_id, owner_id, vin, plate, make, model, year, colour,
                         mileage, created_at, updated_at)
                     SELECT c.station_id, c.id, 'LPLAN' || lpad(c.id::text, 12, '0'),
                            '沪' || chr(65 + (c.id % 20)::int) || lpad(((c.id * 7919) % 100000)::text, 5, '0'),
                            '丰田', '凯美瑞', 2020, '', 0, now(), now()
                     FROM reception_customer c""")
        # The tests' database is built without migrations: the search indexes are made here, by the migrations' own
        # code, after the load (as on a real database, where they are built once and kept up by autovacuum).
        c.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check the loaded rows' foreign keys now: no pending triggers
        c.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        c.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
        editor = SimpleNamespace(connection=connection, execute=c.execute)
        import_module("reception.migrations.0003_search_indexes").create(None, editor)
        import_module("reception.migrations.0008_station_search_indexes").create(None, editor)
        c.execute("ANALYZE reception_vehicle")
        c.execute("ANALYZE reception_customer")
    return ids


@pytest.mark.postgres
def test_a_stations_search_uses_the_station_leading_trigram_indexes(many_stations, station):
    with CaptureQueriesContext(connection) as ctx:
        selectors.search(None, "1234", station_ids=frozenset([station.pk]))
        selectors.search(None, "客户123", station_ids=frozenset([station.pk]))
    vehicle_sql = [q["sql"] for q in ctx.captured_queries if 'FROM "reception_vehicle"' in q["sql"]][0]
    customer_sql = [q["sql"] for q in ctx.captured_queries if 'FROM "reception_customer"' in q["sql"]][-1]
    captured = [vehicle_sql, customer_sql]
    plans = []
    with connection.cursor() as c:
        for sql in captured:
            c.execute("EXPLAIN " + sql)
            plans.append("\n".join(row[0] for row in c.fetchall()))
    assert "vehicle_station_plate_trgm" in plans[0], plans[0]
    assert "customer_station_name_trgm" in plans[1], plans[1]


@pytest.mark.postgres
def test_the_desk_query_uses_the_open_orders_index(db, station, alice):
    vehicle = VehicleFactory(station=station)
    with connection.cursor() as c:  # 30,000 delivered orders of alice's history, 10 open ones
        c.execute("""INSERT INTO reception_workorder (created_at, updated_at, number, status, fuel_level, opened_at,
                         is_walk_in, notes, advisor_id, customer_id, station_id, vehicle_id)
                     SELECT now(), now(), 'P' || i, CASE WHEN i > 29990 THEN 'open' ELSE 'delivered' END, '50',
                            now() - (30000 - i) * interval '1 hour', true, '', %s, %s, %s, %s
                     FROM generate_series(1, 30000) i""", [alice.pk, vehicle.owner_id, station.pk, vehicle.pk])
        c.execute("ANALYZE reception_workorder")
    groups = selectors.open_orders_by_state(alice, advisor=alice, station=station)
    assert sum(len(rows) for _s, _l, rows in groups) == 10
    qs = (selectors.orders(alice).exclude(status__in=[WorkOrder.Status.DELIVERED, WorkOrder.Status.CANCELLED])
          .filter(advisor=alice, station=station).order_by("opened_at")[:200])
    assert "work_order_open_by_advisor" in _plan(qs)


def test_the_search_filters_one_station_with_an_equality(station, other_station):
    """GIN cannot use ``station_id IN (…)``: one station is asked for with ``=`` so the station-leading index applies."""
    with CaptureQueriesContext(connection) as ctx:
        selectors.search(None, "B123", station_ids=frozenset([station.pk]))
        selectors.search(None, "B123", station_ids=frozenset([station.pk, other_station.pk]))
    one, several = (q["sql"] for q in ctx.captured_queries if 'FROM "reception_vehicle"' in q["sql"])
    assert f'"station_id" = {station.pk}' in one
    assert '"station_id" IN (' in several

