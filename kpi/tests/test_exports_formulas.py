"""Issue 13 item 8: a name typed as a spreadsheet formula comes out of every export as inert text; numbers stay
numbers."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kpi.factories import make_order, stock_history
from kpi.services.rollup import rollup_days
from parts.models import Part

EVIL = '=HYPERLINK("http://x","y")'
Q = "?period=month&date=2026-03-01"


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _sheet(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content)).active


def _cells(sheet):
    return [cell for row in sheet.iter_rows() for cell in row]


@pytest.fixture
def evil_month(station, alice):
    alice.display_name = EVIL
    alice.save()
    station.name = "-5"  # text, not a number
    station.save()
    make_order(station=station, advisor=alice, opened="2026-03-02 09:00", delivered="2026-03-02 16:00",
               lines=[{"kind": "labour", "hours": "2", "unit_price": "300"}])
    rollup_days(start=date(2026, 3, 1), end=date(2026, 3, 31))


def test_the_desk_board_export_writes_a_formula_name_as_text(evil_month, client_as, alice):
    client = client_as(alice.reports_to)
    rows = _csv(client.get(reverse("kpi:export", args=["desk", "csv"]) + Q))
    assert rows[1][0] == "'" + EVIL
    sheet = _sheet(client.get(reverse("kpi:export", args=["desk", "xlsx"]) + Q))
    name = sheet.cell(2, 1)
    assert name.value == EVIL and name.data_type == "s"
    assert all(cell.data_type != "f" for cell in _cells(sheet))


def test_the_group_export_writes_a_text_minus_five_as_text(evil_month, client_as, station):
    from org.factories import StaffFactory

    director = StaffFactory(username="dora", position="group_director", station=None, group=station.group)
    client = client_as(director)
    rows = _csv(client.get(reverse("kpi:group_export", args=["csv"]) + Q))
    assert ["1", "'-5"] == rows[1][:2] or ["2", "'-5"] == rows[2][:2]
    sheet = _sheet(client.get(reverse("kpi:group_export", args=["xlsx"]) + Q))
    ranks = {sheet.cell(r, 2).value: sheet.cell(r, 1) for r in range(2, sheet.max_row + 1)}
    assert "-5" in ranks
    assert ranks["-5"].data_type == "n" and isinstance(ranks["-5"].value, int)  # the rank stays a number
    assert [c for c in _cells(sheet) if c.value == "-5"][0].data_type == "s"


def test_the_drill_records_export_writes_the_advisor_formula_as_text(evil_month, client_as, carol):
    client = client_as(carol)
    rows = _csv(client.get(reverse("kpi:drill", args=["revenue"]) + Q + "&format=csv"))
    assert "'" + EVIL in rows[1]
    sheet = _sheet(client.get(reverse("kpi:drill", args=["revenue"]) + Q + "&format=xlsx"))
    evil = [c for c in _cells(sheet) if c.value == EVIL]
    assert evil and evil[0].data_type == "s"
    assert Decimal("600.00") in [Decimal(str(c.value)) for c in _cells(sheet) if c.data_type == "n"]


def test_the_stock_drill_export_keeps_quantities_as_numbers_and_part_names_inert(station, client_as, carol):
    stock_history(station)
    Part.objects.filter(station=station, part_number="A").update(name_zh="@SUM(1+1)*cmd|' /C calc'!A0")
    rollup_days(start=date(2026, 3, 2), end=date(2026, 3, 2))
    client = client_as(carol)
    url = reverse("kpi:drill", args=["stock_value"]) + "?period=day&date=2026-03-02"
    rows = _csv(client.get(url + "&format=csv"))
    row = next(r for r in rows if r[0] == "A")
    assert row[1].startswith("'@SUM")
    assert row[3] == "7.00"
    sheet = _sheet(client.get(url + "&format=xlsx"))
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "A")
    assert row[1].data_type == "s" and row[1].value.startswith("@SUM")
    assert row[3].value == 7 and row[3].data_type == "n"
    assert row[5].value == 70 and row[5].data_type == "n"
