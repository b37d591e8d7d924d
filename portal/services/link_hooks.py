"""When the order's link goes out by SMS: the order opened at reception, additional work waiting for the customer's
decision, the car ready, the car delivered. Reception writes every one of these to the order's history, so one
listener on the history rows (``registry.listen``) sends them — no department imports the portal."""

from __future__ import annotations

from portal.services.link import link_send
from reception.models import WorkOrder, WorkOrderEvent

S = WorkOrder.Status
_ON_TRANSITION = {S.OPEN: "received", S.READY: "ready", S.DELIVERED: "delivered"}


def on_order_event(event: WorkOrderEvent, *, deleted: bool) -> None:
    if deleted:
        return
    if event.kind == "transition":
        reason = _ON_TRANSITION.get(event.new_status)
    elif event.kind == "additional_work":
        reason = "decision"
    else:
        return
    if reason:  # each finding asks anew; the other steps are sent once
        link_send(order=event.order, reason=reason, occasion=f":{event.pk}" if reason == "decision" else "")
