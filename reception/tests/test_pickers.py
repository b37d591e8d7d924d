"""Search-as-you-type pickers (core.pickers) on the front desk's forms: no page lists a table, the suggestions come
from the station's rows only, and a form refuses another station's id with an error next to the field."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parts.factories import PartFactory
from reception import selectors
from reception.factories import CustomerFactory, LabourOperationFactory, VehicleFactory
from reception.models import Appointment, Vehicle, WorkOrder


def _rows(station, n: int, start: int) -> list[Vehicle]:
    """``n`` customers, each with a vehicle, a labour operation and a part, named so they can be found in a page."""
    vehicles = []
    for i in range(start, start + n):
        owner = CustomerFactory(station=station, name=f"车主{i:04d}号", mobile=f"1390000{i:04d}")
        vehicles.append(VehicleFactory(station=station, owner=owner, plate=f"沪K{i:05d}"))
        LabourOperationFactory(station=station, code=f"OP{i:04d}", name_zh=f"工时{i:04d}")
        PartFactory(station=station, part_number=f"PN-{i:05d}", name_zh=f"配件{i:04d}")
    return vehicles


def _get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


PAGES = {
    "new order": lambda world: reverse("reception:order_receive"),
    "new order for a vehicle": lambda world: reverse("reception:order_receive") + f"?vehicle={world['vehicle'].pk}",
    "new appointment": lambda world: reverse("reception:appointment_create"),
    "vehicle page": lambda world: reverse("reception:vehicle_detail", args=[world["vehicle"].pk]),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_page_lists_no_rows_and_does_not_grow(client_as, alice, station, vehicle, page):
    client = client_as(alice)
    url = PAGES[page]({"vehicle": vehicle})
    client.get(url)  # the first page after login stamps the session
    _rows(station, 3, 0)
    small, few = _get(client, url)
    more = _rows(station, 30, 100)
    large, many = _get(client, url)

    assert many == few, f"{page}: {few} queries at 1x rows, {many} at 10x"
    assert abs(len(large) - len(small)) < 100, f"{page}: {len(small)} bytes at 1x rows, {len(large)} at 10x"
    for v in more:
        assert v.plate not in large and v.owner.name not in large
    assert "工时01" not in large and "配件01" not in large and f'value="{more[0].pk}"' not in large
    assert 'role="combobox"' in large


def test_vehicle_suggestions_are_the_stations_and_few(client_as, alice, station, other_station):
    ours = _rows(station, 15, 0)
    theirs = VehicleFactory(station=other_station, plate="沪K99999",
                            owner=CustomerFactory(station=other_station, name="车主9999号"))
    client = client_as(alice)
    html = client.get(reverse("reception:pick_vehicles"), {"q": "沪K"}).content.decode()
    assert html.count('role="option"') == 10
    assert theirs.plate not in html
    assert all(f'data-value="{v.pk}"' not in html for v in [theirs])
    # the owner's name finds the car
    html = client.get(reverse("reception:pick_vehicles"), {"q": "车主0003号"}).content.decode()
    assert f'data-value="{ours[3].pk}"' in html and 'data-label="沪K00003"' in html
    # another station's name finds nothing, even asked for with that station's id
    html = client.get(reverse("reception:pick_vehicles"), {"q": "车主9999号", "station": other_station.pk}).content
    assert "沪K99999" not in html.decode()


def test_customer_operation_and_part_suggestions_are_the_stations(client_as, alice, station, other_station):
    _rows(station, 2, 0)
    CustomerFactory(station=other_station, name="车主0001号乙", mobile="13900009999")
    LabourOperationFactory(station=other_station, code="OP0001X", name_zh="工时0001乙")
    PartFactory(station=other_station, part_number="PN-00001X", name_zh="配件0001乙")
    client = client_as(alice)
    customers = client.get(reverse("reception:pick_customers"), {"q": "车主0001"}).content.decode()
    assert "车主0001号" in customers and "乙" not in customers
    operations = client.get(reverse("reception:pick_operations"), {"q": "OP0001"}).content.decode()
    assert "OP0001" in operations and "乙" not in operations
    parts = client.get(reverse("reception:pick_parts"), {"q": "PN-0000"}).content.decode()
    assert parts.count('role="option"') == 2 and "乙" not in parts


def test_part_suggestions_put_the_vehicles_model_first(client_as, alice, station, vehicle):
    vehicle.model = "卡罗拉"
    vehicle.save()
    for i, model in enumerate(["凯美瑞", "汉兰达", "雷凌", "威驰", "亚洲龙", "普拉多", "致炫", "RAV4荣放", "皇冠", "奕泽",
                               "凌尚", "赛那"]):
        PartFactory(station=station, part_number=f"85212-A{i:03d}", name_zh=f"雨刮片({model})")
    fits = PartFactory(station=station, part_number="85212-Z999", name_zh="雨刮片(卡罗拉)")
    client = client_as(alice)
    html = client.get(reverse("reception:pick_parts"), {"q": "雨刮", "vehicle": vehicle.pk}).content.decode()
    values = re.findall(r'data-value="(\d+)"', html)
    assert values[0] == str(fits.pk) and len(values) == 10
    # without the vehicle, the 13 matches are cut at 10 by part number: the Corolla's is not among them
    html = client.get(reverse("reception:pick_parts"), {"q": "雨刮"}).content.decode()
    assert str(fits.pk) not in re.findall(r'data-value="(\d+)"', html)


def test_new_order_refuses_another_stations_vehicle(client_as, alice, station, other_station):
    theirs = VehicleFactory(station=other_station)
    response = client_as(alice).post(reverse("reception:order_receive"), {
        "vehicle": theirs.pk, "mileage_in": 1000, "fuel_level": WorkOrder.Fuel.HALF, "concerns": "异响"})
    assert response.status_code == 400
    assert response.context["form"].errors["vehicle"] == ["Pick one of the suggestions (type to search)."]
    assert not WorkOrder.objects.exists()


def test_bound_form_shows_the_chosen_vehicle_again(client_as, alice, vehicle):
    response = client_as(alice).post(reverse("reception:order_receive"), {
        "vehicle": vehicle.pk, "mileage_in": "", "fuel_level": WorkOrder.Fuel.HALF, "concerns": "异响"})
    assert response.status_code == 400 and "mileage_in" in response.context["form"].errors
    html = response.content.decode()
    assert f'name="vehicle" value="{vehicle.pk}"' in html and 'value="沪A12345"' in html


def test_change_owner_refuses_another_stations_customer(client_as, alice, vehicle, other_station):
    theirs = CustomerFactory(station=other_station)
    response = client_as(alice).post(reverse("reception:vehicle_owner", args=[vehicle.pk]), {"owner": theirs.pk})
    assert response.status_code == 400
    assert "owner" in response.context["form"].errors
    vehicle.refresh_from_db()
    assert vehicle.owner.name == "王先生"


def test_appointment_refuses_another_stations_part_and_keeps_the_chosen_ones(client_as, alice, station, vehicle,
                                                                            other_station):
    ours = PartFactory(station=station, part_number="04152-YZZA1", name_zh="机油滤清器")
    theirs = PartFactory(station=other_station)
    op = LabourOperationFactory(station=station, code="MT001", name_zh="更换机油机滤")
    start = (timezone.localtime() + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    data = {"vehicle": vehicle.pk, "advisor": alice.pk, "start": start.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 60, "channel": Appointment.Channel.PHONE, "operations": [op.pk],
            "parts": [ours.pk, theirs.pk]}
    response = client_as(alice).post(reverse("reception:appointment_create"), data)
    assert response.status_code == 400
    assert "parts" in response.context["form"].errors
    html = response.content.decode()
    assert "04152-YZZA1 机油滤清器" in html and "MT001 更换机油机滤" in html  # the chosen ones stay, as tags
    assert not Appointment.objects.exists()
    data["parts"] = [ours.pk]
    assert client_as(alice).post(reverse("reception:appointment_create"), data).status_code == 302
    appointment = Appointment.objects.get()
    assert list(appointment.parts.all()) == [ours] and list(appointment.operations.all()) == [op]


# --- the top search box ---------------------------------------------------------------------------------------------

@pytest.fixture
def fleet(station):
    owner = CustomerFactory(station=station, name="李建国", mobile="13912345678")
    return [VehicleFactory(station=station, owner=owner, plate=f"沪B1000{i}") for i in range(3)]


@pytest.mark.parametrize("query", ["13912345678", "139 1234 5678", "李建国", "李建", "5678"])
def test_search_finds_vehicles_through_their_owner(alice, station, other_station, fleet, query):
    other = CustomerFactory(station=other_station, name="李建国", mobile="13912345678")
    VehicleFactory(station=other_station, owner=other, plate="沪B99999")
    result = selectors.search(alice, query)
    assert {v.plate for v in result.vehicles} == {"沪B10000", "沪B10001", "沪B10002"}
    assert [c.name for c in result.customers] == ["李建国"]


def test_last_four_digits_are_the_end_of_the_number(alice, station, fleet):
    CustomerFactory(station=station, name="张三", mobile="13956781234")  # 5678 in the middle, not at the end
    assert [c.name for c in selectors.search(alice, "5678").customers] == ["李建国"]
    assert selectors.search(alice, "4321").empty


def test_search_page_shows_the_owners_vehicles(client_as, alice, fleet):
    html = client_as(alice).get(reverse("reception:search"), {"q": "5678"}).content.decode()
    assert "沪B10000" in html and "李建国" in html


@pytest.mark.postgres
def test_last_four_digits_use_the_index(alice, station):
    """The search box's customer query for four digits is planned on the last-four index, not a scan of the
    station's customers."""
    from reception.models import Customer

    Customer.objects.bulk_create(Customer(station=station, name=f"客户{i}", mobile=f"139{i:08d}") for i in range(5000))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reception_customer")
    with CaptureQueriesContext(connection) as ctx:
        found = selectors.search(alice, "1234").customers
    assert [c.mobile for c in found] == ["13900001234"]
    sql = next(q["sql"] for q in ctx.captured_queries if 'FROM "reception_customer"' in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "customer_station_mobile_last4" in plan, plan
