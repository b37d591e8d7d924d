"""Mark the days of an order dirty when its history or its lines change.

A signal here (not a call from reception) because reception must not know kpi exists.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from reception.models import WorkOrderEvent, WorkOrderLine


def _mark(order) -> None:
    from kpi.services.rollup import dirty_days_mark_for_order

    dirty_days_mark_for_order(order=order)


@receiver(post_save, sender=WorkOrderEvent, dispatch_uid="kpi_event_saved")
def event_saved(sender, instance: WorkOrderEvent, **kwargs) -> None:
    _mark(instance.order)


@receiver(post_save, sender=WorkOrderLine, dispatch_uid="kpi_line_saved")
@receiver(post_delete, sender=WorkOrderLine, dispatch_uid="kpi_line_deleted")
def line_changed(sender, instance: WorkOrderLine, **kwargs) -> None:
    order = type(instance).order.field.related_model.objects.filter(pk=instance.order_id).first()
    if order is not None:
        _mark(order)


def _mark_day(station_id: int, moment) -> None:
    from kpi.services.collect import local_day
    from kpi.services.rollup import dirty_day_mark

    if moment:
        dirty_day_mark(station_id=station_id, day=local_day(moment))


# Sources in other apps, connected by label so kpi does not import them (and they need not know kpi).
@receiver(post_save, sender="complaints.Complaint", dispatch_uid="kpi_complaint_saved")
def complaint_saved(sender, instance, **kwargs) -> None:
    for moment in (instance.received_at, instance.resolution_due):
        _mark_day(instance.station_id, moment)


@receiver(post_save, sender="complaints.SurveyResponse", dispatch_uid="kpi_survey_saved")
def survey_saved(sender, instance, **kwargs) -> None:
    _mark_day(instance.station_id, instance.at)


@receiver(post_save, sender="complaints.CallAttempt", dispatch_uid="kpi_call_attempt_saved")
def call_attempt_saved(sender, instance, **kwargs) -> None:
    call = instance.call
    _mark_day(call.station_id, call.delivered_at)


@receiver(post_save, sender="parts.DemandLine", dispatch_uid="kpi_demand_saved")
def demand_saved(sender, instance, **kwargs) -> None:
    _mark_day(instance.station_id, instance.requested_at)


@receiver(post_save, sender="parts.StockMove", dispatch_uid="kpi_stock_move_saved")
def stock_move_saved(sender, instance, **kwargs) -> None:
    _mark_day(instance.station_id, instance.at)


@receiver(post_save, sender="workshop.ClockEntry", dispatch_uid="kpi_clock_entry_saved")
def clock_entry_saved(sender, instance, **kwargs) -> None:
    _mark_day(instance.station_id, instance.started_at)
    _mark_day(instance.station_id, instance.ended_at)
    if instance.end == "off":  # the line's earlier finish days lose it: re-roll them too
        for moment in type(instance).objects.filter(line_id=instance.line_id, end="off").exclude(
            pk=instance.pk
        ).values_list("ended_at", flat=True):
            _mark_day(instance.station_id, moment)


@receiver(post_save, sender="workshop.Attendance", dispatch_uid="kpi_attendance_saved")
def attendance_saved(sender, instance, **kwargs) -> None:
    from kpi.services.rollup import dirty_day_mark

    dirty_day_mark(station_id=instance.station_id, day=instance.day)


@receiver(post_save, sender="workshop.Comeback", dispatch_uid="kpi_comeback_saved")
def comeback_saved(sender, instance, **kwargs) -> None:
    _mark(instance.earlier_order)


@receiver(post_save, sender="reception.Appointment", dispatch_uid="kpi_appointment_saved")
def appointment_saved(sender, instance, **kwargs) -> None:
    _mark_day(instance.station_id, instance.start)


@receiver(post_save, sender="settlement.Statement", dispatch_uid="kpi_statement_saved")
def statement_saved(sender, instance, **kwargs) -> None:
    _mark_day(instance.station_id, instance.original.issued_at if instance.original_id else instance.issued_at)


@receiver(post_save, sender="complaints.SurveyAnswer", dispatch_uid="kpi_survey_answer_saved")
def survey_answer_saved(sender, instance, **kwargs) -> None:
    response = instance.response
    _mark_day(response.station_id, response.at)

