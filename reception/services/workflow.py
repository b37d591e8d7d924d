"""The work-order state machine: one table, one function.

Each allowed (from, to) pair names the permission action the person needs and the guards that must pass. Guards are
dotted paths to functions ``guard(*, order, by) -> None`` that raise DomainError to refuse; ``after`` hooks run
inside the same transaction once the status has changed (e.g. delivery opens the follow-up call). Other apps add
their rule by naming their function here — the table stays the one place that says what may happen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from core.errors import TransitionError
from org import permissions as perm
from org.models import Staff
from reception.models import WorkOrder, WorkOrderEvent

S = WorkOrder.Status


@dataclass(frozen=True)
class Transition:
    action: str
    guards: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    stamp: str | None = None  # WorkOrder datetime field set to now on this transition
    note_required: bool = False
    extra_actions: tuple[str, ...] = field(default=())  # any of these also allows the transition


TRANSITIONS: dict[tuple[str, str], Transition] = {
    (S.DRAFT, S.OPEN): Transition(perm.RECEPTION_EDIT, guards=("reception.services.guards.estimate_signed",)),
    (S.DRAFT, S.CANCELLED): Transition(
        perm.RECEPTION_EDIT,
        note_required=True,
        guards=("parts.services.demand.no_parts_on_order",),
        after=("parts.services.demand.order_release_reservations",),
    ),
    (S.OPEN, S.IN_PROGRESS): Transition(perm.WORKSHOP_CLOCK, extra_actions=(perm.WORKSHOP_DISPATCH,)),
    (S.OPEN, S.CANCELLED): Transition(
        perm.RECEPTION_EDIT,
        note_required=True,
        guards=("parts.services.demand.no_parts_on_order",),
        after=("parts.services.demand.order_release_reservations",),
    ),
    (S.IN_PROGRESS, S.QUALITY_CHECK): Transition(
        perm.WORKSHOP_CLOCK, extra_actions=(perm.WORKSHOP_DISPATCH,), stamp="work_completed_at",
        guards=("workshop.services.guards.workshop_work_done",),
    ),
    (S.QUALITY_CHECK, S.IN_PROGRESS): Transition(perm.WORKSHOP_QC, note_required=True),  # QC fail: rework
    (S.QUALITY_CHECK, S.READY): Transition(perm.WORKSHOP_QC),
    (S.READY, S.SETTLED): Transition(
        perm.SETTLEMENT_SETTLE, stamp="settled_at", guards=("settlement.services.reconcile.ready_to_settle",),
        after=("settlement.services.settle.statements_issue", "parts.services.demand.order_release_reservations"),
    ),
    (S.SETTLED, S.DELIVERED): Transition(
        perm.SETTLEMENT_SETTLE, stamp="delivered_at", guards=("settlement.services.delivery.ready_to_deliver",),
        after=("settlement.services.delivery.stamp_hand_over", "complaints.services.followups.followup_create_for_order"),
    ),
}


def allowed_targets(*, order: WorkOrder, by: Staff) -> list[str]:
    """The statuses this person could move the order to now (guards not evaluated)."""
    return [
        to
        for (frm, to), rule in TRANSITIONS.items()
        if frm == order.status and any(perm.has_action(by, a) for a in (rule.action, *rule.extra_actions))
    ]


@transaction.atomic
def work_order_transition(*, order: WorkOrder, to: str, by: Staff, note: str = "") -> WorkOrder:
    order = WorkOrder.objects.select_for_update().get(pk=order.pk)
    rule = TRANSITIONS.get((order.status, to))
    if rule is None:
        raise TransitionError(
            _("A work order cannot go from “%(old)s” to “%(new)s”.")
            % {"old": S(order.status).label, "new": S(to).label if to in S.values else to}
        )
    if not any(perm.has_action(by, a) for a in (rule.action, *rule.extra_actions)):
        raise TransitionError(_("Your position may not make this change."))
    if rule.note_required and not note.strip():
        raise TransitionError(_("Please give a reason."), field="note")
    for guard in rule.guards:
        import_string(guard)(order=order, by=by)
    old = order.status
    order.status = to
    fields = ["status", "updated_at"]
    if rule.stamp:
        setattr(order, rule.stamp, timezone.now())
        fields.append(rule.stamp)
    order.save(update_fields=fields)
    WorkOrderEvent.objects.create(order=order, old_status=old, new_status=to, by=by, note=note)
    for hook in rule.after:
        import_string(hook)(order=order, by=by)
    return order


def record_event(*, order: WorkOrder, by: Staff | None, kind: str, note: str = "") -> WorkOrderEvent:
    """A change that is not a transition (a line added, a discount approved…), for the audit trail."""
    return WorkOrderEvent.objects.create(
        order=order, old_status=order.status, new_status=order.status, by=by, kind=kind, note=note
    )
