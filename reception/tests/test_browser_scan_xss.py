"""In Chromium: the signed-estimate scan cannot carry stored XSS (issue 13, item 1).

An advisor's HTML "scan" is refused at the field. And even a file that got into storage some other way (the old
uploads, before content checks) never runs: opened by the manager from the order page, it is served as an
attachment with nosniff, so the browser downloads it instead of rendering it on our origin.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from reception.models import EstimateVersion
from reception.services import orders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCRIPT = (b"<!doctype html><html><body><h1>scan</h1><script>window.__pwned = 1;"
          b"fetch('/org/staff/?pwned=1'); document.title = 'pwned';</script></body></html>")


def test_an_html_scan_is_refused_and_a_stored_one_never_runs(browser_page, browser_login, tmp_path, settings,
                                                              alice, carol, order, oil_change):
    settings.MEDIA_ROOT = tmp_path / "media"
    orders.line_add_labour(order=order, by=alice, operation=oil_change)
    (tmp_path / "signed.html").write_bytes(SCRIPT)

    # 1. the advisor uploads the HTML as the signed paper: refused at the field, nothing saved
    page = browser_login(browser_page, alice)
    page.goto(f"{page.base_url}/reception/orders/{order.pk}/sign/")
    page.select_option("[name=method]", "scan")
    page.set_input_files("[name=scan]", str(tmp_path / "signed.html"))
    page.click("#sign-submit")
    page.wait_for_load_state()
    assert "Upload the scan as a PDF or a photo" in page.inner_text("#sign-form")
    assert not EstimateVersion.objects.exists()

    # 2. an HTML file put into storage directly, under its old name, on a signed version
    name = default_storage.save("estimate-scans/2026/11/signed.html", ContentFile(SCRIPT))
    EstimateVersion.objects.create(order=order, number=1, created_by=alice, approved_by=alice,
                                   approved_at=timezone.now(), approval_channel="scan", scan=name)

    # 3. the manager opens it from the order page
    context = page.context
    context.clear_cookies()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page = browser_login(page, carol)
    page.goto(f"{page.base_url}/reception/orders/{order.pk}/")
    link = page.get_by_role("link", name="scan")
    href = link.get_attribute("href")
    assert href.startswith("/files/estimate-scan/")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.startswith("estimate-scans-")
    assert not download.suggested_filename.endswith(".html")
    page.wait_for_timeout(500)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.title() != "pwned"
    assert not [url for url in requests if "pwned" in url]

    # and opened directly in its own tab, it is a download too, never a page
    tab = context.new_page()
    tab.on("request", lambda request: requests.append(request.url))
    with tab.expect_download():
        try:
            tab.goto(page.base_url + href)
        except Exception as exc:  # noqa: BLE001 - Chromium reports "Download is starting" as a navigation error
            assert "Download is starting" in str(exc)
    assert tab.evaluate("typeof window.__pwned") == "undefined"
    assert not [url for url in requests if "pwned" in url]
