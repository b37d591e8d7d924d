"""In Chromium: the search-as-you-type picker of the new work order — type, arrows, Enter picks, Esc closes — and the
order opens for the picked vehicle."""

import pytest

from core.tests.test_browser_csp import _violations, _watch
from reception.factories import CustomerFactory, VehicleFactory
from reception.models import WorkOrder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pick_a_vehicle_with_the_keyboard_and_open_the_order(browser_page, browser_login, alice, station,
                                                              other_station):
    owner = CustomerFactory(station=station, name="李建国", mobile="13912345678")
    first, second, _third = (VehicleFactory(station=station, owner=owner, plate=f"沪B1000{i}") for i in range(3))
    VehicleFactory(station=other_station, plate="沪B10009")  # another station's: never suggested
    problems = _watch(browser_page)  # the picker's script runs under the Content-Security-Policy
    page = browser_login(browser_page, alice)
    page.goto(f"{page.base_url}/reception/orders/new/")
    box = page.locator("#id_vehicle")
    listbox = page.locator("#id_vehicle_listbox")
    assert box.get_attribute("role") == "combobox" and box.get_attribute("aria-expanded") == "false"

    # Esc closes the list without picking
    box.press_sequentially("5678", delay=30)  # the last four digits of the owner's phone
    page.locator("#id_vehicle_listbox [role=option]").first.wait_for()
    assert listbox.locator("[role=option]").count() == 3 and "沪B10009" not in listbox.inner_text()
    assert box.get_attribute("aria-expanded") == "true"
    box.press("Escape")
    assert listbox.is_hidden() and box.get_attribute("aria-expanded") == "false"
    assert page.input_value("input[name=vehicle]") == ""

    # arrows move the highlight; Enter picks (and does not submit the form)
    box.fill("")
    box.press_sequentially("沪B1000", delay=30)
    page.locator("#id_vehicle_listbox [role=option] >> text=沪B10002").wait_for()
    box.press("ArrowDown")  # the first is highlighted on opening; down once: the second
    active = box.get_attribute("aria-activedescendant")
    assert page.locator(f"#{active}").get_attribute("data-label") == second.plate
    box.press("ArrowDown")
    box.press("ArrowUp")
    box.press("Enter")
    assert listbox.is_hidden()
    assert page.input_value("input[name=vehicle]") == str(second.pk) and box.input_value() == second.plate
    assert page.url.endswith("/reception/orders/new/")  # Enter picked; nothing was submitted
    assert _violations(page) == [] and problems == []

    page.fill("#id_mileage_in", "25000")
    page.fill("#id_concerns", "刹车有异响")
    page.get_by_role("button", name="Receive and start the walk-around").click()
    page.wait_for_selector("#diagram")
    order = WorkOrder.objects.get()
    assert order.vehicle == second and order.customer == owner
    assert first.pk != second.pk


def test_pick_several_parts_for_a_booking_the_vehicles_model_first(browser_page, browser_login, alice, station):
    from parts.factories import PartFactory
    from reception.models import Appointment

    owner = CustomerFactory(station=station, name="李建国", mobile="13912345678")
    vehicle = VehicleFactory(station=station, owner=owner, plate="沪B10001", model="卡罗拉")
    others = [PartFactory(station=station, part_number=f"85212-A{i}", name_zh=f"雨刮片({m})")
              for i, m in enumerate(["凯美瑞", "雷凌"])]
    fits = PartFactory(station=station, part_number="85212-Z9", name_zh="雨刮片(卡罗拉)")
    problems = _watch(browser_page)
    page = browser_login(browser_page, alice)
    page.goto(f"{page.base_url}/reception/appointments/new/?vehicle={vehicle.pk}")
    page.fill("#id_start", "2030-01-07T09:00")
    box = page.locator("#id_parts")
    box.press_sequentially("雨刮", delay=30)
    page.locator("#id_parts_listbox [role=option]").first.wait_for()
    assert page.locator("#id_parts_listbox [role=option]").first.get_attribute("data-value") == str(fits.pk)
    box.press("Enter")  # the first, highlighted: the Corolla's
    box.press_sequentially("雨刮", delay=30)
    page.locator("#id_parts_listbox [role=option]").first.wait_for()
    offered = [o.get_attribute("data-value") for o in page.locator("#id_parts_listbox [role=option]").all()]
    assert str(fits.pk) not in offered and len(offered) == 2  # what is chosen is not offered again
    box.press("ArrowDown")
    box.press("Enter")
    chosen = page.locator("#appointment-form input[name=parts]")
    assert chosen.count() == 2
    page.locator("[data-picker-chip]", has_text="85212-Z9").locator("[data-picker-remove]").click()
    assert chosen.count() == 1
    page.get_by_role("button", name="Book").click()
    page.wait_for_selector("#appointment-list")
    assert [p.pk for p in Appointment.objects.get().parts.all()] == [others[1].pk]
    assert _violations(page) == [] and problems == []
