"""Customer care's measures: follow-up calls within the window, CSI and SERVQUAL from the surveys, complaints
received, due and closed in time, and the two-week closure rate."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import Case, DateTimeField, DurationField, Exists, ExpressionWrapper, F, OuterRef, Value, When
from django.utils import timezone

from complaints.models import CallAttempt, Complaint, SurveyAnswer, SurveyResponse
from complaints.retention_selectors import win_back_results
from kpi.models import SERVQUAL_DIMENSIONS
from kpi.sources.base import ONE, Sink, local_day, station_settings
from kpi.sources.reception import delivered_orders

TWO_WEEKS = timedelta(days=14)


def followed_up_orders(station_ids: Iterable[int], lo: datetime, hi: datetime):
    """Orders delivered in [lo, hi), each annotated ``attempted`` / ``reached``: a follow-up call attempted / the
    customer reached within the station's window after delivery (``KpiSettings.followup_window_days``, 3 days by
    default). The one definition of 回访率 and 回访成功率: the figure counts these, the drill-down lists the others."""
    station_ids = list(station_ids)
    windows = [When(station_id=sid, then=Value(timedelta(days=config.followup_window_days)))
               for sid, config in station_settings(station_ids).items()]
    window = Case(*windows, output_field=DurationField()) if windows else Value(timedelta(0))
    orders = delivered_orders(station_ids, lo, hi).annotate(followup_until=ExpressionWrapper(
        F("delivered_at") + window, output_field=DateTimeField()))
    within = CallAttempt.objects.filter(call__order_id=OuterRef("pk"), at__lte=OuterRef("followup_until"))
    return orders.annotate(attempted=Exists(within), reached=Exists(within.filter(outcome="reached")))


def followups(sink: Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    """SFU: delivered orders with a call attempted / the customer reached within the window (by delivery day)."""
    rows = followed_up_orders(station_ids, lo, hi).filter(attempted=True)
    for row in rows.values("station_id", "advisor_id", "delivered_at", "reached"):
        day = local_day(row["delivered_at"])
        sink.add(row["station_id"], day, "followups_attempted", ONE, advisor=row["advisor_id"])
        if row["reached"]:
            sink.add(row["station_id"], day, "followups_reached", ONE, advisor=row["advisor_id"])


def surveys(sink: Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    """CSI: top box of the overall question; every item (overall + SERVQUAL perceptions) rescaled 1–5 → 0–100."""
    responses = SurveyResponse.objects.filter(station_id__in=station_ids, at__gte=lo, at__lt=hi).values(
        "id", "station_id", "at", "overall", "order__advisor_id"
    )
    by_id = {}
    for r in responses:
        day = local_day(r["at"])
        advisor = r["order__advisor_id"]
        by_id[r["id"]] = (r["station_id"], day, advisor)
        sink.add(r["station_id"], day, "csi_overall_answers", ONE, advisor=advisor)
        if r["overall"] == 5:
            sink.add(r["station_id"], day, "csi_top_box", ONE, advisor=advisor)
        sink.add(r["station_id"], day, "csi_item_answers", ONE, advisor=advisor)
        sink.add(r["station_id"], day, "csi_item_points", (r["overall"] - 1) * 25, advisor=advisor)
    if not by_id:
        return
    for response_id, perception in SurveyAnswer.objects.filter(response_id__in=list(by_id)).values_list(
        "response_id", "perception"
    ):
        station_id, day, advisor = by_id[response_id]
        sink.add(station_id, day, "csi_item_answers", ONE, advisor=advisor)
        sink.add(station_id, day, "csi_item_points", (perception - 1) * 25, advisor=advisor)


def complaints(sink: Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    """Complaints received (advisor: the staff member involved), and those due in the period closed in time."""
    base = Complaint.objects.filter(station_id__in=station_ids)
    for row in base.filter(received_at__gte=lo, received_at__lt=hi).values("station_id", "received_at", "staff_involved_id"):
        sink.add(row["station_id"], local_day(row["received_at"]), "complaints_received", ONE,
                 advisor=row["staff_involved_id"])
    for row in base.filter(resolution_due__gte=lo, resolution_due__lt=hi).values(
        "station_id", "resolution_due", "closed_at", "staff_involved_id"
    ):
        day = local_day(row["resolution_due"])
        sink.add(row["station_id"], day, "complaints_due", ONE, advisor=row["staff_involved_id"])
        if row["closed_at"] and row["closed_at"] <= row["resolution_due"]:
            sink.add(row["station_id"], day, "complaints_closed_in_time", ONE, advisor=row["staff_involved_id"])


def two_week_closure(sink: Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    """两周结案率, on the day the complaint was received: a complaint joins the denominator once its 14 days are
    over (received at or before now − 14 days), and the numerator if it was closed within those 14 days.

    A complaint younger than 14 days counts in neither, so a day's figure is final once its last complaint is 14
    days old; ``rollup_recent_days`` re-rolls the day 15 days back for that (and a complaint saved later marks its
    day dirty)."""
    matured_before = timezone.now() - TWO_WEEKS
    for row in Complaint.objects.filter(
        station_id__in=list(station_ids), received_at__gte=lo, received_at__lt=min(hi, matured_before)
    ).values("station_id", "received_at", "closed_at", "staff_involved_id"):
        day = local_day(row["received_at"])
        sink.add(row["station_id"], day, "complaints_matured", ONE, advisor=row["staff_involved_id"])
        if row["closed_at"] and row["closed_at"] <= row["received_at"] + TWO_WEEKS:
            sink.add(row["station_id"], day, "complaints_closed_14d", ONE, advisor=row["staff_involved_id"])


def servqual(sink: Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    """SERVQUAL gap: per dimension, the sum of (perception − expectation) and the number of answers that have both,
    on the day of the survey — so the mean gap of any period is a sum over its days divided by a sum."""
    rows = SurveyAnswer.objects.filter(
        response__station_id__in=list(station_ids), response__at__gte=lo, response__at__lt=hi,
        expectation__isnull=False, dimension__in=SERVQUAL_DIMENSIONS,
    ).values("response__station_id", "response__at", "response__order__advisor_id", "dimension", "perception",
             "expectation")
    for row in rows:
        day, advisor, dim = local_day(row["response__at"]), row["response__order__advisor_id"], row["dimension"]
        sink.add(row["response__station_id"], day, f"servqual_{dim}_gap", row["perception"] - row["expectation"],
                 advisor=advisor)
        sink.add(row["response__station_id"], day, f"servqual_{dim}_answers", ONE, advisor=advisor)


def win_back(sink: Sink, station_ids: Iterable[int], lo: datetime, hi: datetime) -> None:
    """Won back (流失客户召回率): the lost customers called from the win-back list, counted on the day of the month's
    first call to them, and of those the ones who came back with a visit after it (the rule:
    ``complaints.retention_selectors.win_back_results``). A return months later changes the call's day: the listener
    of work-order events marks it dirty (``kpi.listeners.order_event_changed``)."""
    first, last = local_day(lo), local_day(hi - timedelta(microseconds=1))
    for row in win_back_results(station_ids, first, last):
        day = local_day(row.first_call_at)
        if first <= day <= last:
            sink.add(row.station_id, day, "winback_called", ONE)
            if row.back_at is not None:
                sink.add(row.station_id, day, "winback_won", ONE)
