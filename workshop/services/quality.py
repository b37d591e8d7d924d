"""The final inspection (终检): pass → ready for settlement; fail → back to the workshop as rework (返工)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from org.models import Staff
from reception.models import WorkOrder
from reception.services.workflow import work_order_transition
from workshop.board.cache import board_touch
from workshop.models import CHECKLIST, Finding, QualityCheck
from workshop.services._common import S, lock_order


@transaction.atomic
def order_send_to_qc(*, order: WorkOrder, by: Staff) -> WorkOrder:
    """The dispatcher (or the technician) says the work is done, when the clock did not already say so. The guard in
    the transition table (workshop.services.guards.workshop_work_done) refuses while a clock runs or additional work
    awaits the customer."""
    order = lock_order(order)
    board_touch(order.station_id)
    return work_order_transition(order=order, to=S.QUALITY_CHECK, by=by)


@transaction.atomic
def quality_check_record(
    *,
    order: WorkOrder,
    by: Staff,
    passed: bool,
    checklist: dict[str, bool],
    reason: str = "",
    road_test: bool = False,
    washed: bool = False,
) -> QualityCheck:
    order = lock_order(order)
    if order.status != S.QUALITY_CHECK:
        raise DomainError(_("Order %(number)s is not waiting for the final inspection.") % {"number": order.number})
    items = {code: bool(checklist.get(code)) for code, _label in CHECKLIST}
    reason = reason.strip()
    if passed:
        if not all(items.values()):
            raise DomainError(_("Tick every item of the checklist to pass the vehicle."), field="checklist")
        if Finding.objects.filter(order=order, decision=Finding.Decision.PENDING).exists():
            raise DomainError(_("Additional work awaits the customer's decision."))
    elif not reason:
        raise DomainError(_("Say what must be reworked."), field="reason")
    attempt = QualityCheck.objects.filter(order=order).count() + 1
    board_touch(order.station_id)
    qc = QualityCheck.objects.create(
        station_id=order.station_id, order=order, attempt=attempt, inspector=by,
        result=QualityCheck.Result.PASSED if passed else QualityCheck.Result.FAILED,
        checklist=items, reason=reason, road_test=road_test, washed=washed,
    )
    if passed:
        extras = [str(label) for flag, label in ((road_test, _("road test")), (washed, _("car wash"))) if flag]
        note = _("final inspection passed") + (f" ({', '.join(extras)})" if extras else "")
        work_order_transition(order=order, to=S.READY, by=by, note=note)
    else:
        work_order_transition(order=order, to=S.IN_PROGRESS, by=by, note=_("rework: %(reason)s") % {"reason": reason})
    return qc


def rework_count(*, order: WorkOrder) -> int:
    return QualityCheck.objects.filter(order=order, result=QualityCheck.Result.FAILED).count()
