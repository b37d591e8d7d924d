"""Reads for customer care, scoped to the stations the user may see."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from complaints.models import Complaint, FollowUpCall
from core.delivery import OUTBOX_CHANNELS
from core.models import Notification
from org import permissions as perm
from org.models import Staff
from org.selectors import scope


def complaints_visible(user: Staff) -> QuerySet[Complaint]:
    return scope(Complaint.objects.all(), user).select_related("customer", "vehicle", "owner", "order", "station")


# What the complaints list prints of a complaint, one dict per row.
COMPLAINT_LIST_FIELDS = (
    "pk", "number", "received_at", "subject", "severity", "state", "is_crisis", "resolution_due", "customer__name",
    "vehicle_id", "vehicle__plate", "vehicle__vin", "owner__display_name", "owner__first_name", "owner__last_name",
    "owner__username",
)


def complaints_listed(qs: QuerySet[Complaint], now: datetime | None = None) -> QuerySet:
    """``qs`` (complaints_visible, filtered) as the rows of the complaints list: dicts of COMPLAINT_LIST_FIELDS and
    ``overdue`` (the rule of overdue_q, as Complaint.is_overdue says it), customer, vehicle and owner in the same
    query."""
    return qs.annotate(overdue=ExpressionWrapper(overdue_q(now), output_field=BooleanField())).values(
        *COMPLAINT_LIST_FIELDS, "overdue")


def overdue_q(now: datetime | None = None) -> Q:
    now = now or timezone.now()
    return ~Q(state=Complaint.State.CLOSED) & (
        Q(resolution_due__lt=now) | Q(responded_at__isnull=True, response_due__lt=now)
    )


def my_overdue_complaints(user: Staff) -> QuerySet[Complaint]:
    return complaints_visible(user).filter(overdue_q(), owner=user).order_by("resolution_due")


def my_open_complaints(user: Staff) -> QuerySet[Complaint]:
    return complaints_visible(user).filter(owner=user).exclude(state=Complaint.State.CLOSED).order_by("resolution_due")


def calls_visible(user: Staff) -> QuerySet[FollowUpCall]:
    return scope(FollowUpCall.objects.all(), user).select_related("order", "customer", "advisor", "order__vehicle")


QUEUE_ROWS = 50  # rows shown per section; the count says how many there are
# One row of the call queue: the call, its customer, vehicle, order and advisor (the advisor's name as Staff prints it).
CALL_ROW_FIELDS = (
    "pk", "customer__name", "customer__mobile", "order__number", "order__vehicle__plate", "order__vehicle__vin",
    "delivered_at", "advisor_id", "advisor__display_name", "advisor__first_name", "advisor__last_name",
    "advisor__username", "attempts", "next_attempt_at",
)


def call_queue(user: Staff, *, station_ids=None, advisor_id: int | None = None, now: datetime | None = None) -> dict:
    """Open follow-up calls: overdue (next attempt before today), due today, and coming up this week.

    Each section holds its first QUEUE_ROWS calls (oldest first, as dicts of CALL_ROW_FIELDS) and the full count;
    ``by_advisor`` counts the calls due by today per advisor.
    """
    now = now or timezone.now()
    today_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    tomorrow = today_start + timedelta(days=1)
    qs = calls_visible(user).filter(status=FollowUpCall.Status.PENDING)
    if station_ids is not None:
        qs = qs.filter(station_id__in=station_ids)
    if advisor_id:
        qs = qs.filter(advisor_id=advisor_id)
    qs = qs.order_by("next_attempt_at", "id")
    sections = {
        "overdue": Q(next_attempt_at__lt=today_start),
        "today": Q(next_attempt_at__gte=today_start, next_attempt_at__lt=tomorrow),
        "upcoming": Q(next_attempt_at__gte=tomorrow, next_attempt_at__lt=tomorrow + timedelta(days=7)),
    }
    # Plain rows of what the queue prints (no model instances to build: a section holds up to QUEUE_ROWS of them).
    shown = qs.values(*CALL_ROW_FIELDS)
    result: dict = {name: list(shown.filter(cond)[:QUEUE_ROWS]) for name, cond in sections.items()}
    result["counts"] = qs.aggregate(**{name: Count("id", filter=cond) for name, cond in sections.items()})
    result["by_advisor"] = list(
        qs.filter(next_attempt_at__lt=tomorrow)
        .values("advisor__display_name", "advisor__username")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    return result


def my_calls_due(user: Staff) -> QuerySet[FollowUpCall]:
    """Calls on my customers (or, for callers, all of my stations') that are due by the end of today."""
    end = timezone.localtime().replace(hour=23, minute=59, second=59)
    qs = calls_visible(user).filter(status=FollowUpCall.Status.PENDING, next_attempt_at__lte=end)
    if not perm.has_action(user, perm.CALLS_WORK):
        qs = qs.filter(advisor=user)
    return qs.order_by("next_attempt_at")


def desk_overdue_complaints(user: Staff) -> QuerySet[Complaint]:
    """``my_overdue_complaints`` as the front desk's care panel lists them: number, customer and subject only."""
    return (my_overdue_complaints(user).select_related(None).select_related("customer")
            .only("number", "subject", "customer__name"))


def desk_calls_due(user: Staff) -> QuerySet[FollowUpCall]:
    """``my_calls_due`` as the front desk's care panel lists them: customer, order number and when, nothing else."""
    return (my_calls_due(user).select_related(None).select_related("customer", "order")
            .only("next_attempt_at", "customer__name", "order__number"))


def possible_comebacks(station_id: int) -> QuerySet[FollowUpCall]:
    """Follow-up calls where the customer said the problem was not fixed: for the workshop's comeback review."""
    return (
        FollowUpCall.objects.filter(station_id=station_id, possible_comeback=True)
        .select_related("order", "order__vehicle", "complaint")
        .order_by("-completed_at")
    )


# --- the station's outgoing messages (complaints.messages_views) ------------------------------------------------


def station_messages(station_id: int, *, channel: str = "", status: str = "", day_from=None, day_to=None):
    """Every email, SMS and WeChat message of one station, newest first, with its recipient (one query per page)."""
    qs = Notification.objects.filter(station_id=station_id, channel__in=OUTBOX_CHANNELS).select_related(
        "recipient_customer", "recipient_staff")
    if channel:
        qs = qs.filter(channel=channel)
    if status:
        qs = qs.filter(status=status)
    if day_from:  # local days as ranges of the indexed timestamp
        qs = qs.filter(created_at__gte=_day_start(day_from))
    if day_to:
        qs = qs.filter(created_at__lt=_day_start(day_to + timedelta(days=1)))
    return qs


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))
