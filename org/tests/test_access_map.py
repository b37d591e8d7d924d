"""Every named URL × every position → the expected status; a URL without a row fails the test."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from org.factories import RegionFactory, StaffFactory, StationFactory
from org.tests.access import EVERYONE, EXCLUDED_NAMESPACES, GROUP_POSITIONS, Row

TABLE_MODULES = ["org", "reception", "settlement", "workshop", "parts", "complaints", "kpi"]


def _load_tables():
    rows: dict[str, Row] = {}
    setups = []
    for app in TABLE_MODULES:
        try:
            module = importlib.import_module(f"{app}.tests.url_access")
        except ModuleNotFoundError:
            continue
        rows.update(module.ROWS)
        if hasattr(module, "setup"):
            setups.append(module.setup)
    return rows, setups


ROWS, SETUPS = _load_tables()


def _named_urls(patterns=None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns in EXCLUDED_NAMESPACES:
                continue
            prefix = f"{namespace}{ns}:" if ns else namespace
            names |= _named_urls(entry.url_patterns, prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


def test_every_named_url_has_a_row():
    missing = sorted(_named_urls() - set(ROWS))
    assert not missing, f"URLs without a row in a url_access table: {missing}"


def test_no_row_names_a_url_that_is_gone():
    assert not sorted(set(ROWS) - _named_urls())


@pytest.fixture
def world(db):
    # The test station lies in the regional manager's region, so group roles reach its records (200, not 404).
    region = RegionFactory(name="acl-region")
    station = StationFactory(code="acl-a", group=region.group, region=region)
    other = StationFactory(code="acl-b", group=station.group)
    w = SimpleNamespace(station=station, other_station=other, staff={})
    for position in sorted(EVERYONE):
        w.staff[position] = StaffFactory(
            username=f"acl-{position}",
            position=position,
            station=None if position in GROUP_POSITIONS else station,
            group=station.group,
            region=region if position == "regional_manager" else None,
        )
    w.manager = w.staff["station_manager"]
    for setup in SETUPS:
        setup(w)
    return w


def _request(client, name: str, row: Row, world):
    url = reverse(name, kwargs=row.kwargs(world) if row.kwargs else None) + row.query
    data = row.data(world) if row.data else {}
    return getattr(client, row.method)(url, data)


@pytest.mark.parametrize("name", sorted(ROWS))
def test_each_position_gets_the_expected_status(name, world, client):
    row = ROWS[name]
    wrong = {}
    for position in sorted(EVERYONE):
        client.force_login(world.staff[position])
        expected = row.status if position in row.allowed else 403
        got = _request(client, name, row, world).status_code
        if got != expected:
            wrong[position] = (expected, got)
        client.logout()
    assert not wrong, f"{name}: position → (expected, got): {wrong}"


@pytest.mark.parametrize("name", sorted(n for n, r in ROWS.items() if not r.public))
def test_anonymous_users_are_sent_to_the_login_page(name, world, client):
    response = _request(client, name, ROWS[name], world)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
