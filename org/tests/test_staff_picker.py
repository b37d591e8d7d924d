"""The staff picker (core.pickers + org:pick_staff): suggestions from one station's active people, the staff form
lists nobody, and another station's person is refused at the field."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def _people(make_staff, n: int, start: int, **kwargs):
    return [make_staff("technician", username=f"tech{i:04d}", display_name=f"技师{i:04d}", **kwargs)
            for i in range(start, start + n)]


def test_suggestions_are_the_stations_active_people(client_as, carol, make_staff, station, other_station):
    ours = _people(make_staff, 12, 0)
    make_staff("service_advisor", username="tech9000", display_name="技师9000")
    retired = make_staff("technician", username="tech8000", display_name="技师8000", is_active=False)
    theirs = make_staff("technician", username="tech7000", display_name="技师7000", station=other_station)
    client = client_as(carol)
    html = client.get(reverse("org:pick_staff"), {"q": "技师"}).content.decode()
    values = re.findall(r'data-value="(\d+)"', html)
    assert len(values) == 10
    assert str(retired.pk) not in values and str(theirs.pk) not in values
    html = client.get(reverse("org:pick_staff"), {"q": "技师00", "position": "technician"}).content.decode()
    assert set(re.findall(r'data-value="(\d+)"', html)) == {str(p.pk) for p in ours[:10]}
    # a station the user does not see is ignored: their own station answers
    html = client.get(reverse("org:pick_staff"), {"q": "技师7000", "station": other_station.pk}).content.decode()
    assert 'role="option"' not in html


def test_staff_form_lists_nobody_and_does_not_grow(client_as, carol, make_staff):
    client = client_as(carol)
    url = reverse("org:staff_create")
    client.get(url)
    _people(make_staff, 3, 0)
    with CaptureQueriesContext(connection) as few:
        small = client.get(url).content.decode()
    more = _people(make_staff, 30, 100)
    with CaptureQueriesContext(connection) as many:
        large = client.get(url).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert abs(len(large) - len(small)) < 100
    assert all(p.display_name not in large for p in more)


def test_staff_form_refuses_a_manager_of_a_station_not_managed(client_as, carol, make_staff, station, other_station):
    stranger = make_staff("station_manager", username="stranger", station=other_station)
    response = client_as(carol).post(reverse("org:staff_create"), {
        "display_name": "王五", "username": "wangwu", "position": "technician", "station": station.pk,
        "phone": "13912345678", "password": "Strong-pass-2026", "reports_to": stranger.pk})
    assert response.status_code == 400
    assert response.context["form"].errors["reports_to"] == ["Pick one of the suggestions (type to search)."]
