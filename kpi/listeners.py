"""Mark the days a saved (or deleted) row counts on dirty, so the next ``rollup_recent_days`` re-rolls them.

The rows belong to lower apps, which must not know kpi exists: their models inherit ``core.models.Observed``, and
``KpiConfig.ready()`` registers these functions with ``core.registry.listen`` by model label. Each listener is
``fn(instance, *, deleted)``; a deleted row changes its day's figures as much as a saved one, so both mark.

Rows written with ``bulk_create`` or ``QuerySet.update`` bypass ``save()`` and mark nothing (the demo seeders roll
their whole period afterwards; the few services that do it change nothing a measure reads on another day).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from complaints.models import RetentionCall
from kpi.services.rollup import dirty_day_mark, dirty_days_mark_for_order
from kpi.sources.base import local_day
from reception.models import WorkOrder
from workshop.models import ClockEntry

# a visit re-rolls the days of the customer's win-back calls of the last year (older calls' months are closed)
WIN_BACK_LOOKBACK = timedelta(days=366)


def _mark_day(station_id: int, moment: datetime | None) -> None:
    if moment:
        dirty_day_mark(station_id=station_id, day=local_day(moment))


def order_event_changed(instance, *, deleted: bool) -> None:
    dirty_days_mark_for_order(order=instance.order)
    # a lost customer coming back wins back the win-back calls before the visit: their days change too
    order = instance.order
    if order.opened_at:
        for call_at in RetentionCall.objects.filter(
            kind=RetentionCall.Kind.WIN_BACK, customer_id=order.customer_id, at__lt=order.opened_at,
            at__gte=order.opened_at - WIN_BACK_LOOKBACK,
        ).values_list("at", flat=True):
            _mark_day(order.station_id, call_at)


def retention_call_changed(instance, *, deleted: bool) -> None:
    if instance.kind == RetentionCall.Kind.WIN_BACK:  # counted on the month's first call (kpi.sources.complaints)
        _mark_day(instance.station_id, instance.at)


def order_line_changed(instance, *, deleted: bool) -> None:
    # the order as it is now (the line's cached one may be stale)
    order = WorkOrder.objects.filter(pk=instance.order_id).first()
    if order is not None:
        dirty_days_mark_for_order(order=order)
        # a labour line's sold hours count on the days it was clocked off (efficiency): re-roll those too
        for moment in ClockEntry.objects.filter(line_id=instance.pk, end="off").values_list("ended_at", flat=True):
            _mark_day(order.station_id, moment)


def appointment_changed(instance, *, deleted: bool) -> None:
    _mark_day(instance.station_id, instance.start)


def complaint_changed(instance, *, deleted: bool) -> None:
    for moment in (instance.received_at, instance.resolution_due):
        _mark_day(instance.station_id, moment)


def survey_response_changed(instance, *, deleted: bool) -> None:
    _mark_day(instance.station_id, instance.at)


def survey_answer_changed(instance, *, deleted: bool) -> None:
    response = instance.response
    _mark_day(response.station_id, response.at)


def call_attempt_changed(instance, *, deleted: bool) -> None:
    call = instance.call
    _mark_day(call.station_id, call.delivered_at)


def demand_line_changed(instance, *, deleted: bool) -> None:
    _mark_day(instance.station_id, instance.requested_at)


def stock_move_changed(instance, *, deleted: bool) -> None:
    _mark_day(instance.station_id, instance.at)


def clock_entry_changed(instance, *, deleted: bool) -> None:
    _mark_day(instance.station_id, instance.started_at)
    _mark_day(instance.station_id, instance.ended_at)
    if instance.end == "off":  # the line's earlier finish days lose it: re-roll them too
        for moment in ClockEntry.objects.filter(line_id=instance.line_id, end="off").exclude(
            pk=instance.pk
        ).values_list("ended_at", flat=True):
            _mark_day(instance.station_id, moment)


def attendance_changed(instance, *, deleted: bool) -> None:
    dirty_day_mark(station_id=instance.station_id, day=instance.day)


def comeback_changed(instance, *, deleted: bool) -> None:
    dirty_days_mark_for_order(order=instance.earlier_order)


def statement_changed(instance, *, deleted: bool) -> None:
    _mark_day(instance.station_id, instance.original.issued_at if instance.original_id else instance.issued_at)
    if instance.kind != "statement":  # a correction's sales count on its day (kpi.sources.settlement.corrections)
        delivered = instance.order.delivered_at
        _mark_day(instance.station_id, max(instance.issued_at, delivered) if delivered else instance.issued_at)


def campaign_vehicle_changed(instance, *, deleted: bool) -> None:
    # a vehicle done counts on the day it was listed (the cohort's completion)
    _mark_day(instance.station_id, instance.listed_at)


def staff_survey_answer_changed(instance, *, deleted: bool) -> None:
    # a survey's answers count on the first day of its quarter (kpi.sources.people)
    survey = instance.survey
    dirty_day_mark(station_id=survey.station_id, day=survey.quarter)


def mystery_visit_changed(instance, *, deleted: bool) -> None:
    dirty_day_mark(station_id=instance.station_id, day=instance.visited_on)
