"""Every page that needs a station fails the same way for someone who sees none: a logged 404."""

import pytest
from django.urls import reverse

from core.models import AccessDenial
from org.factories import StaffFactory

PAGES = [
    ("reception:index", "service_advisor"),
    ("workshop:board", "workshop_lead"),
    ("complaints:intake", "customer_relations"),
    ("complaints:settings", "station_manager"),
]


@pytest.mark.parametrize("url_name, position", PAGES)
def test_a_person_without_a_station_gets_a_logged_404(client, db, url_name, position):
    person = StaffFactory(username=f"nostation-{position}", position=position, station=None, group=None)
    client.force_login(person)
    response = client.get(reverse(url_name))
    assert response.status_code == 404
    assert AccessDenial.objects.filter(user=person, action="station", reason="scope").exists()


def test_the_same_page_works_with_a_station(client, alice):
    client.force_login(alice)
    assert client.get(reverse("reception:index")).status_code == 200
