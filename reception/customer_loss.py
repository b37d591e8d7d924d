"""The one rule of 客户流失率 (customer loss): which customers of a station count as lost for the figure of month N.

kpi computes the figure from it (``kpi.sources.reception.customer_loss``), and customer care's win-back list is the
same set (``complaints.retention_selectors.win_back``): one definition, read by both.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from reception.models import WorkOrder


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def lost_customer_months(month: date) -> tuple[date, date, date]:
    """For the figure of month N (``month`` = its first day): the cohort month N−7 and the six months after it,
    [N−6, N), as (cohort start, watch start, watch end)."""
    return add_months(month, -7), add_months(month, -6), month


def month_start(day: date) -> date:
    return day.replace(day=1)


def day_start(d: date) -> datetime:
    """The first moment of the local day ``d``."""
    return timezone.make_aware(datetime.combine(d, time.min), timezone.get_current_timezone())


def visits() -> QuerySet[WorkOrder]:
    """A visit is a work order opened (not draft, not cancelled)."""
    return WorkOrder.objects.exclude(status__in=[WorkOrder.Status.DRAFT, WorkOrder.Status.CANCELLED])


def lost_customers(station_ids: Iterable[int], month: date) -> tuple[QuerySet[WorkOrder], QuerySet[WorkOrder]]:
    """(cohort, lost): querysets of work orders per the 客户流失率 definition for month N (count their distinct
    ``customer_id`` per ``station_id``).

    A visit is a work order opened (not draft, not cancelled) at the station. The cohort is the customers with a
    visit in month N−7; the lost ones are those of them with no visit in the six months after (N−6 … N−1)."""
    cohort_start, watch_start, watch_end = lost_customer_months(month)
    cohort = visits().filter(
        station_id__in=list(station_ids), opened_at__gte=day_start(cohort_start), opened_at__lt=day_start(watch_start)
    )
    later = visits().filter(
        station_id=OuterRef("station_id"), customer_id=OuterRef("customer_id"),
        opened_at__gte=day_start(watch_start), opened_at__lt=day_start(watch_end),
    )
    lost = cohort.annotate(came_back=Exists(later)).filter(came_back=False)
    return cohort, lost


def is_lost(*, station_id: int, customer_id: int, month: date) -> bool:
    """Whether the customer counts as lost at the station for the figure of ``month`` (its first day)."""
    _cohort, lost = lost_customers([station_id], month)
    return lost.filter(customer_id=customer_id).exists()
