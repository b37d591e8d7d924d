"""Device links for wall TVs (kiosk mode): a secret address shows one station's board, read-only, without a login;
revoking it stops the board at its next poll; the public welcome board masks plates."""

from __future__ import annotations

import time as clock
from datetime import datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from org.kiosk import kiosk_link_create, kiosk_link_for_token, kiosk_link_revoke, token_hash
from org.middleware import LAST_ACTIVITY_KEY
from org.models import KioskLink
from reception.factories import AppointmentFactory, VehicleFactory, WorkOrderFactory
from reception.services.validation import mask_plate

pytestmark = pytest.mark.django_db


def _noon():
    return timezone.make_aware(datetime.combine(timezone.localdate(), time(12)))


@pytest.mark.parametrize(("plate", "masked"), [
    ("沪AD1235", "沪A·D1**5"),
    ("沪A·D1235", "沪A·D1**5"),
    ("沪AD12345", "沪A·D1***5"),  # new-energy plates have one more character
    ("粤B 12345", "粤B·12**5"),
    ("ABC1234", "AB****4"),
    ("", ""),
])
def test_plates_are_masked_for_public_screens(plate, masked):
    assert mask_plate(plate) == masked


def test_a_link_keeps_only_the_hash_of_its_token_and_is_revoked_by_someone(station, carol):
    link, token = kiosk_link_create(station=station, board="workshop", label="车间TV", by=carol)
    assert len(token) >= 40
    assert link.token_hash == token_hash(token) and token not in link.token_hash
    assert kiosk_link_for_token(token) == link
    assert kiosk_link_for_token(token + "x") is None
    kiosk_link_revoke(link=link, by=carol)
    link.refresh_from_db()
    assert (link.revoked_by, link.active) == (carol, False) and link.revoked_at is not None
    with pytest.raises(DomainError):
        kiosk_link_revoke(link=link, by=carol)
    with pytest.raises(DomainError) as refused:
        kiosk_link_create(station=station, board="no-such-board", label="x", by=carol)
    assert refused.value.field == "board"


def test_the_manager_creates_a_link_and_sees_its_address_once(client_as, carol, station):
    client = client_as(carol)
    response = client.post(reverse("org:kiosk_links"), {"board": "welcome", "label": "休息区电视"})
    assert response.status_code == 302
    page = client.get(reverse("org:kiosk_links")).content.decode()
    link = KioskLink.objects.get()
    assert (link.station, link.board, link.label, link.created_by) == (station, "welcome", "休息区电视", carol)
    assert "/kiosk/" in page and 'data-testid="new-link-url"' in page
    assert 'data-testid="new-link-url"' not in client.get(reverse("org:kiosk_links")).content.decode()
    empty = client.post(reverse("org:kiosk_links"), {"board": "welcome", "label": " "})
    assert empty.status_code == 400 and KioskLink.objects.count() == 1


def test_a_link_shows_only_its_own_stations_board_without_staff_menu(client, station, other_station, carol):
    mine = WorkOrderFactory(signed=True, station=station, vehicle=VehicleFactory(station=station, plate="沪AK1111"))
    theirs = WorkOrderFactory(signed=True, station=other_station,
                              vehicle=VehicleFactory(station=other_station, plate="沪AK2222"))
    _, token = kiosk_link_create(station=station, board="workshop", label="TV", by=carol)
    url = reverse("kiosk", kwargs={"token": token})
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert mine.vehicle.plate in body and theirs.vehicle.plate not in body
    assert "navbar" not in body and "Leave TV mode" not in body and 'name="password"' not in body
    assert f'hx-get="{url}"' in body  # the board polls its own device link, not the staff page
    poll = client.get(url, headers={"HX-Request": "true", "X-Background-Poll": "1"})
    assert poll.status_code == 200 and mine.vehicle.plate in poll.content.decode()
    assert KioskLink.objects.get().last_seen_at is not None


def test_a_revoked_link_answers_the_revoked_page_and_makes_a_poll_reload(client, station, carol):
    link, token = kiosk_link_create(station=station, board="workshop", label="TV", by=carol)
    url = reverse("kiosk", kwargs={"token": token})
    kiosk_link_revoke(link=link, by=carol)
    page = client.get(url)
    assert page.status_code == 410
    assert "kiosk-revoked" in page.content.decode() and 'name="password"' not in page.content.decode()
    poll = client.get(url, headers={"HX-Request": "true"})
    assert poll["HX-Refresh"] == "true"
    assert client.get(reverse("kiosk", kwargs={"token": "not-a-token"})).status_code == 404


def test_a_stale_staff_session_on_the_tv_neither_ends_nor_breaks_the_board(client_as, carol, station, settings):
    _, token = kiosk_link_create(station=station, board="workshop", label="TV", by=carol)
    client = client_as(carol)
    session = client.session
    session[LAST_ACTIVITY_KEY] = clock.time() - settings.IDLE_TIMEOUT_MINUTES * 60 - 5
    session.save()
    page = client.get(reverse("kiosk", kwargs={"token": token}), headers={"HX-Request": "true"})
    assert page.status_code == 200 and "HX-Redirect" not in page


def test_an_idle_staff_board_poll_sends_the_whole_page_to_login_not_into_the_board(client_as, carol, settings):
    client = client_as(carol)
    session = client.session
    session[LAST_ACTIVITY_KEY] = clock.time() - settings.IDLE_TIMEOUT_MINUTES * 60 - 5
    session.save()
    poll = client.get(reverse("workshop:board"), headers={"HX-Request": "true", "X-Background-Poll": "1"})
    assert poll.status_code == 204
    assert poll["HX-Redirect"].startswith(reverse("login"))


def test_the_welcome_board_masks_plates_and_a_link_shows_no_staff_menu(client, client_as, station, other_station,
                                                                      carol):
    AppointmentFactory(station=station, start=_noon(), vehicle=VehicleFactory(station=station, plate="沪AD1235"))
    AppointmentFactory(station=other_station, start=_noon(),
                       vehicle=VehicleFactory(station=other_station, plate="沪AD9999"))
    _, token = kiosk_link_create(station=station, board="welcome", label="lounge", by=carol)
    body = client.get(reverse("kiosk", kwargs={"token": token})).content.decode()
    assert "沪A·D1**5" in body and "沪AD1235" not in body
    assert "沪A·D9**9" not in body  # another station's appointment
    assert "navbar" not in body
    staff_board = client_as(carol).get(reverse("reception:welcome_board")).content.decode()
    assert "沪A·D1**5" in staff_board and "沪AD1235" not in staff_board
