import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kpi.factories import make_order
from kpi.models import Overhead, Target
from kpi.services.rollup import rollup_days

Q = "?period=month&date=2026-03-01"


@pytest.fixture
def rolled(station, other_station, alice, mallory):
    make_order(station=station, advisor=alice, opened="2026-03-02 09:00", delivered="2026-03-02 16:00",
               promised="2026-03-02 12:00",
               lines=[{"kind": "labour", "hours": "2", "unit_price": "300"}])
    make_order(station=other_station, advisor=mallory, opened="2026-03-02 09:00", delivered="2026-03-02 16:00",
               lines=[{"kind": "labour", "hours": "1", "unit_price": "999"}])
    rollup_days(start=date(2026, 3, 1), end=date(2026, 3, 31))


@pytest.fixture
def director(station):
    from org.factories import StaffFactory

    return StaffFactory(username="dora", position="group_director", station=None, group=station.group)


def test_the_manager_sees_the_station_board_with_their_figures_only(rolled, client_as, carol):
    response = client_as(carol).get(reverse("kpi:index") + Q)
    assert response.status_code == 200
    text = response.content.decode()
    assert "¥600.00" in text  # revenue of station A
    assert "999" not in text  # nothing of station B
    assert 'id="chart-data"' in text and "chart.umd.min.js" in text
    assert 'href="/kpi/drill/revenue/?period=month' in text


def test_a_manager_cannot_pick_another_station(rolled, client_as, carol, other_station):
    text = client_as(carol).get(reverse("kpi:board", args=["station"]) + Q + f"&station={other_station.pk}").content
    assert b"\xc2\xa5600.00" in text and b"999" not in text


def test_the_front_desk_board_lists_advisors_side_by_side(rolled, client_as, alice, make_staff):
    lead = alice.reports_to
    response = client_as(lead).get(reverse("kpi:index") + Q)
    assert response.status_code == 200
    assert 'id="people"' in response.content.decode()
    assert alice.display_name in response.content.decode()


def test_the_director_sees_stations_ranked(rolled, client_as, director, station, other_station):
    response = client_as(director).get(reverse("kpi:group") + Q + "&rank=revenue")
    text = response.content.decode()
    assert response.status_code == 200
    assert text.index(other_station.name) < text.index(station.name, text.index('id="ranking"'))


def test_revenue_drills_down_to_the_delivered_orders(rolled, client_as, carol):
    response = client_as(carol).get(reverse("kpi:drill", args=["revenue"]) + Q)
    assert response.status_code == 200
    assert response.context["records"].rows[0][6] == Decimal("600.00")
    assert len(response.context["records"].rows) == 1
    assert response.context["day_rows"][1][1] == Decimal("600.00")  # 2026-03-02


def test_on_time_drills_down_to_the_late_orders(rolled, client_as, carol):
    response = client_as(carol).get(reverse("kpi:drill", args=["on_time"]) + Q)
    assert len(response.context["records"].rows) == 1


def test_the_station_board_exports_to_csv_and_excel(rolled, client_as, carol):
    client = client_as(carol)
    response = client.get(reverse("kpi:export", args=["station", "csv"]) + Q)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["KPI", "value"]
    assert ["revenue", "¥600.00"] == rows[1][:2]
    response = client.get(reverse("kpi:export", args=["desk", "xlsx"]) + Q)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(1, 1).value == "name"
    assert sheet.max_row == 2


def test_the_group_table_exports_and_the_drill_exports(rolled, client_as, director, carol):
    response = client_as(director).get(reverse("kpi:group_export", args=["xlsx"]) + Q)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 3  # header + 2 stations
    response = client_as(carol).get(reverse("kpi:drill", args=["revenue"]) + Q + "&format=csv")
    assert "WO" in response.content.decode("utf-8-sig")


def test_the_manager_sets_a_target_entered_as_a_percentage(client_as, carol, station):
    response = client_as(carol).post(reverse("kpi:targets"), {"kpi": "on_time", "value": "97"})
    assert response.status_code == 302
    assert Target.objects.get(station=station, kpi="on_time").value == Decimal("0.97")


def test_the_manager_enters_the_monthly_overhead(client_as, carol, station):
    response = client_as(carol).post(reverse("kpi:overhead"), {"month": "2026-03", "amount": "120000"})
    assert response.status_code == 302
    assert Overhead.objects.get(station=station).month == date(2026, 3, 1)


def test_an_unknown_board_or_kpi_is_not_found(client_as, carol):
    assert client_as(carol).get(reverse("kpi:board", args=["nope"])).status_code == 404
    assert client_as(carol).get(reverse("kpi:drill", args=["nope"])).status_code == 404


def test_a_manager_cannot_drill_into_another_stations_orders(rolled, client_as, carol, other_station):
    response = client_as(carol).get(reverse("kpi:drill", args=["revenue"]) + Q + f"&station={other_station.pk}")
    assert [row[6] for row in response.context["records"].rows] == [Decimal("600.00")]  # their own, not 999
    response = client_as(carol).get(reverse("kpi:drill", args=["revenue"]) + Q + "&scope=group")
    assert len(response.context["records"].rows) == 1  # no group scope without kpi.group
