"""Reception and the lines of a work order (任务委托书): labour from the catalogue, parts, sublet; payer per line.

Every change is recorded as a WorkOrderEvent. Part lines tell the parts app about the demand
(``parts.services.orders``), which prices them and reserves stock.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.numbering import next_number
from core.registry import registry
from org.models import Staff, Station
from parts.services.orders import line_demand_capture, line_demand_release, operation_kit, part_sale_price
from reception.models import Appointment, Concern, Customer, LabourOperation, Payer, Vehicle, WorkOrder, WorkOrderLine
from reception.services import customers as customer_services
from reception.services.authority import LineState, reduction_enforce
from reception.services.workflow import record_event

log = logging.getLogger(__name__)
S = WorkOrder.Status
EDITABLE = frozenset({S.DRAFT, S.OPEN, S.IN_PROGRESS, S.QUALITY_CHECK})


def ensure_editable(order: WorkOrder) -> None:
    if order.status not in EDITABLE:
        raise DomainError(_("The lines of a %(status)s order can no longer be changed.")
                          % {"status": order.get_status_display()})


@transaction.atomic
def order_receive(
    *,
    station: Station,
    by: Staff,
    customer: Customer,
    vehicle: Vehicle,
    concerns: list[str],
    mileage_in: int | None = None,
    fuel_level: str = "",
    promised_at: datetime | None = None,
    appointment: Appointment | None = None,
    odometer_confirmed_by: Staff | None = None,
    advisor: Staff | None = None,
    notes: str = "",
    keep_old_parts: bool = False,
    wash: bool = False,
    customer_waiting: bool = False,
) -> WorkOrder:
    """Receive a vehicle (接待): open a draft order with the customer's concerns, from an appointment or walk-in."""
    if vehicle.station_id != station.pk or customer.station_id != station.pk:
        raise DomainError(_("Customer and vehicle must belong to this station."))
    concerns = [c.strip() for c in concerns if c and c.strip()]
    if not concerns:
        raise DomainError(_("Write down at least one concern in the customer's own words."), field="concerns")
    if mileage_in is not None:
        customer_services.mileage_record(vehicle=vehicle, km=mileage_in, by=by, confirmed_by=odometer_confirmed_by)
    order = WorkOrder.objects.create(
        station=station,
        number=next_number(station=station, kind="work_order", prefix="WO"),
        customer=customer,
        vehicle=vehicle,
        advisor=advisor or by,
        mileage_in=mileage_in,
        fuel_level=fuel_level,
        promised_at=promised_at,
        is_walk_in=appointment is None,
        notes=notes,
        keep_old_parts=keep_old_parts,
        wash=wash,
        customer_waiting=customer_waiting,
    )
    Concern.objects.bulk_create([Concern(order=order, text=text, position=i) for i, text in enumerate(concerns)])
    record_event(order=order, by=by, kind="received", note=_("Vehicle received"))
    if appointment is not None:
        if appointment.work_order_id:
            raise DomainError(_("This appointment has already been received."))
        appointment.status = Appointment.Status.ARRIVED
        appointment.arrived_at = appointment.arrived_at or timezone.now()
        appointment.work_order = order
        appointment.save(update_fields=["status", "arrived_at", "work_order", "updated_at"])
        wanted: dict = {part: Decimal("1") for part in appointment.parts.all()}
        for operation in appointment.operations.all():
            line_add_labour(order=order, by=by, operation=operation, payer=Payer.CUSTOMER)
            for part, quantity in operation_kit(operation=operation):
                wanted[part] = max(wanted.get(part, Decimal("0")), Decimal(quantity))
        for part, quantity in wanted.items():
            line_add_part(order=order, by=by, part=part, quantity=quantity, payer=Payer.CUSTOMER)
    return order


@transaction.atomic
def order_update_reception(*, order: WorkOrder, by: Staff, promised_at: datetime | None, fuel_level: str,
                           notes: str, keep_old_parts: bool | None = None, wash: bool | None = None,
                           customer_waiting: bool | None = None) -> WorkOrder:
    """The reception details and the order's options (keep old parts, wash, customer waiting); an option left
    None keeps its value."""
    ensure_editable(order)
    order.promised_at = promised_at
    order.fuel_level = fuel_level
    order.notes = notes
    options = {"keep_old_parts": keep_old_parts, "wash": wash, "customer_waiting": customer_waiting}
    for name, value in options.items():
        if value is not None:
            setattr(order, name, bool(value))
    order.save(update_fields=["promised_at", "fuel_level", "notes", *WorkOrder.OPTION_FIELDS, "updated_at"])
    note = _("Reception details changed")
    if order.options:
        note = f"{note} · {', '.join(str(o) for o in order.options)}"
    record_event(order=order, by=by, kind="updated", note=note)
    return order


def _new_line_approval(order: WorkOrder) -> tuple[str, bool]:
    """Before the signature lines are simply part of the estimate; afterwards they are additional work (增项) that
    the customer must approve."""
    if order.signed_at is None:
        return WorkOrderLine.Approval.APPROVED, False
    return WorkOrderLine.Approval.PROPOSED, True


def _next_position(order: WorkOrder) -> int:
    last = order.lines.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


def _contract_terms(order: WorkOrder, payer: str) -> dict:
    """A fleet contract's negotiated labour rate and parts discount for the customer's own lines (settlement keeps
    the contracts and provides them through the registry; nothing when it does not)."""
    if payer != Payer.CUSTOMER or not registry.provided("settlement.customer_price_terms"):
        return {}
    return registry.call("settlement.customer_price_terms", customer_id=order.customer_id) or {}


def _check_payer(payer: str) -> None:
    if payer not in Payer.values:
        raise DomainError(_("Unknown payer."), field="payer")


@transaction.atomic
def line_add_labour(*, order: WorkOrder, by: Staff, operation: LabourOperation, payer: str = Payer.CUSTOMER,
                    hours: Decimal | None = None) -> WorkOrderLine:
    ensure_editable(order)
    _check_payer(payer)
    if operation.station_id != order.station_id or not operation.is_active:
        raise DomainError(_("This labour operation is not in the station's catalogue."), field="operation")
    approval, additional = _new_line_approval(order)
    line = WorkOrderLine.objects.create(
        order=order, kind=WorkOrderLine.Kind.LABOUR, payer=payer, labour_operation=operation,
        description=f"{operation.code} {operation.name_zh}", quantity=Decimal("1"),
        hours=hours if hours is not None else operation.standard_hours,
        unit_price=_contract_terms(order, payer).get("labour_rate") or operation.rate_for(payer),
        approval=approval, is_additional=additional, position=_next_position(order),
    )
    record_event(order=order, by=by, kind="line_added", note=line.description)
    return line


@transaction.atomic
def line_add_part(*, order: WorkOrder, by: Staff, part, quantity: Decimal, payer: str = Payer.CUSTOMER,
                  unit_price: Decimal | None = None) -> WorkOrderLine:
    ensure_editable(order)
    _check_payer(payer)
    if part.station_id != order.station_id or not part.is_active:
        raise DomainError(_("This part is not in the station's catalogue."), field="part")
    if Decimal(quantity) <= 0:
        raise DomainError(_("The quantity must be more than zero."), field="quantity")
    approval, additional = _new_line_approval(order)
    line = WorkOrderLine.objects.create(
        order=order, kind=WorkOrderLine.Kind.PART, payer=payer, part=part,
        description=f"{part.part_number} {part.name_zh}", quantity=quantity,
        unit_price=part_sale_price(part=part, payer=payer) if unit_price is None else unit_price, unit_cost=part.cost,
        discount_pct=_contract_terms(order, payer).get("parts_discount_pct") or Decimal("0"), approval=approval, is_additional=additional, position=_next_position(order),
    )
    record_event(order=order, by=by, kind="line_added", note=line.description)
    if line.approval == WorkOrderLine.Approval.APPROVED:
        line_demand_capture(line=line, by=by)
    return line


@transaction.atomic
def line_add_sublet(*, order: WorkOrder, by: Staff, description: str, unit_price: Decimal,
                    unit_cost: Decimal = Decimal("0"), payer: str = Payer.CUSTOMER) -> WorkOrderLine:
    ensure_editable(order)
    _check_payer(payer)
    if not description.strip():
        raise DomainError(_("Describe the sublet work."), field="description")
    if Decimal(unit_price) < 0:
        raise DomainError(_("The price cannot be negative."), field="unit_price")
    approval, additional = _new_line_approval(order)
    line = WorkOrderLine.objects.create(
        order=order, kind=WorkOrderLine.Kind.SUBLET, payer=payer, description=description.strip()[:200],
        unit_price=unit_price, unit_cost=unit_cost, approval=approval, is_additional=additional,
        position=_next_position(order),
    )
    record_event(order=order, by=by, kind="line_added", note=line.description)
    return line


@transaction.atomic
def line_update(*, line: WorkOrderLine, by: Staff, payer: str | None = None, quantity: Decimal | None = None,
                hours: Decimal | None = None) -> WorkOrderLine:
    """Change payer, quantity or hours. A labour line's rate follows its payer.

    A change that lowers what a payer owes needs discount authority (``reception.services.authority``): refused at
    the field that lowers it."""
    order = line.order
    ensure_editable(order)
    before = LineState.of(line)
    changes = []
    if payer is not None and payer != line.payer:
        _check_payer(payer)
        line.payer = payer
        if line.labour_operation_id:
            line.unit_price = line.labour_operation.rate_for(payer)
        elif line.part_id:
            line.unit_price = part_sale_price(part=line.part, payer=payer)
        changes.append(_("payer: %(payer)s") % {"payer": Payer(payer).label})
    if quantity is not None and Decimal(quantity) != line.quantity:
        if Decimal(quantity) <= 0:
            raise DomainError(_("The quantity must be more than zero."), field="quantity")
        line.quantity = quantity
        changes.append(_("quantity: %(q)s") % {"q": quantity})
    if hours is not None and Decimal(hours) != line.hours:
        if Decimal(hours) < 0:
            raise DomainError(_("Hours cannot be negative."), field="hours")
        line.hours = hours
        changes.append(_("hours: %(h)s") % {"h": hours})
    if changes:
        field = "payer" if line.payer != before.payer else "quantity" if line.quantity != before.quantity else "hours"
        reduction_enforce(line=line, by=by, before=before, after=LineState.of(line), field=field)
        if order.signed_at is not None and line.approval == WorkOrderLine.Approval.APPROVED:
            line.approval = WorkOrderLine.Approval.PROPOSED
        line.save()
        record_event(order=order, by=by, kind="line_changed", note=f"{line.description}: {', '.join(changes)}")
        if line.kind == WorkOrderLine.Kind.PART and line.approval == WorkOrderLine.Approval.APPROVED:
            line_demand_capture(line=line, by=by)  # the parts app adjusts the reservation
    return line


@transaction.atomic
def line_remove(*, line: WorkOrderLine, by: Staff) -> None:
    """Remove a line. Before the signature it disappears; afterwards it stays as declined (a recommendation)."""
    order = line.order
    ensure_editable(order)
    if WorkOrderLine.objects.filter(pk=line.pk, loaner_booking__isnull=False).exists():
        raise DomainError(_("This line is a loaner's charge: make the loaner free of charge instead."), field="line")
    before = LineState.of(line)
    reduction_enforce(line=line, by=by, before=before, after=replace(before, counts=False), field="line")
    was_counting = line.approval == WorkOrderLine.Approval.APPROVED
    if line.kind == WorkOrderLine.Kind.PART and was_counting:
        line_demand_release(line=line, by=by)
    if order.signed_at is None:
        record_event(order=order, by=by, kind="line_removed", note=line.description)
        line.delete()
    else:
        line.approval = WorkOrderLine.Approval.DECLINED
        line.save(update_fields=["approval", "updated_at"])
        record_event(order=order, by=by, kind="line_declined", note=line.description)


@transaction.atomic
def lines_approve_proposed(*, order: WorkOrder, by: Staff) -> int:
    """Proposed lines become approved (the customer agreed); part lines then ask the parts app for the parts."""
    lines = list(order.lines.filter(approval=WorkOrderLine.Approval.PROPOSED))
    for line in lines:
        line.approval = WorkOrderLine.Approval.APPROVED
        line.save(update_fields=["approval", "updated_at"])
        if line.kind == WorkOrderLine.Kind.PART:
            line_demand_capture(line=line, by=by)
    return len(lines)
