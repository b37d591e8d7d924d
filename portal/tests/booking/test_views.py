"""Online booking, the pages: public, the answers the same for a known and an unknown phone, refusals at the field
(400, input kept), the link of the confirmation SMS, and its limits."""

from __future__ import annotations

import re
from decimal import Decimal

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from portal import booking
from portal.tests.booking.conftest import last_code, last_link, tomorrow_at
from reception.factories import AppointmentFactory, CustomerFactory, LabourOperationFactory, VehicleFactory
from reception.models import Appointment
from tests.querycount import assert_flat

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}


def _url(station, **query):
    url = reverse("portal:book", kwargs={"code": station.code})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _ask(client, station, service, *, mobile="13800001111", plate="沪A12345", slot=None, **extra):
    data = {"service": service.pk, "slot": (slot or tomorrow_at(9)).isoformat(), "plate": plate, "mobile": mobile}
    return client.post(_url(station), data, **ZH, **extra)


def test_the_service_list_shows_bookable_operations_only(client, station, desk, service):
    LabourOperationFactory(station=station, code="XX9", name_zh="内部工时", bookable=False)
    response = client.get(_url(station), **ZH)
    assert response.status_code == 200
    text = response.content.decode()
    assert "更换机油机滤" in text and "内部工时" not in text
    assert 'lang="zh-hans"' in text and "base_reception" not in text
    assert len(response.content) < 150_000


def test_an_unknown_or_inactive_station_is_404(client, station, desk, service):
    assert client.get(reverse("portal:book", kwargs={"code": "nope"})).status_code == 404
    station.is_active = False
    station.save()
    assert client.get(_url(station)).status_code == 404


def test_slots_of_a_full_day_are_shown_disabled(client, station, desk, service):
    AppointmentFactory(station=station, advisor=desk, start=tomorrow_at(8), booked_hours=Decimal("7.5"))
    response = client.get(_url(station, service=service.pk), **ZH)
    text = response.content.decode()
    tomorrow = tomorrow_at(9).isoformat()
    assert re.search(rf'value="{re.escape(tomorrow)}" disabled', text)
    assert "已约满" in text
    assert not re.search(rf'value="{re.escape(tomorrow_at(9).isoformat()[:10])}[^"]*"\s*>', text)  # none open


def test_a_bad_plate_comes_back_at_the_field_with_the_input_kept(client, station, desk, service):
    response = _ask(client, station, service, plate="ABC")
    assert response.status_code == 400
    text = response.content.decode()
    assert 'data-error="plate"' in text and 'value="13800001111"' in text
    assert re.search(r'value="[^"]+" checked', text)  # the chosen time stays chosen


def test_the_whole_flow_books_an_online_appointment_seen_by_the_desk(client, station, desk, service, client_as):
    response = _ask(client, station, service)
    assert response.status_code == 302
    confirm = response["Location"]
    page = client.get(confirm, **ZH)
    assert page.status_code == 200 and "138****1111" in page.content.decode()
    assert client.post(confirm, {"code": "12345"}, **ZH).status_code == 400  # too short: at the field
    response = client.post(confirm, {"code": last_code("13800001111")}, **ZH)
    assert response.status_code == 302
    appointment = Appointment.objects.get(channel="online")
    manage = client.get(response["Location"], **ZH)
    assert manage.status_code == 200 and 'data-status="expected"' in manage.content.decode()
    assert last_link("13800001111").endswith(response["Location"])
    # the desk's appointment page of that day lists it, marked online
    staff = client_as(desk)
    day = client.get(reverse("reception:appointments") + f"?day={tomorrow_at(9).date().isoformat()}")
    assert 'data-channel="online"' in day.content.decode() and appointment.vehicle.plate in day.content.decode()
    del staff


def _plain(text: str) -> str:
    """Without what differs by design on every request: tokens (CSRF, the request's, the signed link)."""
    return re.sub(r"[\w:-]{20,}", "T", text)


def test_known_and_unknown_phones_get_the_same_answers(client, station, desk, service):
    CustomerFactory(station=station, mobile="13812345678")
    shapes = []
    for mobile in ("13812345678", "13900009999"):
        asked = _ask(client, station, service, mobile=mobile)
        confirm = asked["Location"]
        page = client.get(confirm, **ZH).content.decode()
        done = client.post(confirm, {"code": last_code(mobile)}, **ZH)
        manage = client.get(done["Location"], **ZH).content.decode()
        shapes.append((asked.status_code, _plain(confirm), _plain(re.sub(r"1\d\d\*{4}\d{4}", "M", page)),
                       done.status_code, _plain(manage)))
    assert shapes[0] == shapes[1]


def test_the_manage_link_cancels_and_moves(client, station, desk, service):
    _ask(client, station, service)
    appointment = booking.booking_confirm(
        station=station, token=next(iter([t for t in [_token(client, station, service)]])),
        code=last_code("13800002222"), link_for=lambda t: t)
    url = reverse("portal:book_manage", kwargs={"token": booking.manage_token(appointment)})
    response = client.post(url, {"action": "move", "slot": tomorrow_at(14).isoformat()}, **ZH)
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.start == tomorrow_at(14)
    bad = client.post(url, {"action": "move", "slot": tomorrow_at(14, 10).isoformat()}, **ZH)
    assert bad.status_code == 400 and 'data-error="slot"' in bad.content.decode()
    assert client.post(url, {"action": "cancel"}, **ZH).status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    text = client.get(url, **ZH).content.decode()
    assert 'data-status="cancelled"' in text and 'value="cancel"' not in text


def _token(client, station, service):
    response = _ask(client, station, service, mobile="13800002222", slot=tomorrow_at(10))
    return response["Location"].rstrip("/").rsplit("/", 1)[1]


def test_a_desk_booking_vehicle_is_not_exposed_through_a_guess(client, station, desk, service):
    vehicle = VehicleFactory(station=station, plate="沪A88888")
    appointment = AppointmentFactory(station=station, vehicle=vehicle, customer=vehicle.owner, advisor=desk)
    url = reverse("portal:book_manage", kwargs={"token": f"{appointment.pk}:forged"})
    response = client.get(url)
    assert response.status_code == 404 and "沪A88888" not in response.content.decode()


@override_settings(ONLINE_BOOKING={"MANAGE_FAILURES_PER_ADDRESS": 3})
def test_guessing_manage_links_is_limited_per_address(client, station, desk, service):
    for n in range(3):
        assert client.get(reverse("portal:book_manage", kwargs={"token": f"{n}:x"})).status_code == 404
    assert client.get(reverse("portal:book_manage", kwargs={"token": "9:x"})).status_code == 429
    other = client.get(reverse("portal:book_manage", kwargs={"token": "9:x"}), REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 404


@override_settings(ONLINE_BOOKING={"REQUESTS_PER_ADDRESS": 2})
def test_code_requests_are_limited_per_address(client, station, desk, service):
    assert _ask(client, station, service, mobile="13800000001").status_code == 302
    assert _ask(client, station, service, mobile="13800000002").status_code == 302
    refused = _ask(client, station, service, mobile="13800000003")
    assert refused.status_code == 400 and "明天" in refused.content.decode()


def test_english_switch(client, station, desk, service):
    station.name_en = "Station A"
    station.save()
    response = client.post(reverse("set_language"), {"language": "en", "next": _url(station)})
    assert response.status_code == 302
    text = client.get(_url(station)).content.decode()
    assert "Choose a service" in text and "Oil change" in text and "<h1>Station A</h1>" in text


def test_the_pages_do_not_grow_with_appointments_or_services(client, station, desk, service):
    """One query per shown day for its capacity at most, never one per appointment or per service."""
    def grow(n):
        for _i in range(n):
            AppointmentFactory(station=station, advisor=desk, start=tomorrow_at(9), booked_hours=Decimal("0.1"))
            LabourOperationFactory(station=station, bookable=True)

    assert_flat(client, _url(station), grow)
    assert_flat(client, _url(station, service=service.pk), grow)
    appointment = AppointmentFactory(station=station, advisor=desk, start=tomorrow_at(11), channel="online")
    assert_flat(client, reverse("portal:book_manage", kwargs={"token": booking.manage_token(appointment)}), grow)


def test_a_booking_made_today_shows_on_the_welcome_board_as_online(client, client_as, station, desk, service,
                                                                    settings):
    """Booked online for later today, it is on the lounge's board at once, marked online, its plate masked."""
    settings.ONLINE_BOOKING = {"LEAD_HOURS": 0, "OPEN": "00:00", "LAST_SLOT": "23:59", "SLOT_MINUTES": 1}
    today = booking.booking_days(station=station, hours=Decimal("1"))[0]
    assert today.day == timezone.localdate()
    slot = today.slots[2]  # a few minutes from now
    confirm = _ask(client, station, service, slot=slot, mobile="13800003333")["Location"]
    assert client.post(confirm, {"code": last_code("13800003333")}, **ZH).status_code == 302
    client_as(desk)
    board = client.get(reverse("reception:welcome_board_panel")).content.decode()
    assert 'data-channel="online"' in board and "沪A·12**5" in board and "沪A12345" not in board
