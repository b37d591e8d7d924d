"""Reads that depend on who is asking: which stations a user sees, and querysets scoped to them."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Model, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.access import not_found
from core.registry import registry
from org.models import DealerGroup, Position, Staff, Station
from org.permissions import ORG_MANAGE, SETUP_GROUP, SETUP_GROUP_CREATE, has_action

_CACHE_ATTR = "_visible_station_ids"
HAS_EXTRA_ATTR = "has_extra_stations"
SESSION_STATION_KEY = "station_id"


def visible_station_ids(user: Staff) -> frozenset[int]:
    """The stations this user may see: their own, any granted, and for group roles the group's or region's."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if user.is_superuser:
        ids = set(Station.objects.values_list("id", flat=True))
    elif user.position == Position.GROUP_DIRECTOR and user.group_id:
        ids = set(Station.objects.filter(group_id=user.group_id).values_list("id", flat=True))
    elif user.position == Position.REGIONAL_MANAGER and user.region_id:
        ids = set(Station.objects.filter(region_id=user.region_id).values_list("id", flat=True))
    else:
        ids = {user.station_id} if user.station_id else set()
    if getattr(user, HAS_EXTRA_ATTR, True):  # the login backend read whether there are any (org.auth_backend)
        ids |= set(user.extra_stations.values_list("id", flat=True))
    result = frozenset(ids)
    setattr(user, _CACHE_ATTR, result)
    return result


def visible_stations(user: Staff) -> QuerySet[Station]:
    return Station.objects.filter(id__in=visible_station_ids(user)).order_by("code")


def current_station(request) -> Station | None:
    """The station the user is working in now: their own, or the one picked in the station switcher."""
    user = request.user
    ids = visible_station_ids(user)
    chosen = request.session.get(SESSION_STATION_KEY)
    if chosen in ids:
        return Station.objects.filter(pk=chosen).first()
    if user.station_id and user.station_id in ids:
        return user.station
    first = min(ids) if ids else None
    return Station.objects.filter(pk=first).first() if first else None


def station_or_404(request) -> Station:
    """The station the user works in, or a logged 404 when they see none: the one failure behaviour of every page
    that needs a station (a person without a station gets nothing to confirm or deny)."""
    station = current_station(request)
    if station is None:
        not_found(request, what="station")
    return station


def scope(queryset: QuerySet, user: Staff, field: str = "station") -> QuerySet:
    """Restrict a queryset to the rows of the stations the user sees."""
    return queryset.filter(**{f"{field}__in": visible_station_ids(user)})


def get_scoped(request, queryset: QuerySet, *, field: str = "station", **lookup) -> Model:
    """One record the user may see, or 404 (logged) — we never confirm a record of another station exists."""
    obj = scope(queryset, request.user, field).filter(**lookup).first()
    if obj is None:
        not_found(request, what=queryset.model._meta.label_lower)
    return obj


def station_staff(station: Station) -> QuerySet[Staff]:
    return Staff.objects.filter(station=station).select_related("reports_to").order_by("position", "username")


def staff_directory(user: Staff, *, query: str = "", station_id: int | None = None) -> QuerySet[Staff]:
    from django.db.models import Q

    qs = Staff.objects.filter(station_id__in=visible_station_ids(user)).select_related("station", "reports_to")
    if station_id:
        qs = qs.filter(station_id=station_id)
    if query:
        qs = qs.filter(
            Q(display_name__icontains=query)
            | Q(username__icontains=query)
            | Q(phone__icontains=query)
            | Q(employee_no__icontains=query)
            | Q(email__icontains=query)
        )
    return qs.order_by("station__code", "position", "username")


def pick_staff(station: Station, query: str, *, positions=(), limit: int = 10) -> list[Staff]:
    """A staff picker's suggestions: active people of one station by name, login, phone or employee number (the
    directory's search), optionally of some positions only."""
    query = (query or "").strip()
    if not query:
        return []
    qs = Staff.objects.filter(station=station, is_active=True).filter(
        Q(display_name__icontains=query) | Q(username__icontains=query) | Q(phone__icontains=query)
        | Q(employee_no__icontains=query) | Q(first_name__icontains=query) | Q(last_name__icontains=query)
    )
    if positions:
        qs = qs.filter(position__in=positions)
    # A station's staff is a few hundred rows at most: sorting in the database keeps the first ``limit`` stable.
    return list(qs.order_by("display_name", "username")[:limit])


def org_tree(station: Station) -> list[dict]:
    """The station's hierarchy as nested dicts: [{"staff": s, "reports": [...]}, ...] from the top down."""
    people = list(station_staff(station))
    by_id = {p.id: p for p in people}
    children: dict[int | None, list[Staff]] = {}
    for person in people:
        parent = person.reports_to_id if person.reports_to_id in by_id else None
        children.setdefault(parent, []).append(person)

    order = {value: index for index, value in enumerate(Position.values)}

    def build(parent_id: int | None, seen: frozenset[int]) -> list[dict]:
        nodes = sorted(children.get(parent_id, []), key=lambda p: (order.get(p.position, 99), p.username))
        return [
            {"staff": p, "reports": build(p.id, seen | {p.id})} for p in nodes if p.id not in seen
        ]

    return build(None, frozenset())


# --- the first-run set-up checklist (/setup/) ------------------------------------------------------------------------


def setup_groups(user: Staff) -> QuerySet[DealerGroup]:
    """The dealer groups this user sets up: every group for the superuser, else their own."""
    if user.is_superuser:
        return DealerGroup.objects.order_by("code")
    group_id = user.group_id or (user.station.group_id if user.station_id else None)
    return DealerGroup.objects.filter(pk=group_id).order_by("code")


@dataclass
class SetupStep:
    """One line of the checklist: how many rows there are, whether it is done, where to do it (None: not for you)."""

    key: str
    label: str
    help: str
    count: int
    done: bool
    url: str | None
    per_station: list[tuple[Station, int, str | None]] = field(default_factory=list)  # (station, count, url)


def setup_checklist(user: Staff) -> list[SetupStep]:
    """The first-run checklist: the group, its stations, then each station's sections that the apps register with
    ``core.registry.setup_add`` (bays, warehouses, suppliers…), then a station manager's login for each station.
    A station step is done when every active station the user sees has at least one row."""
    groups = list(setup_groups(user))
    every_station = list(visible_stations(user).filter(group__in=groups))
    stations = [s for s in every_station if s.is_active]
    steps: list[SetupStep] = []
    if groups:
        group_url = reverse("setup:group_edit", args=[groups[0].pk]) if has_action(user, SETUP_GROUP) else None
    else:
        group_url = reverse("setup:group_create") if has_action(user, SETUP_GROUP_CREATE) else None
    steps.append(SetupStep("group", _("Dealer group"), _("The group's name in Chinese and English."),
                           len(groups), bool(groups), group_url))
    may_add_station = bool(groups) and has_action(user, SETUP_GROUP)
    steps.append(SetupStep(
        "stations", _("Stations"), _("Code, names, address, phone and tax details of each station."),
        len(stations), bool(stations), reverse("setup:station_create") if may_add_station else None,
        [(s, int(s.is_active), reverse("setup:station_edit", args=[s.pk]) if may_add_station else None)
         for s in every_station],
    ))
    for section in registry.setup_steps():
        may = has_action(user, section.action)
        rows = [(s, section.count(s), reverse(section.url_name) if may else None) for s in stations]
        steps.append(SetupStep(section.key, section.label, section.help, sum(n for _s, n, _u in rows),
                               bool(rows) and all(n for _s, n, _u in rows),
                               reverse(section.url_name) if may and stations else None, rows))
    managers = dict(
        Staff.objects.filter(station__in=stations, position=Position.STATION_MANAGER, is_active=True)
        .order_by().values_list("station_id").annotate(n=Count("id"))
    )
    may_hire = has_action(user, ORG_MANAGE)

    def hire_url(station: Station) -> str:
        query = urlencode({"station": station.pk, "position": Position.STATION_MANAGER, "next": "setup"})
        return f"{reverse('org:staff_create')}?{query}"

    rows = [(s, managers.get(s.pk, 0), hire_url(s) if may_hire else None) for s in stations]
    steps.append(SetupStep(
        "manager", _("Station manager's login"), _("Each station's manager, who then adds the station's staff."),
        sum(n for _s, n, _u in rows), bool(rows) and all(n for _s, n, _u in rows),
        hire_url(stations[0]) if may_hire and stations else None, rows,
    ))
    return steps
