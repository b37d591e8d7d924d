"""The first-run set-up in a real browser: a superuser on an empty database follows the checklist's "next step"
link from the dealer group to the station manager's login, and the manager then logs in and sees their station."""

import pytest

from org.models import Staff, Station
from parts.models import Supplier, Warehouse
from workshop.models import Bay

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _next(page, step: str):
    page.goto(page.base_url + "/setup/")
    page.locator("#setup-next", has_text=step).click()


def test_a_superuser_walks_the_setup_checklist_in_the_browser(browser_page, browser_login):
    page = browser_page
    root = Staff.objects.create_superuser("root", "root@example.com", "test-pass-2026")
    browser_login(page, root)
    page.wait_for_url("**/setup/")
    assert page.locator("[data-step][data-done='1']").count() == 0

    page.locator("#setup-next", has_text="Dealer group").click()
    page.fill("input[name=code]", "dongfang")
    page.fill("input[name=name]", "东方汽车服务集团")
    page.fill("input[name=name_en]", "Dongfang Auto Service Group")
    page.get_by_role("button", name="Save").click()
    page.locator(".alert", has_text="has been saved").wait_for()
    assert page.locator("[data-step='group']").get_attribute("data-done") == "1"

    page.locator("#setup-next", has_text="Stations").click()
    page.fill("input[name=code]", "sh-pudong")
    page.fill("input[name=name]", "上海东方丰田浦东4S店")
    page.fill("input[name=address]", "上海市浦东新区龙阳路1888号")
    page.fill("input[name=phone]", "021-5888 6666")
    page.get_by_role("button", name="Save").click()
    page.locator(".alert", has_text="has been saved").wait_for()

    page.locator("#setup-next", has_text="Bays").click()
    page.fill("input[name=code]", "L01")
    page.fill("input[name=name]", "1号举升机")
    page.get_by_role("button", name="Add").click()
    page.locator("#bays [data-bay='L01']").wait_for()
    # A duplicate code is refused next to the field, what was typed stays.
    page.fill("input[name=code]", "L01")
    page.fill("input[name=name]", "重复")
    page.get_by_role("button", name="Add").click()
    page.locator(".invalid-feedback, .text-danger", has_text="already has a bay with code L01").first.wait_for()
    assert page.input_value("input[name=name]") == "重复"

    _next(page, "Warehouses")
    page.fill("input[name=code]", "MAIN")
    page.fill("input[name=name]", "总库")
    page.get_by_role("button", name="Add").click()
    page.locator("#warehouses [data-warehouse='MAIN']").wait_for()

    _next(page, "Suppliers")
    page.fill("input[name=code]", "TTC")
    page.fill("input[name=name]", "丰田纺织配件中心")
    page.get_by_role("button", name="Add").click()
    page.locator("#suppliers [data-supplier='TTC']").wait_for()

    _next(page, "Station manager")
    page.fill("input[name=display_name]", "王建国")
    page.fill("input[name=username]", "wang")
    page.fill("input[name=password]", "Manager-pass-2026!")
    page.get_by_role("button", name="Save").click()
    page.locator("#setup-done").wait_for()

    station = Station.objects.get()
    assert Bay.objects.get().station == station and Warehouse.objects.get().is_main
    assert Supplier.objects.get().station == station
    manager = Staff.objects.get(username="wang")
    assert (manager.station, manager.position) == (station, "station_manager")

    page.context.clear_cookies()
    browser_login(page, manager, "Manager-pass-2026!")
    page.goto(page.base_url + "/workshop/setup/bays/")
    assert page.locator("#bays [data-bay='L01']").is_visible()
    assert "上海东方丰田浦东4S店" in page.locator("h1").inner_text()
