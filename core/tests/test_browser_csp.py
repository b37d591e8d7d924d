"""Issue 13 (Low), in Chromium: with the Content-Security-Policy on, the main pages of the desk, the workshop, the
order and the dashboard report no CSP violation and still work (htmx search, the damage diagram, the signature
pad, the charts)."""

from __future__ import annotations

import pytest

from reception.factories import CustomerFactory, VehicleFactory
from reception.services.orders import order_receive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


def _watch(page) -> list[str]:
    problems: list[str] = []
    page.add_init_script(LISTEN)
    page.on("console", lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    return problems


def _violations(page) -> list[str]:
    return page.evaluate("window.__csp || []")


def test_the_desk_and_the_order_pages_work_under_the_policy(browser_page, browser_login, alice, station):
    customer = CustomerFactory(station=station, name="王测试", mobile="13800001234")
    vehicle = VehicleFactory(station=station, owner=customer, plate="沪A12345")
    order = order_receive(station=station, by=alice, customer=customer, vehicle=vehicle, concerns=["异响"],
                          mileage_in=90000, fuel_level="50")
    page = browser_page
    problems = _watch(page)
    browser_login(page, alice)

    page.goto(page.base_url + "/reception/")
    page.fill("input[name=q][hx-get]", "13800001234")
    page.wait_for_selector("#search-dropdown >> text=王测试")
    assert _violations(page) == []

    page.goto(f"{page.base_url}/reception/orders/{order.pk}/")
    page.wait_for_selector("#order-lines")
    assert _violations(page) == []

    page.goto(f"{page.base_url}/reception/orders/{order.pk}/pre-inspection/")
    page.locator("#diagram").click(position={"x": 40, "y": 120})
    page.wait_for_selector("#mark-list input")  # the diagram's script ran
    assert _violations(page) == []

    page.goto(f"{page.base_url}/reception/orders/{order.pk}/sign/")
    page.wait_for_selector("#signature-pad")
    assert page.evaluate("document.getElementById('signature-pad').width > 0")  # the pad's script sized it
    assert _violations(page) == []
    assert problems == []


def test_the_board_and_the_dashboard_work_under_the_policy(browser_page, browser_login, carol, make_staff):
    lead = make_staff("workshop_lead", username="wl")
    page = browser_page
    problems = _watch(page)
    browser_login(page, lead)
    page.goto(page.base_url + "/workshop/board/")
    page.wait_for_load_state("networkidle")
    assert _violations(page) == []

    page.context.clear_cookies()
    browser_login(page, carol)
    page.goto(page.base_url + "/kpi/")
    page.wait_for_load_state("networkidle")
    assert page.locator("#chart-data").count() == 1
    assert _violations(page) == []
    assert problems == []
