"""The demo's cashier and warranty desk: insurance assessments, settlement, payments, the hand-over checklist,
delivery, warranty claims through the manufacturer's answer, and a few credit notes.

Services used: ``settlement.services.insurance`` (``insurance_claim_save``, ``insurance_payment_record``),
``settlement.services.reconcile`` (``reconcile``, ``part_difference_resolve``), ``settlement.services.settle``
(``order_settle``, which issues the statements and opens the warranty claim; ``credit_note_request`` and ``credit_note_decide``),
``settlement.services.payments`` (``payment_record``, ``statement_balance``), ``settlement.services.delivery``
(``delivery_checklist_save``, ``order_deliver``, which opens the follow-up call), ``settlement.services.claims``
(``claim_update``, ``claim_add_photo``, ``claim_appraise``, ``claim_transition``), ``settlement.services.invoices``
(``invoice_record``, ``customer_invoice_details_save``, ``invoice_settings_save``).
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from stdnum.cn import uscc

from core.money import to_cents
from demo import data as D
from demo.base import rng_for
from demo.photos import photo
from org.models import Staff
from reception.models import Customer, Payer, WorkOrder
from reception.services.pricing import order_totals
from settlement.models import (
    CustomerInvoiceDetails,
    Delivery,
    InsuranceClaim,
    PartReconciliation,
    Payment,
    Statement,
    WarrantyClaim,
)
from settlement.services.claims import claim_add_photo, claim_appraise, claim_transition, claim_update
from settlement.services.delivery import delivery_checklist_save, order_deliver
from settlement.services.insurance import insurance_claim_save, insurance_payment_record
from settlement.services.invoices import (
    PARTY_FIELDS,
    customer_invoice_details_save,
    invoice_record,
    invoice_settings_save,
)
from settlement.services.payments import payment_record, statement_balance
from settlement.services.reconcile import part_difference_resolve, reconcile
from settlement.services.settle import order_settle
from settlement.services.statements import credit_note_decide, credit_note_request

C = WarrantyClaim.Status
M = Payment.Method
CREDIT_NOTES = 2  # per station


def insurance_assess(order: WorkOrder, rng: random.Random) -> InsuranceClaim | None:
    """The insurer's assessor has seen the accident damage (before settlement)."""
    lines = list(order.lines.filter(approval="approved"))
    totals = order_totals(lines, vat_rate=order.station.vat_rate)
    if Payer.INSURANCE not in totals.by_payer:
        return None
    gross = totals.by_payer[Payer.INSURANCE].gross
    return insurance_claim_save(
        order=order, by=order.advisor, insurer=rng.choice(D.INSURERS),
        policy_number=f"PDAA{order.opened_at:%Y}{rng.randint(10**7, 10**8 - 1)}",
        claim_number=f"RDAA{order.opened_at:%Y%m%d}{rng.randint(1000, 9999)}", assessor=rng.choice(["王定损", "李定损"]),
        assessed_amount=gross, deductible=Decimal(rng.choice([0, 0, 300, 500])) if gross > 1000 else Decimal("0"),
    )


def settle(order: WorkOrder, *, cashier: Staff) -> list[Statement]:
    """Resolve what the counter could not issue (the customer was not charged for it), then settle."""
    for check in reconcile(order=order).parts:
        if not check.matches and check.resolution is None:
            part_difference_resolve(line=check.line, by=cashier, resolution=PartReconciliation.Resolution.ACCEPTED,
                                    note="缺件，客户同意下次补装")
    return order_settle(order=order, by=cashier)


def pay(order: WorkOrder, rng: random.Random, *, cashier: Staff, share: Decimal = Decimal("1")) -> None:
    """The customer pays their statement (fleets on account), all of it or a share."""
    for statement in Statement.objects.filter(order=order, kind=Statement.Kind.STATEMENT, payer=Payer.CUSTOMER):
        amount = to_cents(statement_balance(statement) * share)
        if amount <= 0:
            continue
        method = (M.FLEET_CREDIT if order.customer.kind == Customer.Kind.FLEET
                  else rng.choice([M.WECHAT] * 8 + [M.ALIPAY] * 5 + [M.CARD] * 4 + [M.CASH] * 2 + [M.TRANSFER]))
        payment_record(
            statement=statement, by=cashier, method=method, amount=amount,
            tendered=(amount // 100 + 1) * 100 if method == M.CASH else None,
            reference="" if method in (M.CASH, M.FLEET_CREDIT) else f"{method[:2].upper()}{rng.randint(10**9, 10**10)}",
        )


def hand_over_checklist(order: WorkOrder, rng: random.Random, *, complete: bool) -> None:
    delivery_checklist_save(
        order=order, by=order.advisor, work_explained=True, invoice_explained=complete,
        old_parts=rng.choice([Delivery.OldParts.RETURNED, Delivery.OldParts.DISPOSED, Delivery.OldParts.NONE]),
        next_service_date=(order.opened_at + timedelta(days=182)).date() if complete else None,
        next_service_km=(order.mileage_in or 0) + 5000 if complete else None,
    )


def deliver(order: WorkOrder) -> None:
    order_deliver(order=order, by=order.advisor)


def insurer_pays(order: WorkOrder, *, cashier: Staff) -> None:
    claim = InsuranceClaim.objects.filter(order=order).first()
    if claim is not None and not claim.paid_amount and claim.insurer_share > 0:
        insurance_payment_record(claim=claim, by=cashier, amount=claim.insurer_share)


def warranty_fate(rng: random.Random) -> str:
    return rng.choice([C.PAID] * 6 + [C.APPROVED, C.PARTLY_APPROVED, C.REJECTED])


def _network(claim: WarrantyClaim) -> str:
    """The carmaker's claim system the station reports to (一汽丰田 FTMS or 广汽丰田 GTMC)."""
    return "GTMC" if D.STATION_MAKE.get(claim.station.code, ("",))[0] == "广汽丰田" else "FTMS"


def warranty_prepare(order: WorkOrder, rng: random.Random, *, clerk: Staff, techlead: Staff) -> WarrantyClaim | None:
    """The warranty clerk completes the draft the settlement opened and adds the photo of the failed part; the
    technical lead appraises it."""
    claim = order.warranty_claims.filter(status=C.DRAFT).first()
    if claim is None:
        return None
    symptom, cause, text, repair, finding = rng.choice(D.SYMPTOMS)
    claim_update(claim=claim, by=clerk, symptom_code=symptom, cause_code=cause,
                 fault_description=f"客户反映：{text}。{finding}", repair_description=repair)
    claim_add_photo(claim=claim, by=clerk, image=photo("part", claim.pk), caption=f"故障件：{text}")
    claim_appraise(claim=claim, by=techlead, verdict=WarrantyClaim.Verdict.WARRANTY,
                   note=f"{finding}，属制造质量缺陷，在保修期内")
    return claim


def warranty_submit(claim: WarrantyClaim, rng: random.Random, *, clerk: Staff) -> None:
    claim_transition(claim=claim, to=C.SUBMITTED, by=clerk,
                     note=rng.choice(D.CLAIM_SUBMIT_NOTES).format(network=_network(claim)))


def warranty_decide(claim: WarrantyClaim, rng: random.Random, *, clerk: Staff, fate: str) -> None:
    reference = f"{_network(claim)}-{timezone.localdate():%y%m}{rng.randint(10000, 99999)}"
    claim.refresh_from_db()
    if fate == C.REJECTED:
        claim_transition(claim=claim, to=C.REJECTED, by=clerk, note=rng.choice(D.CLAIM_REJECT_NOTES),
                         reference=reference)
    elif fate == C.PARTLY_APPROVED and claim.claimed_amount > Decimal("1"):
        claim_transition(claim=claim, to=C.PARTLY_APPROVED, by=clerk, note=rng.choice(D.CLAIM_PARTLY_NOTES),
                         amount=to_cents(claim.claimed_amount * Decimal("0.8")), reference=reference)
    else:
        claim_transition(claim=claim, to=C.APPROVED, by=clerk, note=rng.choice(D.CLAIM_APPROVE_NOTES),
                         reference=reference)


def warranty_paid(claim: WarrantyClaim, rng: random.Random, *, clerk: Staff) -> None:
    claim.refresh_from_db()
    if claim.status in (C.APPROVED, C.PARTLY_APPROVED):
        claim_transition(claim=claim, to=C.PAID, by=clerk,
                         note=f"厂家月度索赔结算单 JS{timezone.localdate():%Y%m}-{rng.randint(100, 999)} 已到账，"
                              f"金额 ¥{claim.approved_amount}")


def credit_note(order: WorkOrder, *, cashier: Staff, manager: Staff) -> None:
    """A member discount entered after settlement, refunded to the original payment method (a couple per station):
    the cashier asks, the station manager approves (four eyes), and only then is the credit note issued."""
    if Statement.objects.filter(station_id=order.station_id, kind=Statement.Kind.CREDIT_NOTE).count() >= CREDIT_NOTES:
        return
    original = Statement.objects.filter(order=order, kind=Statement.Kind.STATEMENT, payer=Payer.CUSTOMER,
                                        due__gt=500).first()
    if original is not None:
        request = credit_note_request(statement=original, by=cashier, reason="结算后补录会员优惠，退款至原支付方式",
                                      amount=Decimal("50.00"))
        credit_note_decide(request=request, by=manager, approve=True, note="同意")


# --- VAT invoices (发票) -------------------------------------------------------------------------------------------

CARMAKER_INVOICE = {  # the joint venture the station's warranty statements are invoiced to (专票)
    "title": "一汽丰田汽车销售有限公司", "address": "天津市西青区经济技术开发区", "phone": "022-2338 0000",
    "bank": "中国工商银行天津分行", "account": "0302 0012 0920 0008 888",
}


def _uscc(rng: random.Random) -> str:
    """A taxpayer number with a correct check character (统一社会信用代码: 91 = company, a Shanghai region code)."""
    body = f"91310115{rng.randint(10**8, 10**9 - 1)}"
    return body + uscc.calc_check_digit(body)


def invoice(order: WorkOrder, *, cashier: Staff) -> None:
    """Most paid customer statements get their invoice the same day: fleets a special invoice (专票) to their saved
    details, private customers an e-invoice (普票) by e-mail or a paper one; now and then the carmaker's statement."""
    rng = rng_for("invoice", order.number)  # its own generator: the rest of the play stays as it was
    if rng.random() < 0.25:
        return  # not asked for yet: it waits on the "invoices to issue" list
    for statement in Statement.objects.filter(order=order, kind=Statement.Kind.STATEMENT).exclude(
            payer=Payer.INTERNAL).select_related("order__customer"):
        if statement.payer == Payer.CUSTOMER and statement_balance(statement) > 0:
            continue  # invoiced once paid
        if statement.payer in (Payer.WARRANTY, Payer.INSURANCE) and rng.random() < 0.6:
            continue
        party = _invoice_party(statement, rng, cashier=cashier)
        invoice_record(statement=statement, by=cashier, number=f"{rng.randint(10**19, 10**20 - 1)}",
                       issued_on=timezone.localdate(), amount=statement.due, **party)


def _invoice_party(statement: Statement, rng: random.Random, *, cashier: Staff) -> dict:
    customer = statement.order.customer
    if statement.payer == Payer.WARRANTY:
        return {"invoice_type": "special", "electronic": False, "tax_id": _uscc(rng_for("carmaker")),
                "email": "", **CARMAKER_INVOICE}
    if statement.payer == Payer.INSURANCE:
        return {"invoice_type": "normal", "electronic": False, "title": "中国人民财产保险股份有限公司上海市分公司",
                "tax_id": _uscc(rng_for("insurer")), "email": ""}
    if customer.kind == Customer.Kind.FLEET:
        details = CustomerInvoiceDetails.objects.filter(customer=customer).first()
        if details is None:
            details = customer_invoice_details_save(
                customer=customer, by=cashier, invoice_type="special", electronic=False, title=customer.name,
                tax_id=_uscc(rng_for("fleet", customer.pk)), address=customer.address or "上海市浦东新区",
                phone=customer.other_phone or customer.mobile, bank="招商银行上海分行",
                account=f"1219 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)} 0001", email="")
        return {f: getattr(details, f) for f in PARTY_FIELDS}
    electronic = rng.random() < 0.7
    return {"invoice_type": "normal", "electronic": electronic, "title": customer.name,
            "email": f"c{customer.pk}@example.com" if electronic else ""}


def invoice_settings(station) -> None:
    """Consumer prices in China are quoted with VAT: both demo stations print their line prices that way."""
    invoice_settings_save(station=station, prices_include_vat=True)
