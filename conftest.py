"""Shared fixtures: personas of the demo station, and the rules for skipping.

alice is a service advisor, bob a technician, carol the station manager — all in station A; mallory is an advisor
of station B, who must never see station A's records.
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("AFTERSALES_TESTING", "1")


def pytest_configure(config):
    from django.conf import settings

    # Tests compare messages in English unless they switch language themselves.
    settings.LANGUAGE_CODE = "en"
    settings.SECURE_SSL_REDIRECT = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL or start a local server")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI (AFTERSALES_NO_SKIP=1) a skipped test is a failure: everything must run there."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("AFTERSALES_NO_SKIP") == "1" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where nothing may be skipped: {report.longrepr}"


@pytest.fixture
def station(db):
    from org.factories import StationFactory

    return StationFactory(code="station-a", name="测试站A")


@pytest.fixture
def other_station(db, station):
    from org.factories import StationFactory

    return StationFactory(code="station-b", name="测试站B", group=station.group)


@pytest.fixture
def make_staff(db, station):
    from org.factories import StaffFactory

    def make(position: str, *, station=station, **kwargs):
        return StaffFactory(position=position, station=station, group=station.group, **kwargs)

    return make


@pytest.fixture
def carol(make_staff):
    return make_staff("station_manager", username="carol")


@pytest.fixture
def alice(make_staff, carol):
    lead = make_staff("front_desk_lead", username="frank", reports_to=carol)
    return make_staff("service_advisor", username="alice", reports_to=lead)


@pytest.fixture
def bob(make_staff, carol):
    return make_staff("technician", username="bob", reports_to=carol)


@pytest.fixture
def mallory(make_staff, other_station):
    return make_staff("service_advisor", username="mallory", station=other_station)


@pytest.fixture
def client_as(client):
    """Log the test client in as someone: client_as(alice)."""

    def login(user):
        client.force_login(user)
        return client

    return login


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture
def browser_page(live_server):
    """A Playwright page in headless Debian Chromium against the live server; skips where Chromium is missing."""
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium): browser test skipped")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django must allow ORM calls here for this test only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 900}, accept_downloads=True)
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


@pytest.fixture
def browser_login():
    """browser_login(page, user, password="test-pass-2026"): log in through the real form, in English."""

    def login(page, user, password: str = "test-pass-2026"):
        page.goto(page.base_url + "/accounts/login/")
        page.locator("form[action='/i18n/setlang/'] button[value='en']").click()
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", password)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        return page

    return login
