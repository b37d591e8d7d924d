"""Delivery (交车): the hand-over checklist, then SETTLED→DELIVERED through the state table."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, TransitionError
from core.money import money_text
from core.uploads import signature_clean
from org.models import Staff
from reception.models import WorkOrder
from reception.services.workflow import record_event, work_order_transition
from settlement.models import Delivery
from settlement.services.payments import order_customer_balance


@transaction.atomic
def delivery_checklist_save(
    *, order: WorkOrder, by: Staff, work_explained: bool, old_parts: str, invoice_explained: bool,
    next_service_date: date | None, next_service_km: int | None, notes: str = "",
) -> Delivery:
    if order.status not in (WorkOrder.Status.READY, WorkOrder.Status.SETTLED):
        raise DomainError(_("The delivery checklist is filled in before the vehicle is handed over."))
    if old_parts and old_parts not in Delivery.OldParts.values:
        raise DomainError(_("Choose what happened to the old parts."), field="old_parts")
    delivery, _created = Delivery.objects.get_or_create(order=order)
    delivery.work_explained, delivery.old_parts = work_explained, old_parts
    delivery.invoice_explained = invoice_explained
    delivery.next_service_date, delivery.next_service_km, delivery.notes = next_service_date, next_service_km, notes
    delivery.save()
    return delivery


@transaction.atomic
def delivery_signature_record(*, order: WorkOrder, by: Staff, signature_png: bytes) -> Delivery:
    """The customer signs for the vehicle at hand-over (交车签字) on the pad: the picture is re-encoded as a clean
    PNG, kept through the storage API (local disk or the S3 bucket) and recorded with who took it and when."""
    if not signature_png:
        raise DomainError(_("The customer has not signed on the screen yet."), field="signature")
    if order.status not in (WorkOrder.Status.READY, WorkOrder.Status.SETTLED, WorkOrder.Status.DELIVERED):
        raise DomainError(_("The customer signs for the vehicle at hand-over."), field="signature")
    try:
        clean = signature_clean(signature_png)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="signature") from exc
    delivery, _created = Delivery.objects.select_for_update().get_or_create(order=order)
    old = delivery.signature.name if delivery.signature else ""
    delivery.signature.save(clean.name, clean, save=False)
    delivery.signed_at = timezone.now()
    delivery.signature_taken_by = by
    delivery.save()
    if old:
        transaction.on_commit(lambda: delivery.signature.storage.delete(old))
    record_event(order=order, by=by, kind="delivery_signed", note=_("Customer signed for the vehicle"))
    return delivery


def ready_to_deliver(*, order: WorkOrder, by: Staff) -> None:
    """Guard for SETTLED→DELIVERED: the checklist is complete and the customer's part is paid (or on account)."""
    delivery = Delivery.objects.filter(order=order).first()
    if delivery is None or not delivery.is_complete:
        raise TransitionError(
            _("Complete the delivery checklist: work and invoice explained, old parts, next service due.")
        )
    balance = order_customer_balance(order=order)
    if balance > 0:
        raise TransitionError(_("The customer still owes %(balance)s.") % {"balance": money_text(balance)})


def stamp_hand_over(*, order: WorkOrder, by: Staff) -> None:
    """After-hook of SETTLED→DELIVERED: the checklist records who handed over, and when."""
    Delivery.objects.filter(order=order).update(handed_over_at=order.delivered_at, handed_over_by=by)


@transaction.atomic
def order_deliver(*, order: WorkOrder, by: Staff, note: str = "") -> WorkOrder:
    return work_order_transition(order=order, to=WorkOrder.Status.DELIVERED, by=by, note=note)
