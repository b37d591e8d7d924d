"""Reads of the front desk, scoped to the stations the user sees."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Right
from django.utils import timezone

from core.registry import registry
from org.models import Position, Staff, Station
from org.selectors import scope, visible_station_ids
from parts.models import Part
from parts.services.orders import parts_for_sale
from reception.models import (
    Appointment,
    Campaign,
    CampaignVehicle,
    Customer,
    LabourOperation,
    Loaner,
    LoanerBooking,
    Vehicle,
    WarrantyTerms,
    WorkOrder,
    WorkOrderLine,
)
from reception.services import warranty_terms as terms
from reception.services.validation import VIN_RE, is_valid_plate, normalise_plate

MIN_PARTIAL = 3  # shorter queries match from the start only (no trigram index can help below three characters)
LAST_DIGITS = 4  # four digits are the end of a mobile number (the customer_station_mobile_last4 index)
PICK_LIMIT = 10  # suggestions a picker shows; the user types more to narrow down



def panels(slot: str) -> list[str]:
    """The templates other apps add to one of our pages (``order``, ``customer``, ``desk``), registered in their
    ``AppConfig.ready()``; ``core.checks`` refuses to start when one of them does not exist."""
    return registry.panels_for(slot)


@dataclass
class SearchResult:
    query: str
    vehicles: list[Vehicle] = field(default_factory=list)
    customers: list[Customer] = field(default_factory=list)
    campaign_vehicle_ids: set[int] = field(default_factory=set)  # vehicles with an open recall or campaign

    @property
    def empty(self) -> bool:
        return not self.vehicles and not self.customers


def _stations_q(ids) -> Q:
    """``station_id = x`` for one station, so PostgreSQL can answer the search inside the station-leading trigram
    indexes of migration 0008 (a GIN index cannot use ``IN (…)``: several stations are filtered on the rows)."""
    ids = list(ids)
    return Q(station_id=ids[0]) if len(ids) == 1 else Q(station_id__in=ids)


def search(user: Staff, query: str, *, limit: int = 20, station_ids=None) -> SearchResult:
    """One box: plate, VIN (or its last six), mobile (or its last four digits), name; partial matches. A customer
    found brings their vehicles along, so a phone number or a name finds the car too. Fast on PostgreSQL through the
    trigram and prefix indexes of migration 0003 and the last-four-digits index of the customer."""
    query = (query or "").strip()
    result = SearchResult(query=query)
    if len(query) < 2:
        return result
    ids = visible_station_ids(user) if station_ids is None else station_ids
    compact = normalise_plate(query)  # upper case, no spaces or dots: fits plates and VINs
    digits = re.sub(r"[\s\-]", "", query)
    # Whole identifiers use the unique b-tree indexes; only fragments need the trigram indexes (cheaper, exact).
    if VIN_RE.match(compact):
        vehicle_q, customer_q = Q(vin=compact), None
    elif is_valid_plate(compact):
        vehicle_q, customer_q = Q(plate__startswith=compact), None
    elif digits.isdigit() and len(digits) == 11:
        vehicle_q, customer_q = None, Q(mobile=digits)
    elif query.isdigit() and len(query) == LAST_DIGITS:
        # Four digits: the end of a mobile (one equality on the last-four index, no OR with the name indexes that
        # would make the planner scan the station) or a plate or VIN fragment.
        vehicle_q = Q(plate__startswith=compact) | Q(plate__contains=compact) | Q(vin__contains=compact)
        customer_q = Q(mobile_end=query)
    else:
        vehicle_q = Q(plate__startswith=compact)
        if len(compact) >= MIN_PARTIAL:
            vehicle_q |= Q(plate__contains=compact) | Q(vin__contains=compact)
        customer_q = Q(name__istartswith=query)
        if len(query) >= MIN_PARTIAL:
            customer_q |= Q(name__icontains=query)
        if digits.isdigit() and len(digits) >= MIN_PARTIAL:
            customer_q |= Q(mobile__contains=digits)
    # No ORDER BY in the database: a short fragment can match thousands of rows, and sorting them all costs more
    # than the search. The first ``limit`` matches are sorted here; the user types more to narrow down.
    vehicles: list[Vehicle] = []
    if vehicle_q is not None:
        found = Vehicle.objects.filter(vehicle_q, _stations_q(ids)).select_related("owner").order_by()[:limit]
        vehicles = sorted(found, key=lambda v: (v.plate != compact, v.plate, v.vin))
    if customer_q is not None:
        found = (Customer.objects.annotate(mobile_end=Right("mobile", LAST_DIGITS))
                 .filter(customer_q, _stations_q(ids)).order_by()[:limit])
        result.customers = sorted(found, key=lambda c: (c.name != query, c.name))
    if result.customers and len(vehicles) < limit:
        # The vehicles of the customers found (by the owner's foreign-key index; a fleet brings its first few).
        owners = {c.pk: c for c in result.customers}
        seen = {v.pk for v in vehicles}
        owned = Vehicle.objects.filter(_stations_q(ids), owner_id__in=owners).exclude(pk__in=seen).order_by()
        extra = sorted(owned[:limit - len(vehicles)], key=lambda v: (v.plate, v.vin))
        for vehicle in extra:
            vehicle.owner = owners[vehicle.owner_id]
        vehicles += extra
    result.vehicles = vehicles
    return result


def pick_vehicles(user: Staff, station: Station, query: str, *, owned: bool = False,
                  limit: int = PICK_LIMIT) -> list[Vehicle]:
    """A picker's vehicle suggestions: the search box's matches in one station (with an owner when ``owned``)."""
    found = search(user, query, limit=limit, station_ids=[station.pk]).vehicles
    return [v for v in found if v.owner_id] if owned else found


def pick_customers(user: Staff, station: Station, query: str, *, limit: int = PICK_LIMIT) -> list[Customer]:
    """A picker's customer suggestions: the search box's matches in one station."""
    return search(user, query, limit=limit, station_ids=[station.pk]).customers


def pick_operations(station: Station, query: str, *, prefer: str = "", limit: int = PICK_LIMIT) -> list[LabourOperation]:
    """Active labour operations of one station by code or name; those naming ``prefer`` (the vehicle's model) first.

    Two bounded queries when a model is given (its matches first, then the others), so the model's operations are
    never crowded out by the first ``limit`` of the others."""
    query = (query or "").strip()
    if not query:
        return []
    match = Q(code__istartswith=query) | Q(name_zh__icontains=query) | Q(name_en__icontains=query)
    base = LabourOperation.objects.filter(match, station=station, is_active=True).order_by()
    return _preferred(base, prefer, ("name_zh", "name_en"), limit, key=lambda o: o.code)


def pick_parts(station: Station, query: str, *, prefer: str = "", limit: int = PICK_LIMIT) -> list[Part]:
    """Parts for sale in one station by number or name; those fitting ``prefer`` (the vehicle's model, named in the
    part's name: 雨刮片(卡罗拉)) first."""
    query = (query or "").strip()
    if not query:
        return []
    match = Q(part_number__istartswith=query) | Q(name_zh__icontains=query) | Q(name_en__icontains=query)
    if len(query) >= MIN_PARTIAL:
        match |= Q(part_number__icontains=query)
    base = parts_for_sale(station=station).filter(match).order_by()
    return _preferred(base, prefer, ("name_zh", "name_en"), limit, key=lambda p: p.part_number)


def _preferred(base: QuerySet, prefer: str, fields: tuple[str, ...], limit: int, *, key) -> list:
    first: list = []
    if prefer:
        mentions = Q()
        for f in fields:
            mentions |= Q(**{f"{f}__icontains": prefer})
        first = sorted(base.filter(mentions)[:limit], key=key)
    rest = []
    if len(first) < limit:
        rest = sorted(base.exclude(pk__in=[r.pk for r in first])[:limit - len(first)], key=key)
    return first + rest


def customers(user: Staff) -> QuerySet[Customer]:
    return scope(Customer.objects.all(), user)


def with_vehicle_counts(rows: list[Customer]) -> list[Customer]:
    """Attach ``vehicle_count`` to these customers (one grouped query over their vehicles only — never a GROUP BY
    over every customer of the list)."""
    counts = dict(Vehicle.objects.filter(owner_id__in=[c.pk for c in rows]).order_by().values_list("owner_id")
                  .annotate(n=Count("id")))
    for c in rows:
        c.vehicle_count = counts.get(c.pk, 0)
    return rows


def customer_detail_qs(user: Staff) -> QuerySet[Customer]:
    return scope(Customer.objects.all(), user).prefetch_related("contacts")


def vehicles(user: Staff) -> QuerySet[Vehicle]:
    return scope(Vehicle.objects.select_related("owner"), user)


def orders(user: Staff) -> QuerySet[WorkOrder]:
    return scope(WorkOrder.objects.select_related("customer", "vehicle", "advisor"), user)


def order_detail_qs(user: Staff) -> QuerySet[WorkOrder]:
    return scope(
        WorkOrder.objects.select_related("customer", "vehicle", "advisor", "station", "pre_inspection__done_by")
        .prefetch_related("concerns", Prefetch("lines", queryset=_lines_qs())),
        user,
    )


def estimate_versions_shown(order: WorkOrder) -> list:
    """The order's estimate versions, newest first, with what the order page shows of them (who approved by name)."""
    # a reverse manager's rows read their ``order`` column: it stays in the ``only()``
    return list(order.estimate_versions.select_related("approved_by").only(
        "order", "number", "created_at", "totals", "fingerprint", "approval_channel", "approved_at", "signature", "scan",
        *Staff.name_fields("approved_by")).order_by("-number"))


def _lines_qs():
    from reception.models import WorkOrderLine

    return WorkOrderLine.objects.select_related("part").order_by("position", "id")


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    return start, start + timedelta(days=1)


def appointments(user: Staff) -> QuerySet[Appointment]:
    return scope(
        Appointment.objects.select_related("customer", "vehicle", "advisor", "work_order").prefetch_related(
            "operations"
        ),
        user,
    )


def appointments_between(user: Staff, start: datetime, end: datetime, *, station: Station | None = None,
                         advisor_id: int | None = None) -> QuerySet[Appointment]:
    qs = appointments(user).filter(start__gte=start, start__lt=end)
    if station is not None:
        qs = qs.filter(station=station)
    if advisor_id:
        qs = qs.filter(advisor_id=advisor_id)
    return qs.order_by("start")


def desk_appointments(user: Staff, start: datetime, end: datetime, *, station: Station) -> QuerySet[Appointment]:
    """One station's appointments in a time window for the front desk: what its table prints (time, customer and
    grade, vehicle, state, the order's number) and the booked hours the day's capacity sums, nothing else."""
    return (
        scope(Appointment.objects.select_related("customer", "vehicle", "work_order"), user)
        .filter(station=station, start__gte=start, start__lt=end)
        .only("start", "status", "advisor_id", "booked_hours", "customer__name", "customer__grade", "vehicle__plate",
              "vehicle__vin", "work_order__number")
        .order_by("start")
    )


def station_appointments_between(station: Station, start: datetime, end: datetime) -> QuerySet[Appointment]:
    """One station's appointments in a time window, for a board that nobody is logged in on (a device link: the
    link's station is the scope)."""
    return (
        Appointment.objects.select_related("customer", "vehicle", "advisor", "work_order")
        .filter(station=station, start__gte=start, start__lt=end)
        .order_by("start")
    )


def advisors(station: Station | None) -> QuerySet[Staff]:
    return Staff.objects.filter(
        station=station, is_active=True,
        position__in=[Position.SERVICE_ADVISOR, Position.FRONT_DESK_LEAD, Position.RECEPTIONIST],
    ).order_by("position", "username")


def open_orders_by_state(user: Staff, *, advisor: Staff | None = None, station: Station | None = None):
    """The desk's open orders grouped by state: each with what its button prints (number, vehicle, promised time)."""
    qs = (scope(WorkOrder.objects.select_related("vehicle"), user)
          .exclude(status__in=[WorkOrder.Status.DELIVERED, WorkOrder.Status.CANCELLED])
          .only("number", "status", "promised_at", "vehicle__plate", "vehicle__vin"))
    if advisor is not None:
        qs = qs.filter(advisor=advisor)
    if station is not None:
        qs = qs.filter(station=station)
    groups: dict[str, list[WorkOrder]] = {}
    for order in qs.order_by("opened_at")[:200]:
        groups.setdefault(order.status, []).append(order)
    return [(status, WorkOrder.Status(status).label, groups[status]) for status in WorkOrder.Status.values
            if status in groups]


def work_orders() -> QuerySet[WorkOrder]:
    """Every work order, unscoped: the caller scopes it (provided to parts through the registry)."""
    return WorkOrder.objects.all()


def work_order_lines() -> QuerySet[WorkOrderLine]:
    """Every work-order line, unscoped: the caller scopes it (provided to parts through the registry)."""
    return WorkOrderLine.objects.all()


# --- recalls / service campaigns and 三包 (issue #18) --------------------------------------------------------------
def campaigns(station: Station) -> QuerySet[Campaign]:
    """The station's campaigns with their listed and done vehicles counted (one grouped query)."""
    return (Campaign.objects.filter(station=station).select_related("labour_operation")
            .annotate(listed=Count("vehicles"), done=Count("vehicles", filter=Q(vehicles__done_at__isnull=False))))


def open_campaign_vehicles(station: Station, *, campaign_id: int | None = None) -> QuerySet[CampaignVehicle]:
    qs = CampaignVehicle.objects.filter(station=station, done_at__isnull=True).select_related("campaign")
    return qs.filter(campaign_id=campaign_id) if campaign_id else qs


def with_vehicles(rows: list[CampaignVehicle], station: Station) -> list[CampaignVehicle]:
    """Each listed VIN's vehicle on file (with its owner), for one page of the list: one query."""
    found = {x.vin: x for x in Vehicle.objects.filter(station=station, vin__in=[r.vin for r in rows])
             .select_related("owner")}
    for row in rows:
        row.vehicle = found.get(row.vin)
    return rows


def vehicles_near_sanbao(station: Station, *, today: date | None = None) -> QuerySet[Vehicle]:
    """The station's vehicles sold within the longest 三包 period that have a 三包 repair near or over a threshold by
    the grouped figures (20 repair days or more, a serious safety fault, a main part replaced, 3 repairs or more)."""
    today = today or timezone.localdate()
    longest = max([terms.DEFAULT_TERMS["sanbao_months"],
                   *WarrantyTerms.objects.filter(station=station).values_list("sanbao_months", flat=True)])
    return (Vehicle.objects.filter(station=station, warranty_start__gt=terms.add_months(today, -longest))
            .annotate(sanbao_count=Count("sanbao_repairs"), sanbao_days=Sum("sanbao_repairs__days"),
                      sanbao_serious=Count("sanbao_repairs", filter=Q(sanbao_repairs__serious_safety=True)),
                      sanbao_replaced=Count("sanbao_repairs", filter=Q(sanbao_repairs__replaced=True)))
            .filter(Q(sanbao_days__gte=terms.DAYS_NEAR) | Q(sanbao_serious__gte=1) | Q(sanbao_replaced__gte=1)
                    | Q(sanbao_count__gte=terms.SAME_FAULT_NEAR))
            .select_related("owner"))


def pick_loaners(station: Station, query: str, *, start: datetime | None = None, end: datetime | None = None,
                 limit: int = PICK_LIMIT) -> list[Loaner]:
    """The station's cars in service by plate or model, each with ``clash``: the live booking that takes it during
    ``start``–``end`` (None: free then; not looked at without a window). Cars free then come first. Two queries."""
    query = (query or "").strip()
    if not query:
        return []
    match = Q(plate__icontains=normalise_plate(query) or query) | Q(model_name__icontains=query)
    cars = list(Loaner.objects.filter(match, station=station, active=True).order_by("plate")[:limit])
    clashes: dict[int, LoanerBooking] = {}
    if start and end and end > start and cars:
        live = (LoanerBooking.objects.filter(loaner__in=cars, status__in=("booked", "out"), starts_at__lt=end,
                                             ends_at__gt=start).select_related("order").order_by("starts_at"))
        for booking in live:
            clashes.setdefault(booking.loaner_id, booking)
    for car in cars:
        car.clash = clashes.get(car.pk)
        car.window_known = bool(start and end and end > start)
    return sorted(cars, key=lambda car: car.clash is not None)
