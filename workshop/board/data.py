"""What is on the floor, as the board shows it: orders, their labour lines, dispatch and clock state.

A fixed number of flat ``values_list`` queries joined on the order's station and status, whatever the number of
orders (no per-order queries, no long IN lists, no model instances for the 300 orders of a busy station: measured in
workshop/tests/test_capacity_and_board.py and bench/workshop_board.py). No HTML here: ``workshop.board.html`` prints it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from org.models import Staff, Station
from parts.services.orders import issued_by_line
from reception.models import Concern, WorkOrder, WorkOrderLine
from workshop.models import Bay, ClockEntry, Finding, JobAssignment, PartNotNeeded, QualityCheck
from workshop.selectors import JobState, attendance_today, capacity_hours, job_states, order_risk, technicians

S = WorkOrder.Status
End = ClockEntry.End
BOARD_STATES = (S.OPEN, S.IN_PROGRESS, S.QUALITY_CHECK, S.READY)


@dataclass(slots=True)
class PartRow:
    """A part line of an order on the floor, with what the counter has issued and whether the workshop did without
    (the same attribute names as workshop.services.readiness.part_lines_status puts on a line)."""

    pk: int
    description: str
    quantity: Decimal
    issued_qty: Decimal
    not_needed_row: bool

    @property
    def outstanding_qty(self) -> Decimal:
        return Decimal("0") if self.not_needed_row else max(self.quantity - self.issued_qty, Decimal("0"))


@dataclass(slots=True)
class OrderRow:
    """An order as the board shows it (from values(), not a model instance: 300 of them must be cheap)."""

    pk: int
    number: str
    status: str
    promised_at: datetime | None
    opened_at: datetime
    plate: str
    model: str
    advisor: str
    promised_label: str
    has_pending: bool = False
    reworks: int = 0
    concerns: list[str] = field(default_factory=list)  # the customer's own words (故障描述)
    part_lines: list[PartRow] = field(default_factory=list)  # only with board_items(with_details=True)

    @property
    def status_label(self) -> str:
        return S(self.status).label


@dataclass(slots=True)
class LineRow:
    pk: int
    order_id: int
    description: str
    hours: Decimal
    approval: str
    is_additional: bool

    def get_approval_display(self) -> str:
        return WorkOrderLine.Approval(self.approval).label


@dataclass
class BoardOrder:
    order: OrderRow
    jobs: list[dict]
    technicians: list[Staff]
    bays: list[Bay]
    remaining_hours: Decimal
    risk: str  # "" | "at_risk" | "late"
    waiting_parts: bool
    waiting_approval: bool
    unassigned: int
    rework: int

    @property
    def people(self) -> str:
        names = ", ".join(str(t) for t in self.technicians)
        codes = ", ".join(b.code for b in self.bays)
        return f"{names} · {codes}" if codes else names


@dataclass
class Board:
    columns: list[tuple[str, str, list[BoardOrder]]]
    lanes: list[dict]
    bays: list[dict]
    capacity: Decimal
    assigned: Decimal
    unassigned_hours: Decimal
    now: datetime
    count: int

    @property
    def load_pct(self) -> Decimal | None:
        return (self.assigned / self.capacity) if self.capacity else None


class _Entry:
    """A clock entry as the board needs it (a tuple from values_list, no model instance)."""

    __slots__ = ("pk", "line_id", "technician_id", "started_at", "ended_at", "end", "_now")

    def __init__(self, row: tuple, now: datetime):
        self.pk, self.line_id, self.technician_id, self.started_at, self.ended_at, self.end = row
        self._now = now

    @property
    def seconds(self) -> int:
        return int(((self.ended_at or self._now) - self.started_at).total_seconds())


@dataclass(slots=True)
class _Assignment:
    technician_id: int
    technician: Staff | None
    bay_id: int | None
    bay: Bay | None


def board_items(station: Station, states=BOARD_STATES, now: datetime | None = None, staff: dict | None = None,
                bays: dict | None = None, with_details: bool = False) -> list[BoardOrder]:
    """The orders on the floor with their jobs and the customer's concerns, in a fixed number of flat queries joined
    on the order's station and status (no per-order queries, no long IN lists, no model instances for the 300 orders
    and their lines). ``with_details`` adds each order's approved part lines with what is issued (the dispatch list)."""
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    on_floor = {"order__station": station, "order__status__in": states}
    orders = [
        OrderRow(
            pk=pk, number=number, status=status, promised_at=promised, opened_at=opened, plate=plate or vin,
            model=model, advisor=display or username,
            promised_label=promised.astimezone(tz).strftime("%m-%d %H:%M") if promised else "",
            has_pending=pending, reworks=rework,
        )
        for pk, number, status, promised, opened, plate, vin, model, display, username, pending, rework in (
            WorkOrder.objects.filter(station=station, status__in=states)
            .annotate(
                has_pending=Exists(Finding.objects.filter(order=OuterRef("pk"), decision=Finding.Decision.PENDING)),
                reworks=Coalesce(
                    Subquery(
                        QualityCheck.objects.filter(order=OuterRef("pk"), result=QualityCheck.Result.FAILED)
                        .values("order")
                        .annotate(n=Count("id"))
                        .values("n")
                    ),
                    0,
                ),
            )
            .order_by("promised_at", "opened_at", "id")
            .values_list(
                "id", "number", "status", "promised_at", "opened_at", "vehicle__plate", "vehicle__vin",
                "vehicle__model", "advisor__display_name", "advisor__username", "has_pending", "reworks",
            )
        )
    ]
    by_pk = {o.pk: o for o in orders}
    for order_id, text in Concern.objects.filter(**on_floor).order_by("position", "id").values_list("order_id", "text"):
        if order_id in by_pk:
            by_pk[order_id].concerns.append(text)
    if with_details:
        _attach_part_lines(station, states, on_floor, by_pk)
    lines: dict[int, list[LineRow]] = defaultdict(list)
    for row in (
        WorkOrderLine.objects.filter(kind=WorkOrderLine.Kind.LABOUR, **on_floor)
        .exclude(approval=WorkOrderLine.Approval.DECLINED)
        .order_by("position", "id")
        .values_list("id", "order_id", "description", "hours", "approval", "is_additional")
    ):
        lines[row[1]].append(LineRow(*row))
    if bays is None:
        bays = {b.pk: b for b in Bay.objects.filter(station=station)}
    if staff is None:
        staff = {p.pk: p for p in technicians(station)}
    rows = list(
        JobAssignment.objects.filter(**on_floor).order_by("assigned_at", "id").values_list("line_id", "technician_id", "bay_id")
    )
    missing = {tech for _l, tech, _b in rows if tech not in staff}
    if missing:
        staff.update({p.pk: p for p in Staff.objects.filter(pk__in=missing)})
    assignments: dict[int, list[_Assignment]] = defaultdict(list)
    for line_id, tech_id, bay_id in rows:
        assignments[line_id].append(_Assignment(tech_id, staff.get(tech_id), bay_id, bays.get(bay_id)))
    entries: dict[int, list[_Entry]] = defaultdict(list)
    for row in ClockEntry.objects.filter(**on_floor).values_list(
        "order_id", "id", "line_id", "technician_id", "started_at", "ended_at", "end"
    ):
        entries[row[0]].append(_Entry(row[1:], now))
    return [_board_order(o, lines[o.pk], assignments, entries[o.pk], o.has_pending, o.reworks, now) for o in orders]


def _attach_part_lines(station, states, on_floor, by_pk) -> None:
    issued = issued_by_line(orders=WorkOrder.objects.filter(station=station, status__in=states))
    waived = set(PartNotNeeded.objects.filter(**on_floor).values_list("line_id", flat=True))
    for pk, order_id, description, quantity in (
        WorkOrderLine.objects.filter(
            kind=WorkOrderLine.Kind.PART, approval=WorkOrderLine.Approval.APPROVED, part__isnull=False, **on_floor
        )
        .order_by("position", "id")
        .values_list("id", "order_id", "description", "quantity")
    ):
        if order_id in by_pk:
            by_pk[order_id].part_lines.append(
                PartRow(pk, description, quantity, issued.get(pk, Decimal("0")), pk in waived)
            )


def _board_order(order, labour_lines, assignments, entries, has_pending, rework, now) -> BoardOrder:
    states = job_states(entries)
    jobs, remaining, unassigned = [], Decimal("0"), 0
    techs: dict[int, Staff] = {}
    order_bays: dict[int, Bay] = {}
    for line in labour_lines:
        state = states.get(line.pk) or JobState()
        assigned = assignments.get(line.pk, [])
        for a in assigned:
            if a.technician is not None:
                techs[a.technician_id] = a.technician
            if a.bay is not None:
                order_bays[a.bay_id] = a.bay
        approved = line.approval == WorkOrderLine.Approval.APPROVED
        if approved and state.status != "done":
            remaining += line.hours
            if not assigned:
                unassigned += 1
        jobs.append({"line": line, "state": state, "assignments": assigned, "approved": approved})
    paused = [j["state"].pause_reason for j in jobs if j["state"].status == "paused"]
    return BoardOrder(
        order=order, jobs=jobs, technicians=list(techs.values()), bays=list(order_bays.values()),
        remaining_hours=remaining, risk=order_risk(order, remaining, now), waiting_parts=End.WAITING_PARTS in paused,
        waiting_approval=has_pending or End.WAITING_APPROVAL in paused,
        unassigned=unassigned if order.status in (S.OPEN, S.IN_PROGRESS) else 0, rework=rework,
    )


def board(*, station: Station, now: datetime | None = None) -> Board:
    now = now or timezone.now()
    people = list(technicians(station))
    bay_list = list(Bay.objects.filter(station=station))
    items = board_items(station, now=now, staff={p.pk: p for p in people}, bays={b.pk: b for b in bay_list})
    columns = [
        (status, S(status).label, [i for i in items if i.order.status == status]) for status in BOARD_STATES
    ]
    presence = attendance_today(technician_ids=[p.pk for p in people], day=timezone.localdate(now))
    lanes = {
        p.pk: {"technician": p, "working": None, "paused": [], "queued": [], "hours": Decimal("0"),
               "presence": presence[p.pk]}
        for p in people
    }
    bay_rows = {b.pk: {"bay": b, "orders": [], "seen": set()} for b in bay_list if b.is_active}
    assigned_hours = Decimal("0")
    unassigned_hours = Decimal("0")
    for item in items:
        if item.order.status not in (S.OPEN, S.IN_PROGRESS):
            continue
        for job in item.jobs:
            state, line = job["state"], job["line"]
            if not job["approved"] or state.status == "done":
                continue
            if not job["assignments"]:
                unassigned_hours += line.hours
                continue
            assigned_hours += line.hours
            for a in job["assignments"]:
                lane = lanes.get(a.technician_id)
                if a.bay_id in bay_rows and item.order.pk not in bay_rows[a.bay_id]["seen"]:
                    bay_rows[a.bay_id]["seen"].add(item.order.pk)
                    bay_rows[a.bay_id]["orders"].append(item)
                if lane is None:
                    continue
                entry = {"item": item, "line": line, "state": state}
                if a.technician_id in state.working:
                    lane["working"] = entry
                elif state.status == "paused":
                    lane["paused"].append(entry)
                else:
                    lane["queued"].append(entry)
                lane["hours"] += line.hours / len(job["assignments"])
    return Board(
        columns=columns, lanes=list(lanes.values()), bays=list(bay_rows.values()),
        capacity=capacity_hours(station=station, day=timezone.localdate(now), technician_ids=[p.pk for p in people]),
        assigned=assigned_hours.quantize(Decimal("0.01")), unassigned_hours=unassigned_hours, now=now,
        count=len(items),
    )


