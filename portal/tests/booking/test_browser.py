"""Online booking in Chromium on a phone (390 px, zh-Hans): a booking for a free time reaches the desk's appointment
page marked online; a time whose day has filled up meanwhile is refused at the field. The page weight and the first
render under a throttled 3G profile (CDP Network.emulateNetworkConditions) are measured and bounded."""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from portal.tests.booking.conftest import last_code, tomorrow_at
from reception.factories import AppointmentFactory
from reception.models import Appointment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
# Chrome DevTools' "Regular 3G": 100 ms latency, 750 kbit/s down, 250 kbit/s up.
THREE_G = {"offline": False, "latency": 100, "downloadThroughput": 750 * 1024 // 8,
           "uploadThroughput": 250 * 1024 // 8}
FIRST_PAINT = "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null"


@pytest.fixture
def phone(live_server):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium): browser test skipped")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True,
                                      extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"})
        page = context.new_page()
        page.set_default_timeout(15000)
        page.base_url = live_server.url
        yield page
        context.close()
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _slot(page, when) -> None:
    page.locator(f"input[name=slot][value='{when.isoformat()}'] + span").click()


def test_an_online_booking_reaches_the_desk_and_a_full_day_is_refused(phone, station, desk, service, browser_login):
    # the day after tomorrow is full (8 h booked of 8): its times are shown struck through, not choosable
    AppointmentFactory(station=station, advisor=desk, start=tomorrow_at(8) + timezone.timedelta(days=1),
                       booked_hours=Decimal("8"))
    page = phone
    page.goto(f"{page.base_url}/book/{station.code}/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_text("选择服务项目").is_visible()
    page.locator("a[data-service='MT001']").click()
    _fits(page)
    full_day = (tomorrow_at(9) + timezone.timedelta(days=1)).isoformat()
    assert page.locator(f"input[name=slot][value='{full_day}']").is_disabled()
    assert page.get_by_text("已约满").first.is_visible()
    # a free time, plate and mobile → a code by SMS → booked
    _slot(page, tomorrow_at(9))
    page.fill("input[name=plate]", "沪A12345")
    page.fill("input[name=mobile]", "13800001111")
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_url(re.compile(r"/confirm/"))
    assert page.get_by_text("138****1111").is_visible()
    page.fill("input[name=code]", last_code("13800001111"))
    page.get_by_role("button", name="确认预约").click()
    page.wait_for_url(re.compile(r"/book/a/"))
    assert page.get_by_text("预约成功").is_visible()
    assert page.locator("[data-status=expected]").is_visible()
    _fits(page)
    booked = Appointment.objects.get(channel="online")
    assert timezone.localtime(booked.start) == tomorrow_at(9)

    # a second customer picks 10:00 tomorrow, but the desk fills that day before the code comes back: refused
    page.goto(f"{page.base_url}/book/{station.code}/?service={service.pk}")
    _slot(page, tomorrow_at(10))
    page.fill("input[name=plate]", "沪B22222")
    page.fill("input[name=mobile]", "13900002222")
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_url(re.compile(r"/confirm/"))
    AppointmentFactory(station=station, advisor=desk, start=tomorrow_at(15), booked_hours=Decimal("7"))
    page.fill("input[name=code]", last_code("13900002222"))
    page.get_by_role("button", name="确认预约").click()
    assert page.get_by_text("当天已约满，请选择其他时间。").is_visible()
    assert Appointment.objects.filter(channel="online").count() == 1
    # … and the full day can no longer be chosen on the booking page
    page.goto(f"{page.base_url}/book/{station.code}/?service={service.pk}")
    assert page.locator(f"input[name=slot][value='{tomorrow_at(10).isoformat()}']").is_disabled()

    # the advisor's appointment page of that day lists the online booking
    page.set_viewport_size({"width": 1366, "height": 900})
    browser_login(page, desk)
    page.goto(f"{page.base_url}/reception/appointments/?day={tomorrow_at(9).date().isoformat()}")
    row = page.locator("#appointment-list tr", has_text="沪A12345")
    assert row.locator("[data-channel=online]").is_visible()
    assert "09:00" in row.inner_text()


def test_page_weight_and_first_render_on_3g(phone, station, desk, service, capsys):
    page = phone
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", THREE_G)
    sizes: dict[str, int] = {}
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    results = {}
    for name, url in (("services", f"/book/{station.code}/"), ("times", f"/book/{station.code}/?service={service.pk}")):
        sizes.clear()
        page.goto(page.base_url + url)
        page.wait_for_load_state("load")
        page.wait_for_timeout(200)
        weight = sum(sizes.values())
        first_paint = page.evaluate(FIRST_PAINT)
        results[name] = (weight, first_paint)
        assert weight < 150_000, (name, weight)
        assert first_paint is not None and first_paint < 1000, (name, first_paint)
    with capsys.disabled():
        print("\nonline booking on Regular 3G (100 ms, 750/250 kbit/s): " + ", ".join(
            f"{name}: {weight / 1024:.1f} KB, first contentful paint {fcp:.0f} ms"
            for name, (weight, fcp) in results.items()))
