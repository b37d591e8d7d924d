"""Every named URL × every position → the expected status; a URL without a row fails the test. Every URL with an
object id in its path → 404 for a user of another station, by GET and POST; a URL with an id and no such expectation
(or a reason it is not station-scoped) fails the test too."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from core.project import app_modules
from org.factories import DealerGroupFactory, RegionFactory, StaffFactory, StationFactory
from org.tests.access import EVERYONE, EXCLUDED_NAMESPACES, GROUP_POSITIONS, STATION_POSITIONS, Row


def _load_tables():
    rows: dict[str, Row] = {}
    setups = []
    for app in app_modules():
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


def _has_an_id(pattern) -> bool:
    converters = getattr(pattern, "converters", {})
    if any(isinstance(c, IntConverter) for c in converters.values()):
        return True
    regex = getattr(pattern, "regex", None)
    return not converters and regex is not None and any(
        g == "pk" or g.endswith("_pk") for g in regex.groupindex
    )


def _urls_with_an_id(patterns=None, namespace: str = "", inherited: bool = False) -> set[str]:
    """Named URLs whose path carries an object id (an ``<int:…>`` part, here or in an including prefix)."""
    names: set[str] = set()
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        has_id = inherited or _has_an_id(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns in EXCLUDED_NAMESPACES:
                continue
            prefix = f"{namespace}{ns}:" if ns else namespace
            names |= _urls_with_an_id(entry.url_patterns, prefix, has_id)
        elif isinstance(entry, URLPattern) and entry.name and has_id:
            names.add(f"{namespace}{entry.name}")
    return names


def test_every_named_url_has_a_row():
    missing = sorted(_named_urls() - set(ROWS))
    assert not missing, f"URLs without a row in a url_access table: {missing}"


def test_no_row_names_a_url_that_is_gone():
    assert not sorted(set(ROWS) - _named_urls())


def test_the_id_urls_are_found():
    """The scan below relies on this: if it found nothing, every URL would pass it."""
    with_id = _urls_with_an_id()
    assert {"reception:order_detail", "settlement:statement_pdf", "workshop:roster_cell"} <= with_id
    assert not {"reception:order_list", "kpi:board", "switch_station"} & with_id


def test_every_url_with_an_object_id_expects_404_for_another_station():
    with_id = _urls_with_an_id()
    wrong = {}
    for name, row in sorted(ROWS.items()):
        if name not in with_id:
            if row.other_station is not None or row.unscoped:
                wrong[name] = "no object id in the path: nothing to scope"
        elif row.unscoped:
            if row.other_station is not None:
                wrong[name] = "unscoped, yet an other-station status"
        elif row.other_station != 404:
            wrong[name] = f"other_station={row.other_station}: a URL with an id answers another station with 404"
    assert not wrong, f"rows without the other-station 404 (or a reason in unscoped): {wrong}"


def _outsiders(world, allowed: frozenset[str]):
    """(label, user) for everyone who holds a position allowed here but belongs elsewhere: each station position at the
    other station, a regional manager of another region, a group director of another group."""
    for position in sorted(allowed & STATION_POSITIONS):
        yield position, StaffFactory(username=f"acl-b-{position}", position=position, station=world.other_station,
                                     group=world.other_station.group)
    if "regional_manager" in allowed:
        region = RegionFactory(group=world.station.group, name="acl-other-region")
        world.other_station.region = region
        world.other_station.save(update_fields=["region"])
        yield "regional_manager", StaffFactory(username="acl-b-regional_manager", position="regional_manager",
                                               station=None, group=region.group, region=region)
    if "group_director" in allowed:
        group = DealerGroupFactory(code="acl-other-group")
        StationFactory(code="acl-c", group=group)
        yield "group_director", StaffFactory(username="acl-c-group_director", position="group_director",
                                             station=None, group=group)


@pytest.mark.parametrize("name", sorted(n for n, r in ROWS.items() if r.other_station is not None))
def test_a_user_of_another_station_gets_404(name, world, client):
    """Asked by every position allowed here, from another station, by GET and POST: 404, never 403 or 200. A method
    the URL does not take may answer 405 (Django decides that from the method alone, before any record is read)."""
    row = ROWS[name]
    wrong = {}
    for label, user in _outsiders(world, row.allowed):
        client.force_login(user)
        for method in ("get", "post"):
            url = reverse(name, kwargs=row.kwargs(world)) + row.query
            data = (row.data(world) if row.data else {}) if method == "post" else {}
            got = getattr(client, method)(url, data).status_code
            if got != row.other_station and not (got == 405 and method != row.method):
                wrong[f"{label} {method.upper()}"] = got
        client.logout()
    assert not wrong, f"{name}: another station's user → {wrong} (expected {row.other_station})"


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
