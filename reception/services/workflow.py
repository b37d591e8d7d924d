"""The work-order state machine: one table, one function.

Each allowed (from, to) pair names the permission action the person needs, the datetime it stamps and whether a
reason is required. The apps that add a rule to a pair register it with ``core.registry`` in their
``AppConfig.ready()`` — a guard (``guard(*, order, by)`` raising DomainError to refuse) or an after-hook run inside the
same transaction once the status has changed (delivery opens the follow-up call) — and ``core.checks`` refuses to
start when one names a pair that is not in this table. ``core.statemachine.transition`` does the rest: lock, rule,
permission, note, guards, status and stamp, event, hooks.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from core.statemachine import Machine, Rule, transition
from org import permissions as perm
from org.models import Staff
from reception.models import WorkOrder, WorkOrderEvent

S = WorkOrder.Status

TRANSITIONS: dict[tuple[str, str], Rule] = {
    (S.DRAFT, S.OPEN): Rule(perm.RECEPTION_EDIT),  # guard: reception.services.guards.estimate_signed
    (S.DRAFT, S.CANCELLED): Rule(perm.RECEPTION_EDIT, note_required=True),
    (S.OPEN, S.IN_PROGRESS): Rule(perm.WORKSHOP_CLOCK, extra_actions=(perm.WORKSHOP_DISPATCH,)),
    (S.OPEN, S.CANCELLED): Rule(perm.RECEPTION_EDIT, note_required=True),
    (S.IN_PROGRESS, S.QUALITY_CHECK): Rule(
        perm.WORKSHOP_CLOCK, extra_actions=(perm.WORKSHOP_DISPATCH,), stamp="work_completed_at"
    ),
    (S.QUALITY_CHECK, S.IN_PROGRESS): Rule(perm.WORKSHOP_QC, note_required=True),  # QC fail: rework
    (S.QUALITY_CHECK, S.READY): Rule(perm.WORKSHOP_QC),
    (S.READY, S.SETTLED): Rule(perm.SETTLEMENT_SETTLE, stamp="settled_at"),
    (S.SETTLED, S.DELIVERED): Rule(perm.SETTLEMENT_SETTLE, stamp="delivered_at"),
}


def _record(order: WorkOrder, *, old: str, new: str, by: Staff, note: str) -> WorkOrderEvent:
    return WorkOrderEvent.objects.create(order=order, old_status=old, new_status=new, by=by, note=note)


WORK_ORDER = Machine(
    name="work_order",
    model=WorkOrder,
    status_field="status",
    rules=TRANSITIONS,
    record=_record,
    may=perm.has_action,
    kwarg="order",
    touch=("updated_at",),
    cannot=gettext_lazy("A work order cannot go from “%(old)s” to “%(new)s”."),
)


def allowed_targets(*, order: WorkOrder, by: Staff) -> list[str]:
    """The statuses this person could move the order to now (guards not evaluated)."""
    return WORK_ORDER.targets(order, by)


def work_order_transition(*, order: WorkOrder, to: str, by: Staff, note: str = "") -> WorkOrder:
    return transition(WORK_ORDER, obj=order, to=to, by=by, note=note)


def record_event(*, order: WorkOrder, by: Staff | None, kind: str, note: str = "") -> WorkOrderEvent:
    """A change that is not a transition (a line added, a discount approved…), for the audit trail. ``kind`` is
    registered with its label by the app that writes it (``registry.event_kind_add`` in its ``ready()``)."""
    return WorkOrderEvent.objects.create(
        order=order, old_status=order.status, new_status=order.status, by=by, kind=kind, note=note
    )
