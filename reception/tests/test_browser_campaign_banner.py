"""In Chromium: a VIN on an imported recall shows its banner at reception and a badge in the desk search, until an
order with the campaign's warranty labour line closes it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core import imports
from reception.factories import LabourOperationFactory, WorkOrderFactory, labour_line
from reception.services.campaigns import campaigns_complete_on_settle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_recall_banner_at_reception_and_in_the_search(browser_page, browser_login, alice, carol, station,
                                                           vehicle, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    op = LabourOperationFactory(station=station, code="RC2601", name_zh="更换燃油泵（召回）")
    data = f"活动编号,活动名称,活动类型,工时代码,配件,VIN\nRC-2601,燃油泵召回,召回,RC2601,23221-F0010,{vehicle.vin}\n"
    job = imports.job_create(importer=imports.importer_for("campaigns"), station=station, by=carol,
                             upload=SimpleUploadedFile("recall.csv", data.encode()), language="en")
    imports.job_validate(job.pk)
    job.refresh_from_db()
    assert imports.job_start(job) and imports.job_apply(job.pk) == "done"

    page = browser_login(browser_page, alice)
    page.goto(f"{page.base_url}/reception/orders/new/?vehicle={vehicle.pk}")
    banner = page.locator(".campaign-banner")
    banner.wait_for()
    assert "RC-2601" in banner.inner_text() and "燃油泵召回" in banner.inner_text() and "RC2601" in banner.inner_text()

    page.goto(f"{page.base_url}/reception/")
    page.fill("input[data-desk-search]", vehicle.plate)
    page.locator("#search-dropdown .campaign-badge").wait_for()

    order = WorkOrderFactory(ready=True, station=station, vehicle=vehicle)
    labour_line(order, operation=op, payer="warranty")
    assert campaigns_complete_on_settle(order=order) == 1
    page.goto(f"{page.base_url}/reception/orders/new/?vehicle={vehicle.pk}")
    page.wait_for_selector("#id_mileage_in")
    assert page.locator(".campaign-banner").count() == 0
