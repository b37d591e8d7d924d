"""Keyboard users (issue 16 #24): a form opens with its first field focused; the desk search is one Tab, Enter and
Tab away from the top of the page (a "skip to content" link, then the search first in the page's tab order) and has
focus when the desk opens; the bell's label says how many notifications are unread."""

from __future__ import annotations

import pytest

from core.notifications import notification_send

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_FIELD = """() => {
  const form = [...document.querySelectorAll('main form')].find(f => f.querySelector('button.btn-primary'));
  const field = form && [...form.querySelectorAll('input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea')]
    .find(el => el.offsetParent !== null && !el.disabled && !el.readOnly);
  const describe = el => el ? (el.name || el.id || el.tagName) : null;
  return {focused: !!field && document.activeElement === field, first: describe(field), active: describe(document.activeElement)};
}"""


@pytest.mark.parametrize("url", [
    "/reception/customers/new/", "/reception/appointments/new/", "/reception/orders/new/",
    "/complaints/new/", "/org/staff/new/", "/org/screens/",
])
def test_a_form_opens_with_its_first_field_focused(url, browser_page, browser_login, carol):
    page = browser_page
    browser_login(page, carol)
    page.goto(page.base_url + url)
    page.wait_for_load_state("networkidle")
    state = page.evaluate(FIRST_FIELD)
    assert state["focused"], f"{url}: {state}"


def test_the_desk_search_is_at_hand_from_the_keyboard(browser_page, browser_login, alice):
    page = browser_page
    browser_login(page, alice)
    page.goto(page.base_url + "/reception/")
    search = "[data-desk-search]"
    assert page.evaluate(f"document.activeElement === document.querySelector('{search}')")
    # From the top of the page: Tab reaches "skip to content", Enter jumps to the page, Tab reaches the search.
    page.evaluate("document.body.tabIndex = -1; document.body.focus(); document.body.removeAttribute('tabindex')")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate(f"document.activeElement === document.querySelector('{search}')")


def test_the_bell_says_how_many_are_unread(browser_page, browser_login, alice):
    page = browser_page
    for n in range(3):
        notification_send(channel="in_app", to_staff=alice, subject=f"note {n}", body="")
    browser_login(page, alice)
    bell = page.locator("[data-testid=bell]")
    assert bell.inner_text().strip() == "3"
    assert "3" in bell.get_attribute("aria-label") and "unread" in bell.get_attribute("aria-label")
