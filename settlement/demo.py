"""Settlement demo data for ``seed_demo``: the settled and delivered orders that reception.demo created get their
statements (gapless numbers in settlement order), payments, delivery checklists, insurance claims for the accident
repairs and warranty claims in every state, plus a few credit notes. Orders left "ready for settlement" are left for
the cashier to settle in the demo.

Idempotent: only orders without a statement are processed, so a second run finds nothing to do.
Deterministic: a generator per station, seeded by the station code.
"""

from __future__ import annotations

import random
import zlib
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.db import transaction

from core.models import DocumentCounter
from org.models import Position
from reception.models import Customer, Payer, WorkOrder, WorkOrderLine
from reception.services.pricing import amount_of, order_totals, to_cents
from settlement.models import (
    Delivery,
    InsuranceClaim,
    Payment,
    Statement,
    WarrantyClaim,
    WarrantyClaimEvent,
    WarrantyClaimLine,
)
from settlement.services.statements import line_snapshot

S = WorkOrder.Status
C = WarrantyClaim.Status
M = Payment.Method
INSURERS = ["中国人保财险", "平安产险", "太平洋产险", "国寿财险", "大地保险"]
SYMPTOMS = [("C12", "W03", "冷却液渗漏"), ("E05", "S11", "发动机故障灯亮"), ("B02", "M07", "制动异响"),
            ("A09", "E02", "空调不制冷"), ("L03", "F01", "大灯进水")]
ZERO = Decimal("0.00")


def seed(ctx) -> None:
    for station in ctx.stations:
        rng = random.Random(zlib.crc32(f"settlement-{station.code}".encode()))
        staff = {p: ctx.station_staff(station, p) for p in (Position.CASHIER, Position.WARRANTY_CLERK,
                                                            Position.TECHNICAL_LEAD, Position.FRONT_DESK_LEAD)}
        _seed_station(station, rng, staff)


def _first(staff, position, fallback):
    people = staff.get(position) or []
    return people[0] if people else fallback


@transaction.atomic
def _seed_station(station, rng: random.Random, staff) -> None:
    orders = list(
        WorkOrder.objects.filter(station=station, status__in=[S.SETTLED, S.DELIVERED], statements__isnull=True)
        .select_related("customer", "advisor").order_by("settled_at", "id")
    )
    if not orders:
        return
    cashier = _first(staff, Position.CASHIER, orders[0].advisor)
    clerk = _first(staff, Position.WARRANTY_CLERK, cashier)
    techlead = _first(staff, Position.TECHNICAL_LEAD, clerk)
    lines_by_order: dict[int, list[WorkOrderLine]] = defaultdict(list)
    for line in (WorkOrderLine.objects.filter(order__in=orders, approval=WorkOrderLine.Approval.APPROVED)
                 .select_related("labour_operation", "part").order_by("position", "id")):
        lines_by_order[line.order_id].append(line)

    counters = _Counters(station)
    statements, insurance, deliveries = [], [], []
    for order in orders:
        lines = lines_by_order.get(order.pk, [])
        if not lines:
            continue
        settled_at = order.settled_at or order.opened_at
        totals = order_totals(lines, vat_rate=station.vat_rate)
        adjustments: dict[str, Decimal] = {}
        adjustment_note = ""
        if Payer.INSURANCE in totals.by_payer:
            gross = totals.by_payer[Payer.INSURANCE].gross
            deductible = Decimal(rng.choice([0, 0, 300, 500])) if gross > 1000 else ZERO
            claim = InsuranceClaim(
                station=station, order=order, insurer=rng.choice(INSURERS),
                policy_number=f"PDAA{settled_at:%Y}{rng.randint(10**7, 10**8 - 1)}",
                claim_number=f"RDAA{settled_at:%Y%m%d}{rng.randint(1000, 9999)}", assessor=rng.choice(["王定损", "李定损"]),
                assessed_amount=gross, assessed_at=(order.work_completed_at or settled_at) - timedelta(hours=20),
                deductible=deductible, created_by=order.advisor, created_at=order.opened_at,
            )
            if order.status == S.DELIVERED and rng.random() < 0.7:
                claim.paid_amount, claim.paid_at = claim.insurer_share, settled_at + timedelta(days=rng.randint(5, 25))
            insurance.append(claim)
            if deductible:
                adjustments = {Payer.INSURANCE: -deductible, Payer.CUSTOMER: deductible}
                adjustment_note = f"保险免赔额（{claim.insurer}，报案号 {claim.claim_number}）"
        snapshots = defaultdict(list)
        for line in lines:
            snapshots[line.payer].append(line_snapshot(line))
        for payer in Payer.values:
            bucket = totals.by_payer.get(payer)
            adjustment = adjustments.get(payer, ZERO)
            if bucket is None and not adjustment:
                continue
            gross = bucket.gross if bucket else ZERO
            statements.append(Statement(
                station=station, order=order, kind=Statement.Kind.STATEMENT, payer=payer,
                number=counters.next("statement", "JS", settled_at), labour=bucket.labour if bucket else ZERO,
                parts=bucket.parts if bucket else ZERO, sublet=bucket.sublet if bucket else ZERO,
                discount=bucket.discount if bucket else ZERO, net=bucket.net if bucket else ZERO,
                vat_rate=station.vat_rate, vat=bucket.vat if bucket else ZERO, gross=gross, adjustment=adjustment,
                adjustment_note=adjustment_note if adjustment else "", due=gross + adjustment,
                lines=snapshots.get(payer, []), issued_by=cashier, issued_at=settled_at,
            ))
        if order.status == S.DELIVERED:
            deliveries.append(Delivery(
                order=order, work_explained=True, invoice_explained=True,
                old_parts=rng.choice([Delivery.OldParts.RETURNED, Delivery.OldParts.DISPOSED, Delivery.OldParts.NONE]),
                next_service_date=(order.delivered_at + timedelta(days=182)).date(),
                next_service_km=(order.mileage_in or 0) + 5000, handed_over_at=order.delivered_at,
                handed_over_by=order.advisor,
            ))
        elif rng.random() < 0.5:
            deliveries.append(Delivery(order=order, work_explained=True, old_parts=Delivery.OldParts.RETURNED))
    Statement.objects.bulk_create(statements, batch_size=2000)
    InsuranceClaim.objects.bulk_create(insurance, batch_size=2000)
    Delivery.objects.bulk_create(deliveries, batch_size=2000)

    payments = []
    by_order = {o.pk: o for o in orders}
    for st in statements:
        if st.payer != Payer.CUSTOMER or st.due <= 0:
            continue
        order = by_order[st.order_id]
        share = Decimal("1")
        if order.status == S.SETTLED:
            share = Decimal(rng.choice(["1", "1", "0.5", "0"]))
        amount = to_cents(st.due * share)
        if amount <= 0:
            continue
        at = st.issued_at + timedelta(minutes=rng.randint(3, 25))
        method = (M.FLEET_CREDIT if order.customer.kind == Customer.Kind.FLEET
                  else rng.choice([M.WECHAT] * 8 + [M.ALIPAY] * 5 + [M.CARD] * 4 + [M.CASH] * 2 + [M.TRANSFER]))
        tendered = (amount // 100 + 1) * 100 if method == M.CASH else None
        payments.append(Payment(
            station=station, statement=st, receipt_number=counters.next("receipt", "SK", at), method=method,
            amount=amount, tendered=tendered, change=(tendered - amount) if tendered else ZERO,
            reference="" if method in (M.CASH, M.FLEET_CREDIT) else f"{method[:2].upper()}{rng.randint(10**9, 10**10)}",
            received_by=cashier, received_at=at,
        ))
    Payment.objects.bulk_create(payments, batch_size=2000)

    _seed_credit_notes(station, rng, statements, by_order, cashier, counters)
    _seed_warranty_claims(station, rng, orders, lines_by_order, clerk, techlead, counters)
    counters.save()


def _seed_credit_notes(station, rng, statements, by_order, cashier, counters) -> None:
    candidates = [s for s in statements if s.payer == Payer.CUSTOMER and s.due > 500
                  and by_order[s.order_id].status == S.DELIVERED]
    for original in rng.sample(candidates, min(2, len(candidates))):
        amount = Decimal("50.00")
        vat = to_cents(amount * original.vat_rate / (1 + original.vat_rate))
        Statement.objects.create(
            station=station, order=original.order, kind=Statement.Kind.CREDIT_NOTE, payer=original.payer,
            number=counters.next("credit_note", "HC", original.issued_at + timedelta(days=1)), original=original,
            net=-(amount - vat), vat_rate=original.vat_rate, vat=-vat, gross=-amount, due=-amount,
            reason="结算后补录会员优惠，退款至原支付方式", issued_by=cashier, issued_at=original.issued_at + timedelta(days=1),
        )


def _seed_warranty_claims(station, rng, orders, lines_by_order, clerk, techlead, counters) -> None:
    with_warranty = [o for o in orders if any(line.payer == Payer.WARRANTY for line in lines_by_order.get(o.pk, []))]
    if not with_warranty:
        return
    # the oldest ones have been decided and paid; make sure every state shows up at least once
    cycle = [C.DRAFT, C.SUBMITTED, C.APPROVED, C.PARTLY_APPROVED, C.REJECTED, C.PAID]
    newest_first = [cycle[i] if i < len(cycle) else rng.choice([C.PAID] * 6 + [C.APPROVED, C.SUBMITTED, C.REJECTED,
                                                                               C.PARTLY_APPROVED])
                    for i in range(len(with_warranty))]
    for order, status in zip(with_warranty, reversed(newest_first), strict=True):  # numbered in time order
        settled_at = order.settled_at or order.opened_at
        symptom, cause, text = rng.choice(SYMPTOMS)
        claim = WarrantyClaim(
            station=station, order=order, number=counters.next("warranty_claim", "SP", settled_at), status=status,
            symptom_code=symptom if status != C.DRAFT else "", cause_code=cause if status != C.DRAFT else "",
            fault_description=text, repair_description="按维修手册更换故障件并检测合格", created_by=clerk,
            created_at=settled_at,
        )
        lines = [line for line in lines_by_order[order.pk] if line.payer == Payer.WARRANTY]
        labour = sum((amount_of(line) for line in lines if line.kind == "labour"), ZERO)
        parts = sum((amount_of(line) for line in lines if line.kind != "labour"), ZERO)
        claim.claimed_labour, claim.claimed_parts, claim.claimed_amount = labour, parts, labour + parts
        if status != C.DRAFT:
            claim.appraisal_verdict, claim.appraisal_note = WarrantyClaim.Verdict.WARRANTY, "故障件检测确认属质量缺陷"
            claim.appraised_by, claim.appraised_at = techlead, settled_at + timedelta(hours=2)
            claim.submitted_at = settled_at + timedelta(days=1)
        if status in (C.APPROVED, C.PARTLY_APPROVED, C.REJECTED, C.PAID):
            claim.decided_at = settled_at + timedelta(days=rng.randint(7, 20))
            claim.manufacturer_reference = f"FAW-{rng.randint(100000, 999999)}"
            claim.approved_amount = {C.PARTLY_APPROVED: to_cents(claim.claimed_amount * Decimal("0.8")),
                                     C.REJECTED: ZERO}.get(status, claim.claimed_amount)
            claim.decision_note = {C.PARTLY_APPROVED: "工时超出标准，按标准工时批准", C.REJECTED: "非质量问题，拒赔"}.get(status, "")
        if status == C.PAID:
            claim.paid_amount, claim.paid_at = claim.approved_amount, claim.decided_at + timedelta(days=15)
        claim.save()
        WarrantyClaimLine.objects.bulk_create([
            WarrantyClaimLine(claim=claim, order_line=line, kind=line.kind,
                              code=line.labour_operation.code if line.labour_operation_id else
                              (line.part.part_number if line.part_id else ""),
                              description=line.description, quantity=line.hours if line.kind == "labour" else
                              line.quantity, amount=amount_of(line)) for line in lines
        ])
        WarrantyClaimEvent.objects.create(claim=claim, old_status="", new_status=C.DRAFT, kind="created", by=clerk)
        if status != C.DRAFT:
            WarrantyClaimEvent.objects.create(claim=claim, old_status=C.DRAFT, new_status=status, kind="transition",
                                              by=clerk, note="演示数据")


class _Counters:
    """Gapless numbers for a bulk load: continue each (kind, year) counter and write it back at the end."""

    def __init__(self, station):
        self.station = station
        self.last: dict[tuple[str, int], int] = {
            (c.kind, c.year): c.last for c in DocumentCounter.objects.filter(station=station)
        }
        self.touched: set[tuple[str, int]] = set()

    def next(self, kind: str, prefix: str, at) -> str:
        key = (kind, at.year)
        self.last[key] = self.last.get(key, 0) + 1
        self.touched.add(key)
        return f"{prefix}{self.station.code[:2].upper()}{at.year}{self.last[key]:06d}"

    def save(self) -> None:
        for kind, year in self.touched:
            DocumentCounter.objects.update_or_create(station=self.station, kind=kind, year=year,
                                                     defaults={"last": self.last[(kind, year)]})

