"""Settling an order: statements per payer with gapless numbers, and the warranty claim when warranty pays a line.

Credit notes and supplements that correct settled statements live in ``statements.py``.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import money_text
from core.numbering import next_number
from org.models import Staff
from reception.models import Payer, WorkOrder, WorkOrderEvent
from reception.services.workflow import record_event, work_order_transition
from settlement.models import Statement
from settlement.services.claims import claim_create_from_order
from settlement.services.reconcile import reconcile
from settlement.services.statements import STATEMENT_PREFIX, line_snapshot


def order_settled(*, order_id: int) -> bool:
    """Whether the order has been settled (then its lines never change: reception asks this through the registry
    before a line is saved or deleted): it has its settlement statement, or — all its lines paid by packages, so no
    statement — its settlement is in its history (``statements_issue`` records it either way)."""
    statement = Statement.objects.filter(order_id=OuterRef("pk"), kind=Statement.Kind.STATEMENT)
    settled = WorkOrderEvent.objects.filter(order_id=OuterRef("pk"), kind="settlement")
    return WorkOrder.objects.filter(Q(Exists(statement)) | Q(Exists(settled)), pk=order_id).exists()


def statements_issue(*, order: WorkOrder, by: Staff) -> list[Statement]:
    """After-hook of READY→SETTLED (runs inside the transition's transaction): one statement per payer.

    Numbers come from the station's counter under SELECT … FOR UPDATE, so two cashiers settling at the same moment
    get consecutive numbers, and a transaction that rolls back gives its number back (no gap).
    """
    if Statement.objects.filter(order=order, kind=Statement.Kind.STATEMENT).exists():
        raise DomainError(_("This order has already been settled."))
    result = reconcile(order=order)
    by_payer_lines: dict[str, list[dict]] = {}
    prepaid = {line.pk for line in result.prepaid}
    for line in [*result.labour, *(p.line for p in result.parts), *result.sublet]:
        if line.pk in prepaid:  # on no statement: the package paid it (``packages``)
            continue
        by_payer_lines.setdefault(line.payer, []).append(line_snapshot(line))
    statements = []
    now = timezone.now()
    for payer, totals, adjustment, due in result.payers:
        statements.append(
            Statement.objects.create(
                station=order.station, order=order, kind=Statement.Kind.STATEMENT, payer=payer,
                number=next_number(station=order.station, kind="statement", prefix=STATEMENT_PREFIX),
                labour=totals.labour, parts=totals.parts, sublet=totals.sublet, discount=totals.discount,
                net=totals.net, vat_rate=order.station.vat_rate, vat=totals.vat, gross=totals.gross,
                adjustment=adjustment, adjustment_note=result.adjustment_note if adjustment else "",
                due=due, lines=by_payer_lines.get(payer, []), issued_by=by, issued_at=now,
            )
        )
    if any(line.payer == Payer.WARRANTY for line in result.labour + [p.line for p in result.parts]):
        claim_create_from_order(order=order, by=by, if_missing=True)
    record_event(order=order, by=by, kind="settlement",
                 note=", ".join(f"{s.number} {s.get_payer_display()} {money_text(s.due)}" for s in statements))
    return statements


@transaction.atomic
def order_settle(*, order: WorkOrder, by: Staff, note: str = "") -> list[Statement]:
    """Settle the order through the state table (guard: reconciliation; after: statements)."""
    work_order_transition(order=order, to=WorkOrder.Status.SETTLED, by=by, note=note)
    return list(Statement.objects.filter(order=order, kind=Statement.Kind.STATEMENT).order_by("id"))
