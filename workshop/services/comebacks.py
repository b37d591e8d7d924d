"""Comebacks (返修): the same vehicle back for the same concern within the station's comeback window."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import DateTimeField, DurationField, Exists, ExpressionWrapper, F, OuterRef, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from org.models import Position, Staff
from reception.models import WorkOrder
from reception.services.workflow import record_event
from workshop.models import ClockEntry, Comeback, ComebackDismissal, JobAssignment
from workshop.selectors import FINISHED, comeback_candidates

S = WorkOrder.Status


def possible_comebacks(*, station, since) -> QuerySet[WorkOrder]:
    """Orders opened since ``since``, not linked yet, whose vehicle had a finished visit within the window before —
    in one query (the comeback list shows them with a link button)."""
    window = timedelta(days=station.comeback_window_days)
    earlier = (
        WorkOrder.objects.filter(vehicle_id=OuterRef("vehicle_id"), station_id=station.pk, status__in=FINISHED)
        .exclude(pk=OuterRef("pk"))
        .annotate(finished_at=Coalesce("delivered_at", "settled_at", "work_completed_at", "opened_at"))
        .filter(
            finished_at__lte=OuterRef("opened_at"),
            finished_at__gte=ExpressionWrapper(OuterRef("opened_at") - window, output_field=DateTimeField()),
        )
    )
    return (
        WorkOrder.objects.filter(
            station=station, opened_at__gte=since, comeback__isnull=True, comeback_dismissal__isnull=True
        )
        .exclude(status=S.CANCELLED)
        .filter(Exists(earlier))
        .select_related("vehicle", "customer", "station")
        .order_by("-opened_at")
    )


COMEBACK_COUNT_LIMIT = 99


def unreviewed_comebacks(*, station, now=None, limit: int = COMEBACK_COUNT_LIMIT) -> int:
    """How many possible comebacks of the station wait for review (neither linked nor dismissed): the rows of the
    review list (workshop:comebacks), counted up to ``limit`` + 1 (shown as "99+") — a bounded query on every board."""
    now = now or timezone.now()
    since = now - timedelta(days=station.comeback_window_days)
    return possible_comebacks(station=station, since=since).order_by().values("pk")[: limit + 1].count()


def main_technician(*, order: WorkOrder) -> Staff | None:
    """Who did most of the work on an order: most clocked time, else the first assigned."""
    duration = ExpressionWrapper(F("ended_at") - F("started_at"), output_field=DurationField())
    top = (
        ClockEntry.objects.filter(order=order, ended_at__isnull=False)
        .values("technician_id")
        .annotate(total=Sum(duration))
        .order_by("-total", "technician_id")
        .first()
    )
    if top:
        return Staff.objects.get(pk=top["technician_id"])
    assignment = JobAssignment.objects.filter(order=order).select_related("technician").first()
    return assignment.technician if assignment else None


@transaction.atomic
def comeback_link(
    *,
    order: WorkOrder,
    earlier_order: WorkOrder,
    cause: str,
    by: Staff,
    technician: Staff | None = None,
    advisor: Staff | None = None,
    note: str = "",
) -> Comeback:
    order = WorkOrder.objects.select_for_update().get(pk=order.pk)
    if order.status == S.CANCELLED:
        raise DomainError(_("A cancelled order cannot be a comeback."))
    if cause not in Comeback.Cause.values:
        raise DomainError(_("Choose the cause."), field="cause")
    if not comeback_candidates(order=order).filter(pk=earlier_order.pk).exists():
        raise DomainError(
            _("Order %(number)s is not a finished visit of this vehicle within the comeback window.")
            % {"number": earlier_order.number},
            field="earlier_order",
        )
    if technician is not None and (technician.station_id != order.station_id or technician.position != Position.TECHNICIAN):
        raise DomainError(_("Choose a technician of this station."), field="technician")
    if advisor is not None and advisor.station_id != order.station_id:
        raise DomainError(_("Choose an advisor of this station."), field="advisor")
    try:
        with transaction.atomic():
            comeback = Comeback.objects.create(
                station_id=order.station_id, order=order, earlier_order=earlier_order, cause=cause,
                technician=technician, advisor=advisor, note=note.strip(), linked_by=by,
            )
    except IntegrityError as exc:
        raise DomainError(_("This order is already linked as a comeback.")) from exc
    label = Comeback.Cause(cause).label
    record_event(
        order=order, by=by, kind="comeback",
        note=_("comeback of %(number)s: %(cause)s") % {"number": earlier_order.number, "cause": label},
    )
    record_event(
        order=earlier_order, by=by, kind="comeback",
        note=_("came back as %(number)s: %(cause)s") % {"number": order.number, "cause": label},
    )
    return comeback


@transaction.atomic
def comeback_dismiss(*, order: WorkOrder, by: Staff) -> ComebackDismissal:
    """Not the same concern: the order is no longer flagged as a possible comeback."""
    if Comeback.objects.filter(order=order).exists():
        raise DomainError(_("This order is already linked as a comeback."))
    dismissal, created = ComebackDismissal.objects.get_or_create(
        order=order, defaults={"station_id": order.station_id, "by": by}
    )
    if created:
        record_event(order=order, by=by, kind="comeback", note=_("not a comeback: a different concern"))
    return dismissal
