"""In Chromium: the import pages — a file uploaded through the form shows its preview and the Import button; a running
import's progress bar moves by htmx polling alone (no reload) and the page turns into the result when it is done."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from core.models import ImportJob

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_upload_preview_and_a_progress_bar_that_follows_the_worker(browser_page, browser_login, make_staff, tmp_path,
                                                                    settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    lead = make_staff("parts_lead")
    csv = tmp_path / "配件.csv"
    csv.write_bytes("零件号,中文名称,零售价\n04152-YZZA1,机油滤清器,68\n17801-21050,空气滤芯,95\n".encode("gbk"))
    page = browser_login(browser_page, lead)
    page.goto(page.base_url + "/parts/stock/import/")
    page.set_input_files("input[name=file]", str(csv))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state()
    expect(page.locator("#import-verdict")).to_contain_text("2 rows checked, no errors.")
    expect(page.locator("#import-preview")).to_contain_text("空气滤芯")
    expect(page.locator("#import-start")).to_be_visible()

    # What the worker does, written straight into the job: the open page follows it by polling every second.
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, total_rows=1000, processed_rows=250)
    page.reload()
    bar = page.locator("#import-progress .progress-bar")
    expect(bar).to_have_attribute("style", re.compile(r"width: 25%"))
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=750)
    expect(bar).to_have_attribute("style", re.compile(r"width: 75%"), timeout=5000)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE, created_count=1000)
    expect(page.locator("#import-verdict")).to_contain_text("Imported: 1000 new, 0 updated.", timeout=5000)
