"""Reads of the workshop: the board, a technician's jobs and hours, capacity, and the panels other apps include.

Everything here runs a fixed number of queries whatever the number of orders (the board is measured in tests and
in bench/workshop_board.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from html import escape

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from org.models import Position, Staff, Station
from reception.models import WorkOrder, WorkOrderLine
from workshop.models import (
    Attendance,
    Bay,
    ClockEntry,
    Comeback,
    ComebackDismissal,
    Finding,
    JobAssignment,
    QualityCheck,
    seconds_to_hours,
)

S = WorkOrder.Status
End = ClockEntry.End
DEFAULT_SHIFT_HOURS = Decimal("8")
BOARD_STATES = (S.OPEN, S.IN_PROGRESS, S.QUALITY_CHECK, S.READY)
AT_RISK_MARGIN = timedelta(hours=1)


def technicians(station: Station) -> QuerySet[Staff]:
    """The people who clock jobs and make the workshop's capacity: the station's active technicians (QC inspectors
    do not clock jobs). Used by the board, dispatch and the roster."""
    return Staff.objects.filter(station=station, position=Position.TECHNICIAN, is_active=True).order_by(
        "display_name", "username"
    )


def planned_hours(row: Attendance | None) -> Decimal:
    """A technician's planned hours on a day from the roster/attendance row: 0 when absent, 8 h when there is none.
    The one rule behind capacity and the roster editor's totals."""
    if row is None:
        return DEFAULT_SHIFT_HOURS
    return Decimal("0") if row.is_absent else row.planned_hours


def capacity_hours(*, station: Station, day: date, technician_ids: list[int] | None = None) -> Decimal:
    """Technician hours available on a day: the sum of ``planned_hours`` over every active technician of the station.
    Used by appointment booking, the board and the roster."""
    rows = {
        a.technician_id: a
        for a in Attendance.objects.filter(station=station, day=day).only("technician_id", "planned_hours", "is_absent")
    }
    if technician_ids is None:
        technician_ids = list(technicians(station).values_list("id", flat=True))
    return sum((planned_hours(rows.get(tech_id)) for tech_id in technician_ids), Decimal("0"))


# --- job state ------------------------------------------------------------------------------------------------


@dataclass
class JobState:
    """The state of one labour line on the floor, from its clock entries."""

    status: str = "not_started"  # not_started | working | paused | done
    pause_reason: str = ""
    working: list[int] = field(default_factory=list)  # technician ids with a running clock
    seconds: int = 0

    @property
    def hours(self) -> Decimal:
        return seconds_to_hours(self.seconds)

    @property
    def pause_label(self) -> str:
        return End(self.pause_reason).label if self.pause_reason else ""


def job_states(entries: list[ClockEntry]) -> dict[int, JobState]:
    """line id → JobState. Entries in any order; the latest per technician decides."""
    last: dict[tuple[int, int], ClockEntry] = {}
    states: dict[int, JobState] = defaultdict(JobState)
    for entry in sorted(entries, key=lambda e: (e.started_at, e.pk)):
        last[(entry.line_id, entry.technician_id)] = entry
        states[entry.line_id].seconds += entry.seconds
    by_line: dict[int, list[ClockEntry]] = defaultdict(list)
    for (line_id, _tech), entry in last.items():
        by_line[line_id].append(entry)
    for line_id, latest in by_line.items():
        state = states[line_id]
        state.working = [e.technician_id for e in latest if e.ended_at is None]
        paused = [e for e in latest if e.end in ClockEntry.PAUSES]
        if state.working:
            state.status = "working"
        elif paused:
            state.status = "paused"
            state.pause_reason = paused[0].end
        else:
            state.status = "done"
    return states


# --- the board ------------------------------------------------------------------------------------------------


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

    def card_html(self) -> str:
        """One card of the board. Built with plain string formatting (every value escaped) because 300 cards through
        the template engine or format_html cost more than the whole page's budget (bench/workshop_board.py)."""
        o = self.order
        promised = f'<i class="bi bi-clock"></i> {o.promised_label} ' if o.promised_label else ""
        people = (
            f'<div class="small mt-1"><i class="bi bi-person-gear"></i> {escape(self.people)}</div>'
            if self.technicians
            else ""
        )
        return mark_safe(  # noqa: S308 - every dynamic value below is escaped
            f'<div class="card board-card risk-{self.risk or "ok"} mb-2" data-order="{escape(o.number)}">'
            f'<div class="card-body p-2"><div class="d-flex justify-content-between"><strong>{escape(o.plate)}</strong>'
            f'<span class="small">{escape(o.number)}</span></div>'
            f'<div class="small text-muted">{escape(o.model)} · {escape(o.advisor)}</div>'
            f'<div class="small">{promised}{self.badges()}</div>{people}</div></div>'
        )

    def badges(self) -> str:
        """The card's flags (escaped HTML)."""
        parts = []
        if self.risk == "late":
            parts.append(("text-bg-danger", "", pgettext("workshop", "late")))
        elif self.risk == "at_risk":
            parts.append(("text-bg-warning", "", pgettext("workshop", "at risk")))
        if self.waiting_parts:
            parts.append(("text-bg-info", "bi-box-seam", pgettext("workshop", "waiting for parts")))
        if self.waiting_approval:
            parts.append(("text-bg-warning", "bi-hourglass-split", pgettext("workshop", "waiting for approval")))
        if self.rework:
            parts.append(("text-bg-danger", "bi-arrow-counterclockwise", f"{_('rework')} ×{self.rework}"))
        if self.unassigned:
            text = ngettext("%(n)s job not dispatched", "%(n)s jobs not dispatched", self.unassigned) % {
                "n": self.unassigned
            }
            parts.append(("text-bg-light border", "", text))
        return " ".join(f'<span class="badge {c}"><i class="bi {i}"></i> {escape(t)}</span>' for c, i, t in parts)


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
                bays: dict | None = None) -> list[BoardOrder]:
    """The orders on the floor with their jobs, in a fixed number of flat queries joined on the order's station and
    status (no per-order queries, no long IN lists, no model instances for the 300 orders and their lines)."""
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


def _risk(order: WorkOrder, remaining: Decimal, now: datetime) -> str:
    if order.promised_at is None or order.status == S.READY:
        return ""
    if now > order.promised_at:
        return "late"
    if now + timedelta(hours=float(remaining)) > order.promised_at or order.promised_at - now < AT_RISK_MARGIN:
        return "at_risk"
    return ""


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
        remaining_hours=remaining, risk=_risk(order, remaining, now), waiting_parts=End.WAITING_PARTS in paused,
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
    lanes = {p.pk: {"technician": p, "working": None, "paused": [], "queued": [], "hours": Decimal("0")} for p in people}
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


# --- a technician's own page ----------------------------------------------------------------------------------


def my_jobs(*, technician: Staff, now: datetime | None = None) -> list[dict]:
    """The technician's jobs on the floor, the running one first, then paused, then waiting, then done."""
    now = now or timezone.now()
    order_ids = JobAssignment.objects.filter(
        technician=technician, order__status__in=(S.OPEN, S.IN_PROGRESS, S.QUALITY_CHECK)
    ).values("order_id")
    orders = (
        WorkOrder.objects.filter(pk__in=order_ids)
        .select_related("vehicle", "customer")
        .prefetch_related(
            Prefetch("lines", queryset=WorkOrderLine.objects.select_related("part"), to_attr="all_lines"),
            Prefetch("assignments", queryset=JobAssignment.objects.select_related("technician", "bay")),
            Prefetch("clock_entries", queryset=ClockEntry.objects.all()),
            Prefetch("findings", queryset=Finding.objects.prefetch_related("lines"), to_attr="all_findings"),
        )
        .order_by("promised_at", "opened_at")
    )
    rank = {"working": 0, "paused": 1, "not_started": 2, "done": 3}
    jobs = []
    for order in orders:
        entries = list(order.clock_entries.all())
        mine = [e for e in entries if e.technician_id == technician.pk]
        states = job_states(entries)
        my_states = job_states(mine)
        for a in order.assignments.all():
            if a.technician_id != technician.pk:
                continue
            line = next((ln for ln in order.all_lines if ln.pk == a.line_id), None)
            if line is None:
                continue
            state = my_states.get(line.pk, JobState())
            jobs.append(
                {
                    "order": order, "line": line, "assignment": a, "state": state, "line_state": states.get(line.pk),
                    "others": [x.technician for x in order.assignments.all() if x.line_id == line.pk and x.technician_id != technician.pk],
                    "part_lines": [ln for ln in order.all_lines if ln.kind == WorkOrderLine.Kind.PART and ln.approval == WorkOrderLine.Approval.APPROVED],
                    "findings": order.all_findings,
                    "risk": _risk(order, Decimal("0") if state.status == "done" else line.hours, now),
                }
            )
    jobs.sort(key=lambda j: (rank[j["state"].status], j["order"].promised_at or now + timedelta(days=999)))
    return jobs


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class Hours:
    clocked: Decimal
    sold: Decimal
    attended: Decimal

    @property
    def efficiency(self) -> Decimal | None:
        return self.sold / self.clocked if self.clocked else None

    @property
    def productivity(self) -> Decimal | None:
        return self.clocked / self.attended if self.attended else None


def technician_hours(*, technician: Staff, start: date, end: date) -> Hours:
    """Hours clocked (on jobs), sold (standard hours of lines they finished, shared between the technicians who
    worked on the line) and attended (on shift) from ``start`` to ``end`` inclusive, local days."""
    tz = timezone.get_current_timezone()
    since = timezone.make_aware(datetime.combine(start, datetime.min.time()), tz)
    until = timezone.make_aware(datetime.combine(end + timedelta(days=1), datetime.min.time()), tz)
    now = timezone.now()
    clocked = 0
    for e in ClockEntry.objects.filter(technician=technician, started_at__lt=until).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=since)
    ):
        stop = min(e.ended_at or now, until)
        clocked += max(0, int((stop - max(e.started_at, since)).total_seconds()))
    finished_lines = ClockEntry.objects.filter(
        technician=technician, end=End.OFF, ended_at__gte=since, ended_at__lt=until
    ).values_list("line_id", flat=True)
    sold = Decimal("0")
    sharing: dict[int, set[int]] = defaultdict(set)
    for line_id, tech_id in ClockEntry.objects.filter(line_id__in=finished_lines).values_list("line_id", "technician_id"):
        sharing[line_id].add(tech_id)
    for line in WorkOrderLine.objects.filter(pk__in=list(sharing)).only("pk", "hours"):
        sold += line.hours / len(sharing[line.pk])
    attended = sum(
        (a.attended_seconds for a in Attendance.objects.filter(technician=technician, day__gte=start, day__lte=end)), 0
    )
    return Hours(clocked=seconds_to_hours(clocked), sold=sold.quantize(Decimal("0.01")), attended=seconds_to_hours(attended))


def today_attendance(technician: Staff) -> Attendance | None:
    return Attendance.objects.filter(technician=technician, day=timezone.localdate()).first()


def running_entry(technician: Staff) -> ClockEntry | None:
    return (
        ClockEntry.objects.select_related("order", "line").filter(technician=technician, ended_at__isnull=True).first()
    )


# --- panels for other apps ------------------------------------------------------------------------------------


def pending_findings(*, station_ids) -> QuerySet[Finding]:
    return (
        Finding.objects.filter(station_id__in=station_ids, decision=Finding.Decision.PENDING)
        .select_related("order", "order__customer", "vehicle", "found_by")
        .prefetch_related("lines", "photos")
        .order_by("created_at")
    )


def recommendations(*, vehicle_ids) -> QuerySet[Finding]:
    """Declined additional work (客户暂缓项目), to show again at the next visit."""
    return (
        Finding.objects.filter(vehicle_id__in=vehicle_ids, decision=Finding.Decision.DECLINED)
        .select_related("order", "vehicle")
        .prefetch_related("lines")
        .order_by("-created_at")
    )


def order_panel(order: WorkOrder) -> dict:
    """What the front desk sees of the workshop on an order page."""
    from workshop.services.comebacks import comeback_candidates

    assignments = list(JobAssignment.objects.filter(order=order).select_related("technician", "bay", "line"))
    entries = list(ClockEntry.objects.filter(order=order).select_related("technician"))
    states = job_states(entries)
    lines = {}
    for a in assignments:
        lines.setdefault(a.line_id, {"line": a.line, "assignments": [], "state": states.get(a.line_id, JobState())})
        lines[a.line_id]["assignments"].append(a)
    comeback = Comeback.objects.filter(order=order).select_related("earlier_order").first()
    dismissed = ComebackDismissal.objects.filter(order=order).exists()
    candidates = (
        [] if comeback or dismissed or order.status == S.CANCELLED else list(comeback_candidates(order=order)[:5])
    )
    return {
        "jobs": list(lines.values()),
        "running": [e for e in entries if e.ended_at is None],
        "findings": list(Finding.objects.filter(order=order).select_related("found_by", "decided_by").prefetch_related("lines", "photos")),
        "quality_checks": list(QualityCheck.objects.filter(order=order).select_related("inspector")),
        "comeback": comeback,
        "comeback_candidates": candidates,
        "recommendations": list(recommendations(vehicle_ids=[order.vehicle_id]).exclude(order=order)[:10]),
    }
