"""Kiosk mode in a real browser: a wall TV keeps showing its board after the idle timeout would have ended a staff
session, stops with a "link revoked" page (not a login form inside the board) at the next poll after the manager
revokes it, and the welcome board masks plates."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from django.utils import timezone

from org.kiosk import kiosk_link_revoke
from org.models import KioskLink
from reception.factories import AppointmentFactory, VehicleFactory, WorkOrderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _create_link(page, board: str, label: str) -> str:
    page.goto(page.base_url + "/org/screens/")
    page.select_option("select[name=board]", board)
    page.fill("input[name=label]", label)
    page.get_by_role("button", name="Create link").click()
    page.locator("[data-testid=new-link-url]").wait_for()
    return page.input_value("[data-testid=new-link-url]")


def test_a_kiosk_board_outlives_the_idle_timeout_and_stops_when_revoked(
    browser_page, browser_login, station, carol, settings
):
    page = browser_page
    WorkOrderFactory(signed=True, station=station, vehicle=VehicleFactory(station=station, plate="沪AK1234"))
    browser_login(page, carol)
    url = _create_link(page, "workshop", "车间电视1")
    assert "/kiosk/" in url

    # The TV's browser still holds the manager's session; it will go stale in about a second.
    settings.IDLE_TIMEOUT_MINUTES = 0.02
    settings.BOARD_POLL_SECONDS = 1
    polls = []
    page.on("response", lambda r: polls.append(r.status) if "/kiosk/" in r.url and r.request.headers.get("hx-request") else None)
    page.goto(url)
    assert page.locator("nav.navbar").count() == 0
    page.locator("#board", has_text="沪AK1234").wait_for()
    page.wait_for_timeout(4000)  # past the idle timeout, several polls
    assert len(polls) >= 2 and set(polls) == {200}
    assert page.locator("input[name=password]").count() == 0
    assert page.locator("#board", has_text="沪AK1234").is_visible()

    # Revoked: the next poll turns the screen into the "link revoked" page.
    kiosk_link_revoke(link=KioskLink.objects.get(), by=carol)
    page.locator("#kiosk-revoked").wait_for(timeout=5000)
    assert page.locator("#board").count() == 0
    assert page.locator("input[name=password]").count() == 0


def test_the_lounge_tv_shows_masked_plates_and_no_staff_menu(browser_page, browser_login, station, carol):
    page = browser_page
    noon = timezone.make_aware(datetime.combine(timezone.localdate(), time(12)))
    AppointmentFactory(station=station, start=noon, vehicle=VehicleFactory(station=station, plate="沪AD1235"))
    browser_login(page, carol)
    url = _create_link(page, "welcome", "休息区电视")
    page.context.clear_cookies()  # the lounge TV has never been logged in on
    page.goto(url)
    page.locator("#welcome-board [data-plate]", has_text="沪A·D1**5").wait_for()
    assert "沪AD1235" not in page.content()
    assert page.locator("nav.navbar").count() == 0
