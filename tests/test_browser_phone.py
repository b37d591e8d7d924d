"""A phone (390 CSS px wide): the order page, the estimate and the workshop board fit the screen — nothing wider than
the page (tables scroll inside their own box) — and no heading, name or cell is squeezed to one character a line."""

from __future__ import annotations

import pytest

from reception.factories import WorkOrderFactory, labour_line, part_line, sublet_line
from reception.models import WorkOrder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

# Every text node of three characters or more laid out on at least three lines, with at most two characters a line:
# a heading, a name or a cell squeezed into a column one character wide.
SQUEEZED = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (text.length < 3) continue;
    const el = node.parentElement;
    if (!el || el.closest('script,style,template,[hidden],.d-none,.visually-hidden,select,option')) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const tops = new Set();
    for (const r of range.getClientRects()) { if (r.width > 0) tops.add(Math.round(r.top)); }
    if (tops.size >= 3 && text.length / tops.size <= 2) out.push(el.tagName + ': ' + text.slice(0, 30) + ' (' + tops.size + ' lines)');
  }
  return out;
}"""

WIDEST = """() => {
  const limit = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')].filter(el => el.getBoundingClientRect().right > limit + 1)
    .filter(el => !el.closest('.table-responsive, .overflow-auto, .scroll-x'))
    .slice(0, 5).map(el => el.tagName + '.' + el.className + ' → ' + Math.round(el.getBoundingClientRect().right));
}"""


def _check(page, url: str, problems: list[str]) -> None:
    page.goto(page.base_url + url)
    page.wait_for_load_state("networkidle")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        problems.append(f"{url}: the page is {width} px wide at {PHONE['width']} px: {page.evaluate(WIDEST)}")
    squeezed = page.evaluate(SQUEEZED)
    if squeezed:
        problems.append(f"{url}: text wrapped one character a line: {squeezed}")


def _language(page, code: str) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto(page.base_url + "/")
    page.locator(f"form[action='/i18n/setlang/'] button[value='{code}']").first.click()
    page.wait_for_load_state()
    page.set_viewport_size(PHONE)


def test_order_estimate_and_board_fit_a_phone(browser_page, browser_login, station, alice, make_staff):
    page = browser_page
    order = WorkOrderFactory(signed=True, station=station, advisor=alice, status=WorkOrder.Status.IN_PROGRESS,
                             customer__name="欧阳晓明（上海东方汽车服务集团有限公司）")
    labour_line(order, description="更换发动机机油及机油滤清器、检查底盘和四轮定位")
    part_line(order, description="机油滤清器（原厂）", qty="2")
    sublet_line(order)
    draft = WorkOrderFactory(station=station, advisor=alice)
    labour_line(draft, description="更换前后刹车片并检查刹车盘磨损情况")
    part_line(draft, description="前刹车片（陶瓷）")
    lead = make_staff("workshop_lead", username="dora")
    make_staff("technician", username="tech-ouyang", first_name="晓明", last_name="欧阳")
    problems: list[str] = []
    browser_login(page, alice)
    for language in ("zh-hans", "en"):
        _language(page, language)
        _check(page, f"/reception/orders/{order.pk}/", problems)
        _check(page, f"/reception/orders/{draft.pk}/sign/", problems)
        _check(page, f"/reception/orders/{order.pk}/edit/", problems)
        _check(page, f"/settlement/orders/{order.pk}/settlement/", problems)
        _check(page, f"/settlement/orders/{order.pk}/settlement/print/work-order/", problems)
    page.context.clear_cookies()
    browser_login(page, lead)
    for language in ("zh-hans", "en"):
        _language(page, language)
        _check(page, "/workshop/board/", problems)
        _check(page, "/workshop/board/?tv=1", problems)
    assert not problems, "\n".join(problems)
