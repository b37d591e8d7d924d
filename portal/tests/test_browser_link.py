"""The customer's link in a real phone-sized browser (390 px, zh-Hans): the address taken from the SMS in the outbox,
the four digits, the status, one additional item approved and one declined with a signature drawn on the canvas, both
decisions on the advisor's order page; a low-score survey opens a complaint. Also measures the page's weight and first
render under Chromium's "Fast 3G" throttling (CDP Network.emulateNetworkConditions) and prints them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from complaints.factories import FollowUpCallFactory
from complaints.models import Complaint
from core.models import Notification
from portal.models import LinkApproval
from workshop.models import Finding

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Mobile/15E148 MicroMessenger/8.0.40")
# Chrome DevTools' "Fast 3G" preset (what Lighthouse and DevTools call 3G): 562.5 ms, 1.44 Mbit/s down, 675 kbit/s up
FAST_3G = {"offline": False, "latency": 562.5, "downloadThroughput": 180_000, "uploadThroughput": 84_375}
MAX_WEIGHT = 150 * 1024
MAX_FIRST_RENDER_MS = 1000


def _phone(page):
    context = page.context.browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844},
                                               user_agent=PHONE_UA, device_scale_factor=2)
    phone = context.new_page()
    phone.set_default_timeout(20000)
    return phone


def _measure(phone, url: str) -> tuple[int, float]:
    """Bytes over the wire for everything the page loads, and its first contentful paint, on Fast 3G."""
    cdp = phone.context.new_cdp_session(phone)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", FAST_3G)
    sizes: dict[str, float] = {}
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    phone.goto(url, wait_until="load")
    phone.wait_for_timeout(1500)  # lazy photos and late requests
    fcp = phone.evaluate("performance.getEntriesByName('first-contentful-paint')[0].startTime")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1,
                                                  "uploadThroughput": -1})
    cdp.detach()
    return int(sum(sizes.values())), float(fcp)


def _sign(phone) -> None:
    box = phone.locator("#pad").bounding_box()
    x, y = box["x"], box["y"]
    phone.mouse.move(x + 30, y + 40)
    phone.mouse.down()
    for step in range(1, 12):
        phone.mouse.move(x + 30 + step * 25, y + 40 + (step % 3) * 30, steps=3)
    phone.mouse.up()


def test_a_customer_decides_additional_work_on_the_phone_and_the_desk_sees_it(
    browser_page, browser_login, order, make_finding, alice, settings, capsys
):
    settings.PORTAL_BASE_URL = browser_page.base_url
    yes = make_finding("前刹车片磨损到极限", "B1")
    no = make_finding("雨刮片老化", "W1")
    sms = Notification.objects.filter(channel="sms", recipient_customer=order.customer).latest("id")
    url = re.search(r"https?://\S+/c/[0-9a-f]+/", sms.body).group(0)

    phone = _phone(browser_page)
    phone.goto(url)
    assert phone.locator("#gate").is_visible()
    assert order.number not in phone.content() and order.vehicle.plate not in phone.content()
    phone.fill("input[name=digits]", "1234")
    phone.get_by_role("button", name="继续").click()
    phone.locator("#gate .err").wait_for()
    phone.fill("input[name=digits]", "5678")
    phone.get_by_role("button", name="继续").click()
    phone.locator("#status").wait_for()
    assert phone.locator(".steps li.now").inner_text() == "等待您确认"
    assert order.number in phone.locator("#status").inner_text()
    assert phone.locator(f"#status a[href='tel:{alice.phone}']").count() == (1 if alice.phone else 0)
    assert phone.locator(".photos img").count() == 2
    phone.locator(".photos img").first.scroll_into_view_if_needed()  # lazy: loads once on screen
    phone.wait_for_function("() => { const i = document.querySelector('.photos img');"
                            " return i && i.complete && i.naturalWidth > 0; }", timeout=15000)
    assert phone.evaluate("document.querySelector('.photos img').naturalWidth") > 0  # served through the link
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone

    weight, fcp = _measure(phone, phone.url)
    with capsys.disabled():
        print(f"\n[portal link page, Fast 3G] weight {weight / 1024:.1f} KB, first contentful paint {fcp:.0f} ms")
    assert weight < MAX_WEIGHT
    assert fcp < MAX_FIRST_RENDER_MS

    phone.locator(f"input[name=finding_{yes.pk}][value=approve]").check()
    phone.locator(f"input[name=finding_{no.pk}][value=decline]").check()
    phone.get_by_role("button", name="提交我的决定").click()
    phone.locator("#approvals .err").wait_for()  # nothing drawn yet: refused, choices to make again
    phone.locator(f"input[name=finding_{yes.pk}][value=approve]").check()
    phone.locator(f"input[name=finding_{no.pk}][value=decline]").check()
    _sign(phone)
    phone.get_by_role("button", name="提交我的决定").click()
    phone.locator("#decided").wait_for()
    assert phone.locator("#approvals").count() == 0
    decided = phone.locator("#decided").inner_text()
    assert "前刹车片磨损到极限 · ¥339.00 · 客户已同意" in decided and "雨刮片老化 · ¥339.00 · 客户暂缓" in decided
    yes.refresh_from_db(), no.refresh_from_db()
    assert (yes.decision, yes.channel, no.decision, no.channel) == ("approved", "link", "declined", "link")
    assert "MicroMessenger" in LinkApproval.objects.get().user_agent

    desk = browser_page
    browser_login(desk, alice)
    desk.goto(f"{desk.base_url}/reception/orders/{order.pk}/")
    panel = desk.locator("body").inner_text()
    assert "前刹车片磨损到极限 — approved by the customer" in panel
    assert "雨刮片老化 — declined by the customer" in panel
    assert panel.count("customer's link (phone page)") >= 2
    phone.context.close()


def test_a_low_score_survey_on_the_phone_opens_a_complaint(browser_page, order, settings):
    order.status, order.delivered_at = "delivered", timezone.now() - timedelta(days=1)
    order.save(update_fields=["status", "delivered_at"])
    FollowUpCallFactory(order=order, station=order.station, customer=order.customer, advisor=order.advisor)
    from portal.services.link import link_send

    settings.PORTAL_BASE_URL = browser_page.base_url
    link_send(order=order, reason="delivered")
    sms = Notification.objects.get(channel="sms", recipient_customer=order.customer)
    phone = _phone(browser_page)
    phone.goto(re.search(r"https?://\S+/c/[0-9a-f]+/", sms.body).group(0))
    phone.fill("input[name=digits]", "5678")
    phone.get_by_role("button", name="继续").click()
    phone.locator("#survey").wait_for()
    assert phone.locator("#documents").is_visible()
    for name in ("overall", "tangibles", "reliability", "responsiveness", "assurance", "empathy"):
        phone.locator(f"#survey input[name={name}][value='1']").check()
    phone.locator("#survey input[name=problem_fixed][value=no]").check()
    phone.get_by_role("button", name="提交", exact=True).click()
    phone.locator("#survey .ok").wait_for()
    complaint = Complaint.objects.get(order=order)
    assert complaint.source == Complaint.Source.FOLLOW_UP and complaint.possible_comeback
    assert Finding.objects.count() == 0
    phone.context.close()
