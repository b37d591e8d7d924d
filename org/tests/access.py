"""The URL access table: every named URL × every position → expected status.

Each app lists its URLs in ``<app>/tests/url_access.py`` as ``ROWS = {url_name: Row(...)}`` and may define
``setup(world)`` to create the records its URLs need (``world`` is a SimpleNamespace with ``station``,
``other_station``, ``staff`` by position, ``manager`` …). ``test_access_map`` fails when a named URL has no row.
Expectations are written by hand, not derived from the permission map, so the test can catch a wrong map.

A URL whose path carries an object id (an ``<int:…>`` part) also states what a user of ANOTHER station gets who holds
a position allowed there: ``other_station=404`` — never 403 or 200, we do not confirm that another station's record
exists. The test asks as every such position (and as a regional manager of another region and a group director of
another group), by GET and by POST. A URL with an id whose record is not station-scoped says why in ``unscoped``
instead; a URL with an id and neither fails the test, like a URL without a row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

STATION_POSITIONS = frozenset(
    {
        "station_manager", "front_desk_lead", "service_advisor", "receptionist", "workshop_lead", "technician",
        "qc_inspector", "technical_lead", "parts_lead", "parts_clerk", "warranty_clerk", "cashier",
        "customer_relations", "information_specialist",
    }
)
GROUP_POSITIONS = frozenset({"group_director", "regional_manager"})
EVERYONE = STATION_POSITIONS | GROUP_POSITIONS
MANAGERS = frozenset({"station_manager"}) | GROUP_POSITIONS
DESK = frozenset({"station_manager", "front_desk_lead", "service_advisor"}) | GROUP_POSITIONS


@dataclass(frozen=True)
class Row:
    allowed: frozenset[str]  # positions that get ``status``; everyone else gets 403
    status: int = 200
    method: str = "get"
    kwargs: Callable | None = None  # world -> URL kwargs
    data: Callable | None = None  # world -> POST data
    public: bool = False  # anonymous users get ``status`` too instead of a redirect to the login page
    query: str = ""
    extra: dict = field(default_factory=dict)
    other_station: int | None = None  # what a user of another station gets (404 for every URL with an object id)
    unscoped: str = ""  # why a URL with an object id is not station-scoped (then ``other_station`` stays None)


# URL names outside the table: Django's admin checks is_staff itself.
EXCLUDED_NAMESPACES = {"admin"}
