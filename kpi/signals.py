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
