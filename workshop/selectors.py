"""Reads of the workshop: capacity, job state and risk, a technician's jobs and hours, and the panels other apps
include. The board itself is in ``workshop.board`` (data, html, cache).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Exists, FilteredRelation, Prefetch, Q, QuerySet, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core.prefetch import prefetched
from org.models import Position, Staff, Station
from reception.models import Concern, WorkOrder, WorkOrderLine
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
AT_RISK_MARGIN = timedelta(hours=1)
FINISHED = (S.SETTLED, S.DELIVERED)


def bay_count(station: Station) -> int:
    """The station's bays in use (the set-up checklist's count)."""
    return Bay.objects.filter(station=station, is_active=True).count()


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
    if technician_ids is None:  # the technicians with their row of the day, if any, in one query
        shifts = (
            technicians(station).order_by()
            .annotate(shift=FilteredRelation("attendances", condition=Q(attendances__station=station,
                                                                          attendances__day=day)))
            .values_list("shift__id", "shift__planned_hours", "shift__is_absent")
        )
        return sum((planned_hours(None if pk is None else Attendance(planned_hours=hours, is_absent=absent))
                    for pk, hours, absent in shifts), Decimal("0"))
    rows = {
        a.technician_id: a
        for a in Attendance.objects.filter(station=station, day=day).only("technician_id", "planned_hours", "is_absent")
    }
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


def order_risk(order, remaining: Decimal, now: datetime) -> str:
    """"late" once the promised time has passed; "at_risk" when the remaining hours, or the last hour, reach past it;
    else "". A ready order is never at risk. Used by the board and by a technician's jobs."""
    if order.promised_at is None or order.status == S.READY:
        return ""
    if now > order.promised_at:
        return "late"
    if now + timedelta(hours=float(remaining)) > order.promised_at or order.promised_at - now < AT_RISK_MARGIN:
        return "at_risk"
    return ""


def rework_check(order: WorkOrder, checks: list[QualityCheck]) -> QualityCheck | None:
    """The failed final inspection an order is back on the floor for (返工), or None: the latest inspection failed and
    the order is being worked again (not yet back at QC)."""
    last = max(checks, key=lambda qc: qc.attempt, default=None)
    if last is None or last.result != QualityCheck.Result.FAILED or order.status not in (S.OPEN, S.IN_PROGRESS):
        return None
    return last


# --- a technician's own page ----------------------------------------------------------------------------------


def my_jobs(*, technician: Staff, now: datetime | None = None) -> list[dict]:
    """The technician's jobs on the floor, the running one first, then paused, then waiting, then done."""
    now = now or timezone.now()
    order_ids = JobAssignment.objects.filter(
        technician=technician, order__status__in=(S.OPEN, S.IN_PROGRESS, S.QUALITY_CHECK)
    ).values("order_id")
    # What the page prints and no more, each child table read once for all the orders and grouped here (this page is
    # a quarter of the workshop's requests: Django's prefetch machinery cost more than the reads themselves).
    orders = list(WorkOrder.objects.filter(pk__in=order_ids).select_related("vehicle").only(
        "number", "status", "promised_at", "opened_at", "keep_old_parts", "wash", "customer_waiting",
        "vehicle__plate", "vehicle__vin", "vehicle__model").order_by("promised_at", "opened_at"))
    ids = [order.pk for order in orders]

    def by_order(queryset: QuerySet) -> dict[int, list]:
        grouped: dict[int, list] = defaultdict(list)
        for row in queryset.filter(order_id__in=ids):
            grouped[row.order_id].append(row)
        return grouped

    lines = by_order(WorkOrderLine.objects.only("order_id", "kind", "description", "hours", "quantity", "approval",
                                                "position"))
    assignments = by_order(JobAssignment.objects.select_related("technician", "bay").only(
        "order_id", "line_id", "technician_id", "bay__code", *Staff.name_fields("technician")))
    entries_of = by_order(ClockEntry.objects.order_by())  # job_states sorts them itself
    findings = by_order(Finding.objects.only("order_id", "description", "decision", "created_at"))
    checks = by_order(QualityCheck.objects.select_related("inspector").only(
        "order_id", "attempt", "result", "reason", "at", *Staff.name_fields("inspector")))
    concerns = by_order(Concern.objects.all())
    for order in orders:
        order.all_lines, order.all_findings, order.all_concerns = lines[order.pk], findings[order.pk], concerns[order.pk]
        order.all_checks = checks[order.pk]
    rank = {"working": 0, "paused": 1, "not_started": 2, "done": 3}
    jobs = []
    for order in orders:
        entries = entries_of[order.pk]
        mine = [e for e in entries if e.technician_id == technician.pk]
        states = job_states(entries)
        my_states = job_states(mine)
        failed_qc = rework_check(order, order.all_checks)
        for a in assignments[order.pk]:
            if a.technician_id != technician.pk:
                continue
            line = next((ln for ln in order.all_lines if ln.pk == a.line_id), None)
            if line is None:
                continue
            state = my_states.get(line.pk, JobState())
            jobs.append(
                {
                    "order": order, "line": line, "assignment": a, "state": state, "line_state": states.get(line.pk),
                    "others": [x.technician for x in assignments[order.pk] if x.line_id == line.pk and x.technician_id != technician.pk],
                    "part_lines": [ln for ln in order.all_lines if ln.kind == WorkOrderLine.Kind.PART and ln.approval == WorkOrderLine.Approval.APPROVED],
                    "findings": order.all_findings,
                    "concerns": order.all_concerns,
                    "failed_qc": failed_qc,
                    "risk": order_risk(order, Decimal("0") if state.status == "done" else line.hours, now),
                }
            )
    # A finished job sent back by QC waits for its technician again: it sorts with the jobs not started yet.
    jobs.sort(key=lambda j: (rank["not_started" if j["failed_qc"] and j["state"].status == "done" else j["state"].status],
                             j["order"].promised_at or now + timedelta(days=999)))
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
    return technician_hours_windows(technician=technician, windows=[(start, end)])[0][0]


def technician_hours_windows(*, technician: Staff, windows: list[tuple[date, date]]) -> tuple[list[Hours], list]:
    """``technician_hours`` for several windows of local days at once (the technician's page shows the week and
    today), from one read of each table over the windows' span; also the attendance rows of that span (the page's
    shift is today's). Three queries whatever the number of windows."""
    tz = timezone.get_current_timezone()

    def bound(day: date) -> datetime:
        return timezone.make_aware(datetime.combine(day, datetime.min.time()), tz)

    bounds = [(bound(start), bound(end + timedelta(days=1))) for start, end in windows]
    since, until = min(lo for lo, _hi in bounds), max(hi for _lo, hi in bounds)
    now = timezone.now()
    entries = list(ClockEntry.objects.filter(technician=technician, started_at__lt=until)
                   .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=since))
                   .values_list("line_id", "started_at", "ended_at", "end"))
    finished = [(line_id, ended) for line_id, _s, ended, how in entries if how == End.OFF and ended is not None]
    sharing: dict[int, set[int]] = defaultdict(set)
    hours: dict[int, Decimal] = {}
    for line_id, tech_id, line_hours in ClockEntry.objects.filter(
            line_id__in={line_id for line_id, _e in finished}).values_list("line_id", "technician_id", "line__hours"):
        sharing[line_id].add(tech_id)
        hours[line_id] = line_hours
    first, last = min(start for start, _e in windows), max(end for _s, end in windows)
    shifts = list(Attendance.objects.filter(technician=technician, day__gte=first, day__lte=last))
    out = []
    for (start, end), (lo, hi) in zip(windows, bounds, strict=True):
        clocked = sum(max(0, int((min(ended or now, hi) - max(started, lo)).total_seconds()))
                      for _line, started, ended, _how in entries if started < hi and (ended is None or ended > lo))
        sold = sum((hours[line_id] / len(sharing[line_id]) for line_id in
                    {line_id for line_id, ended in finished if lo <= ended < hi} if line_id in hours), Decimal("0"))
        attended = sum((a.attended_seconds for a in shifts if start <= a.day <= end), 0)
        out.append(Hours(clocked=seconds_to_hours(clocked), sold=sold.quantize(Decimal("0.01")),
                         attended=seconds_to_hours(attended)))
    return out, shifts


# --- panels for other apps ------------------------------------------------------------------------------------


def pending_findings(*, station_ids) -> QuerySet[Finding]:
    """The findings the front desk's panel lists for a customer's decision: with what it prints of each (the order's
    number and customer, the vehicle, who found it, the proposed lines, photos and videos), nothing else."""
    return (
        Finding.objects.filter(station_id__in=station_ids, decision=Finding.Decision.PENDING)
        .select_related("order", "order__customer", "vehicle", "found_by")
        .only("created_at", "description", "order__number", "order__customer__name", "order__customer__mobile",
              "vehicle__plate", "vehicle__vin", *(f"found_by__{f}" for f in Staff.NAME_FIELDS))
        .prefetch_related(
            Prefetch("lines", queryset=WorkOrderLine.objects.only("kind", "description", "quantity", "hours",
                                                                  "unit_price")),
            "photos", "videos",
        )
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


def comeback_candidates(*, order: WorkOrder) -> QuerySet[WorkOrder]:
    """Earlier finished orders of the same vehicle whose completion lies within the window before this order opened."""
    window = timedelta(days=order.station.comeback_window_days)
    return (
        WorkOrder.objects.filter(station_id=order.station_id, vehicle_id=order.vehicle_id, status__in=FINISHED)
        .exclude(pk=order.pk)
        .annotate(finished_at=Coalesce("delivered_at", "settled_at", "work_completed_at", "opened_at"))
        .filter(finished_at__lte=order.opened_at, finished_at__gte=order.opened_at - window)
        .select_related("advisor")
        .order_by("-finished_at")
    )


def comeback_candidates_for(orders: list[WorkOrder], *, per_order: int = 3) -> dict[int, list[WorkOrder]]:
    """``comeback_candidates`` of many orders in one query (the comeback list): {order id: its first candidates}."""
    if not orders:
        return {}
    windows = {o.pk: timedelta(days=o.station.comeback_window_days) for o in orders}
    rows = (
        WorkOrder.objects.filter(station_id__in={o.station_id for o in orders},
                                 vehicle_id__in={o.vehicle_id for o in orders}, status__in=FINISHED)
        .annotate(finished_at=Coalesce("delivered_at", "settled_at", "work_completed_at", "opened_at"))
        .filter(finished_at__lte=max(o.opened_at for o in orders),
                finished_at__gte=min(o.opened_at - windows[o.pk] for o in orders))
        .select_related("advisor")
        .order_by("-finished_at")
    )
    by_vehicle: dict[tuple[int, int], list[WorkOrder]] = {}
    for row in rows:
        by_vehicle.setdefault((row.station_id, row.vehicle_id), []).append(row)
    return {
        o.pk: [r for r in by_vehicle.get((o.station_id, o.vehicle_id), [])
               if r.pk != o.pk and o.opened_at - windows[o.pk] <= r.finished_at <= o.opened_at][:per_order]
        for o in orders
    }


def order_panel(order: WorkOrder) -> dict:
    """What the front desk sees of the workshop on an order page.

    Reads only what the panel shows (people by name), the order's lines from the page when it has read them (``core
    .prefetch``), the comeback dismissal inside the candidates' query."""
    lines = prefetched(order, "lines")
    assignments = JobAssignment.objects.filter(order=order).select_related("technician", "bay")
    fields = ["line_id", "bay__code", *Staff.name_fields("technician")]
    if lines is None:
        assignments = assignments.select_related("line")
        fields.append("line__description")
    assignments = list(assignments.only(*fields))
    if lines is not None:
        by_id = {line.pk: line for line in lines}
        for a in assignments:
            if a.line_id in by_id:
                a.line = by_id[a.line_id]
    entries = list(ClockEntry.objects.filter(order=order).select_related("technician")
                   .only("line_id", "started_at", "ended_at", "end", *Staff.name_fields("technician")))
    states = job_states(entries)
    jobs = {}
    for a in assignments:
        jobs.setdefault(a.line_id, {"line": a.line, "assignments": [], "state": states.get(a.line_id, JobState())})
        jobs[a.line_id]["assignments"].append(a)
    comeback = (Comeback.objects.filter(order=order).select_related("earlier_order")
                .only("order_id", "cause", "earlier_order__number").first())
    candidates = []
    if not comeback and order.status != S.CANCELLED:
        dismissed = ComebackDismissal.objects.filter(order=order)
        candidates = list(comeback_candidates(order=order).select_related(None).only("number")
                          .filter(~Exists(dismissed))[:5])
    findings, recommendations = _panel_findings(order)
    return {
        "jobs": list(jobs.values()),
        "running": [e for e in entries if e.ended_at is None],
        "findings": findings,
        "quality_checks": list(QualityCheck.objects.filter(order=order).select_related("inspector").only(
            "attempt", "at", "result", "reason", "road_test", "washed", *Staff.name_fields("inspector"))),
        "comeback": comeback,
        "comeback_candidates": candidates,
        "recommendations": recommendations,
    }


def _panel_findings(order: WorkOrder) -> tuple[list[Finding], list[Finding]]:
    """The order's findings (newest first, with their videos and who recorded the answer) and the vehicle's 10 latest
    declined findings of other orders (``recommendations``): a vehicle's history is read 10 rows at most."""
    rows = Finding.objects.select_related("decided_by", "order").only(
        "order_id", "vehicle_id", "description", "decision", "channel", "customer_answered_at", "created_at",
        "order__number", *Staff.name_fields("decided_by"))
    own = list(rows.filter(order=order))
    prefetch_related_objects(own, "videos")
    declined = rows.filter(vehicle_id=order.vehicle_id, decision=Finding.Decision.DECLINED).exclude(order=order)
    return own, list(declined[:10])


# --- dispatch: who has how much work, who is here -------------------------------------------------------------


@dataclass
class TechnicianLoad:
    """What the dispatcher needs to know of a technician when choosing: open dispatched hours and attendance."""

    hours: Decimal = Decimal("0")  # sold hours of approved jobs dispatched to him and not finished (shared jobs split)
    attendance: str = "not_in"  # on_shift | shift_ended | absent | not_in
    since: datetime | None = None
    working: bool = False  # a clock runs

    @property
    def attendance_label(self) -> str:
        if self.attendance == "on_shift":
            return _("on shift since %(time)s") % {"time": timezone.localtime(self.since).strftime("%H:%M")}
        return {"shift_ended": _("shift ended"), "absent": _("absent"), "not_in": _("not clocked in")}[self.attendance]


def attendance_today(*, technician_ids: list[int], day: date) -> dict[int, TechnicianLoad]:
    """technician id → his attendance on ``day`` (a TechnicianLoad with only the attendance filled), in one query:
    on shift (since when), shift ended, absent, or not clocked in."""
    result = {pk: TechnicianLoad() for pk in technician_ids}
    for row in Attendance.objects.filter(technician_id__in=technician_ids, day=day):
        presence = result[row.technician_id]
        if row.started_at and not row.ended_at:
            presence.attendance, presence.since = "on_shift", row.started_at
        elif row.started_at:
            presence.attendance = "shift_ended"
        elif row.is_absent:
            presence.attendance = "absent"
    return result


def technician_loads(*, station: Station, now: datetime | None = None) -> dict[int, TechnicianLoad]:
    """technician id → TechnicianLoad for the station's technicians, in a fixed number of queries: the same open hours
    as the board's lanes (approved labour lines of orders on the floor whose job is not done, split between the
    technicians dispatched to them) and today's attendance row."""
    now = now or timezone.now()
    loads = {pk: TechnicianLoad() for pk in technicians(station).values_list("pk", flat=True)}
    on_floor = {"order__station": station, "order__status__in": (S.OPEN, S.IN_PROGRESS)}
    rows = list(
        JobAssignment.objects.filter(
            **on_floor, line__kind=WorkOrderLine.Kind.LABOUR, line__approval=WorkOrderLine.Approval.APPROVED
        ).values_list("line_id", "technician_id", "line__hours")
    )
    states = job_states(list(ClockEntry.objects.filter(**on_floor).only(
        "id", "line_id", "technician_id", "started_at", "ended_at", "end")))
    sharing: dict[int, int] = defaultdict(int)
    for line_id, _tech, _hours in rows:
        sharing[line_id] += 1
    for line_id, tech_id, hours in rows:
        if tech_id in loads and states.get(line_id, JobState()).status != "done":
            loads[tech_id].hours += hours / sharing[line_id]
    for load in loads.values():
        load.hours = load.hours.quantize(Decimal("0.01"))
    for tech_id, presence in attendance_today(technician_ids=list(loads), day=timezone.localdate(now)).items():
        loads[tech_id].attendance, loads[tech_id].since = presence.attendance, presence.since
    for tech_id in ClockEntry.objects.filter(technician_id__in=list(loads), ended_at__isnull=True).values_list(
        "technician_id", flat=True
    ):
        loads[tech_id].working = True
    return loads
