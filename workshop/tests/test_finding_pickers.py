"""The technician's finding form picks its labour operation and part by searching (core.pickers): the page lists no
catalogue, the suggestions are the order's station's (its vehicle's model first), another station's id is refused."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from org.factories import StationFactory
from parts.factories import PartFactory
from reception.factories import LabourOperationFactory
from workshop.models import Finding
from workshop.tests.test_comebacks import _delivered


def _catalogue(station, n: int, start: int) -> None:
    for i in range(start, start + n):
        LabourOperationFactory(station=station, code=f"OP{i:04d}", name_zh=f"工时{i:04d}")
        PartFactory(station=station, part_number=f"PN-{i:05d}", name_zh=f"配件{i:04d}")


def _get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def test_finding_form_lists_no_catalogue_and_does_not_grow(client_as, bob, station, dispatched):
    client = client_as(bob)
    url = reverse("workshop:finding_create", args=[dispatched.pk])
    client.get(url)
    _catalogue(station, 3, 0)
    small, few = _get(client, url)
    _catalogue(station, 30, 100)
    large, many = _get(client, url)
    assert many == few
    assert abs(len(large) - len(small)) < 100
    assert "配件01" not in large and "工时01" not in large
    assert large.count('role="combobox"') == 2


def test_finding_suggestions_are_the_orders_station_and_its_model_first(client_as, bob, station, other_station,
                                                                        dispatched):
    vehicle = dispatched.order.vehicle
    vehicle.model = "卡罗拉"
    vehicle.save()
    for i, model in enumerate(["凯美瑞", "汉兰达", "雷凌", "威驰", "亚洲龙", "普拉多", "致炫", "RAV4荣放", "皇冠", "奕泽",
                               "凌尚"]):
        PartFactory(station=station, part_number=f"85212-A{i:03d}", name_zh=f"雨刮片({model})")
    fits = PartFactory(station=station, part_number="85212-Z999", name_zh="雨刮片(卡罗拉)")
    theirs = PartFactory(station=other_station, part_number="85212-A000", name_zh="雨刮片(卡罗拉)")
    client = client_as(bob)
    html = client.get(reverse("workshop:finding_pick_parts", args=[dispatched.pk]), {"q": "雨刮"}).content.decode()
    values = re.findall(r'data-value="(\d+)"', html)
    assert values[0] == str(fits.pk) and str(theirs.pk) not in values and len(values) == 10
    LabourOperationFactory(station=other_station, code="BRK-09", name_zh="更换前刹车片")
    html = client.get(reverse("workshop:finding_pick_operations", args=[dispatched.pk]), {"q": "BRK"}).content.decode()
    assert html.count('role="option"') == 0


def test_finding_refuses_another_stations_part(client_as, bob, other_station, dispatched, labour_op):
    theirs = PartFactory(station=other_station)
    response = client_as(bob).post(reverse("workshop:finding_create", args=[dispatched.pk]), {
        "description": "雨刮片老化", "part": theirs.pk, "part_quantity": "1"})
    assert response.status_code == 400
    assert response.context["form"].errors["part"] == ["Pick one of the suggestions (type to search)."]
    assert not Finding.objects.exists()
    # the labour operation picked stays shown (its label) while the part is corrected
    response = client_as(bob).post(reverse("workshop:finding_create", args=[dispatched.pk]), {
        "description": "刹车片磨损", "labour_operation": labour_op.pk, "part": theirs.pk, "part_quantity": "1"})
    assert 'value="BRK-01 更换前刹车片"' in response.content.decode()


def test_comeback_form_picks_people_by_searching(client_as, quinn, make_staff, station, order):
    earlier = _delivered(station, order.vehicle, 10)
    client = client_as(quinn)
    url = reverse("workshop:comeback_link", args=[order.pk])
    client.get(url)
    small, few = _get(client, url)
    more = [make_staff("technician", username=f"tech{i:03d}", display_name=f"技师{i:03d}") for i in range(30)]
    large, many = _get(client, url)
    assert many == few and abs(len(large) - len(small)) < 100
    assert all(p.display_name not in large for p in more)
    assert earlier.number in large and large.count('role="combobox"') == 2
    stranger = make_staff("technician", username="stranger", station=StationFactory(code="station-z"))
    response = client.post(url, {"earlier_order": earlier.pk, "cause": "workmanship", "technician": stranger.pk})
    assert response.status_code == 400 and "technician" in response.context["form"].errors
