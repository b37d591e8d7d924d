"""Who may open which settlement URL (hand-written from the job descriptions, not derived from the map)."""

from org.tests.access import GROUP_POSITIONS, MANAGERS, Row

ORDERS = frozenset({  # everyone who reads work orders prints the work order and the pre-inspection sheet
    "station_manager", "front_desk_lead", "service_advisor", "receptionist", "workshop_lead", "qc_inspector",
    "technical_lead", "parts_lead", "parts_clerk", "warranty_clerk", "cashier", "customer_relations",
    "information_specialist",
}) | GROUP_POSITIONS
VIEW = frozenset({"station_manager", "front_desk_lead", "service_advisor", "technical_lead", "warranty_clerk",
                  "cashier"}) | GROUP_POSITIONS
SETTLE = frozenset({"station_manager", "front_desk_lead", "service_advisor", "cashier"})
PAY = frozenset({"cashier"})
CLAIMS = frozenset({"station_manager", "front_desk_lead", "warranty_clerk"})
APPRAISE = frozenset({"technical_lead"})
PARTS = frozenset({"station_manager", "front_desk_lead", "service_advisor", "workshop_lead", "technical_lead",
                   "parts_lead", "parts_clerk", "warranty_clerk"}) | GROUP_POSITIONS

COUNTER = frozenset({"parts_lead", "parts_clerk"})  # the parts counter sells; the cashier takes the money


def _draft(w):
    return {"pk": w.c_draft.pk}


def _ready(w):
    return {"pk": w.s_ready.pk}


def _settled(w):
    return {"pk": w.s_settled.pk}


def _claim(w):
    return {"pk": w.s_claim.pk}


ROWS = {
    "settlement:work_order_pdf": Row(other_station=404, allowed=ORDERS, kwargs=_ready),
    "settlement:pre_inspection_pdf": Row(other_station=404, allowed=ORDERS, kwargs=_ready),
    "settlement:settlement_pdf": Row(other_station=404, allowed=VIEW, kwargs=_settled),
    "settlement:pick_list_pdf": Row(other_station=404, allowed=PARTS, kwargs=_ready),
    "settlement:statement_pdf": Row(other_station=404, allowed=VIEW, kwargs=lambda w: {"pk": w.s_settled.pk,
                                                                    "statement_pk": w.s_statement.pk}),
    "settlement:delivery_note_pdf": Row(other_station=404, allowed=VIEW, kwargs=_settled),
    "settlement:print_preview": Row(other_station=404, allowed=ORDERS, kwargs=lambda w: {"pk": w.s_ready.pk,
                                                                                         "doc": "work-order"}),
    "settlement:order": Row(other_station=404, allowed=VIEW, kwargs=_ready),
    "settlement:resolve": Row(other_station=404, allowed=SETTLE, status=302, method="post",
                              kwargs=lambda w: {"pk": w.s_ready.pk, "line_pk": w.s_part.pk},
                              data=lambda w: {"resolution": "accepted", "note": "客户自带"}),
    "settlement:settle": Row(other_station=404, allowed=SETTLE, status=302, method="post", kwargs=_ready),
    "settlement:credit_note": Row(other_station=404, allowed=PAY, kwargs=lambda w: {"pk": w.s_settled.pk,
                                                                 "statement_pk": w.s_statement.pk}),
    # approving a credit note someone else asked for: the station manager and the group (four eyes)
    "settlement:credit_requests": Row(allowed=MANAGERS),
    # posts no decision: those allowed get the page back with the error (400), everyone else 403
    "settlement:credit_request_decide": Row(other_station=404, allowed=MANAGERS, status=400, method="post",
                                            kwargs=lambda w: {"pk": w.s_credit_request.pk}),
    "settlement:insurance": Row(other_station=404, allowed=CLAIMS, kwargs=_ready),
    "settlement:insurance_paid": Row(other_station=404, allowed=CLAIMS, status=302, method="post", kwargs=_settled),
    "settlement:claim_create": Row(other_station=404, allowed=CLAIMS, status=302, method="post", kwargs=_settled),
    "settlement:delivery": Row(other_station=404, allowed=SETTLE, kwargs=_settled),
    "settlement:desk": Row(allowed=VIEW),
    "settlement:desk_panel": Row(allowed=VIEW),
    "settlement:payment_new": Row(other_station=404, allowed=PAY, kwargs=lambda w: {"pk": w.s_statement.pk}),
    "settlement:receipt_pdf": Row(other_station=404, allowed=VIEW, kwargs=lambda w: {"pk": w.s_payment.pk}),
    # VAT invoices: the list for everyone who sees settlement; recording one: the cashier; a customer's details: the
    # advisors (at reception) and the cashier
    "settlement:invoices_to_issue": Row(allowed=VIEW),
    "settlement:invoice_new": Row(other_station=404, allowed=PAY, kwargs=lambda w: {"pk": w.s_statement.pk}),
    "settlement:customer_invoice_details": Row(other_station=404, allowed=SETTLE,
                                               kwargs=lambda w: {"pk": w.s_settled.customer_id}),
    "settlement:claims": Row(allowed=CLAIMS),
    "settlement:appraisal_queue": Row(allowed=APPRAISE),
    "settlement:claim_detail": Row(other_station=404, allowed=VIEW, kwargs=_claim),
    "settlement:claim_edit": Row(other_station=404, allowed=CLAIMS, status=302, method="post", kwargs=_claim),
    # These post incomplete forms: those allowed get the claim page back with the errors at the fields (400),
    # everyone else 403 — which is what this table tells apart.
    "settlement:claim_photo": Row(other_station=404, allowed=CLAIMS, status=400, method="post", kwargs=_claim),
    "settlement:claim_appraise": Row(other_station=404, allowed=APPRAISE, status=400, method="post", kwargs=_claim),
    "settlement:claim_transition": Row(other_station=404, allowed=CLAIMS, status=400, method="post", kwargs=_claim,
                                       data=lambda w: {"to": "submitted"}),
    "settlement:claim_bill_customer": Row(other_station=404, allowed=CLAIMS, status=400, method="post", kwargs=_claim),
    "settlement:claim_pdf": Row(other_station=404, allowed=VIEW, kwargs=_claim),
    # the claim exchange with the carmaker (issue #18)
    "settlement:claim_exchange": Row(allowed=CLAIMS),
    "settlement:claim_batch_create": Row(other_station=404, allowed=CLAIMS, status=302, method="post",
                                         kwargs=lambda w: {"pk": w.s_profile.pk}),
    "settlement:claim_batch_file": Row(other_station=404, allowed=CLAIMS, kwargs=lambda w: {"pk": w.s_batch.pk}),
    "settlement:claim_decision_import": Row(allowed=CLAIMS),
    # issue 18 (ledger): the voucher file and its accounts are the manager's; receivables and fleet accounts are read
    # by everyone who reads settlement, payments applied by the cashier, contracts and credit above the limit decided
    # by the manager (four eyes)
    "settlement:vouchers": Row(allowed=MANAGERS),
    "settlement:voucher_csv": Row(other_station=404, allowed=MANAGERS, kwargs=lambda w: {"pk": w.l_voucher.pk}),
    "settlement:voucher_xlsx": Row(other_station=404, allowed=MANAGERS, kwargs=lambda w: {"pk": w.l_voucher.pk}),
    "settlement:accounts": Row(allowed=MANAGERS),
    "settlement:receivables": Row(allowed=VIEW),
    "settlement:payer": Row(allowed=VIEW, kwargs=lambda w: {"kind": "warranty"}),
    "settlement:remittance": Row(allowed=PAY, status=400, method="post", kwargs=lambda w: {"kind": "warranty"}),
    "settlement:payer_pdf": Row(allowed=VIEW, kwargs=lambda w: {"kind": "fleet"}),
    "settlement:fleet": Row(allowed=VIEW),
    "settlement:fleet_new": Row(allowed=MANAGERS),
    "settlement:fleet_contract": Row(other_station=404, allowed=VIEW, kwargs=lambda w: {"pk": w.l_contract.pk}),
    "settlement:fleet_edit": Row(other_station=404, allowed=MANAGERS, kwargs=lambda w: {"pk": w.l_contract.pk}),
    "settlement:fleet_driver_add": Row(other_station=404, allowed=MANAGERS, status=400, method="post",
                                       kwargs=lambda w: {"pk": w.l_contract.pk}),
    "settlement:fleet_pdf": Row(other_station=404, allowed=VIEW, kwargs=lambda w: {"pk": w.l_contract.pk}),
    "settlement:credit_request": Row(other_station=404, allowed=PAY, kwargs=lambda w: {"pk": w.s_statement.pk}),
    "settlement:credit_approvals": Row(allowed=MANAGERS),
    "settlement:credit_decide": Row(other_station=404, allowed=MANAGERS, status=302, method="post",
                                    kwargs=lambda w: {"pk": w.l_approval.pk}),
    # service packages and coupons (issue 19 item 8): the liability is read by everyone who reads settlement; selling
    # a package and using one or a coupon on an order by those who settle (advisors, front desk, cashier)
    "settlement:packages": Row(allowed=VIEW),
    "settlement:package_new": Row(allowed=SETTLE),
    # coupons: the list for everyone who reads settlement, issuing one is the manager's (it is money given away)
    "settlement:coupons": Row(allowed=VIEW),
    "settlement:coupon_new": Row(allowed=MANAGERS),
    # posts no coupon code: those allowed get the page back with the error at the field (400)
    "settlement:order_packages": Row(other_station=404, allowed=SETTLE, status=400, method="post", kwargs=_ready,
                                     data=lambda w: {"action": "coupon"}),
    # counter sales of parts, accessories and extended warranties (issue 19, item 12). The posts carry no form:
    # those allowed get the page back with the errors (400); confirming a sale without lines is refused (400).
    "settlement:counter_sales": Row(allowed=COUNTER),
    # the cashier reads the sale (read-only: the line and confirm forms are the counter's)
    "settlement:counter_sale": Row(other_station=404, allowed=COUNTER | VIEW, kwargs=_draft),
    "settlement:counter_part_add": Row(other_station=404, allowed=COUNTER, status=400, method="post", kwargs=_draft),
    "settlement:counter_warranty_add": Row(other_station=404, allowed=COUNTER, status=400, method="post",
                                           kwargs=_draft),
    "settlement:counter_line_delete": Row(other_station=404, allowed=COUNTER, status=302, method="post",
                                          kwargs=lambda w: {"pk": w.c_draft.pk, "line_pk": 999999}),
    "settlement:counter_confirm": Row(other_station=404, allowed=COUNTER, status=400, method="post", kwargs=_draft),
    "settlement:counter_package_add": Row(other_station=404, allowed=COUNTER, status=400, method="post",
                                          kwargs=_draft),
    "settlement:counter_invoice_new": Row(other_station=404, allowed=PAY, kwargs=lambda w: {"pk": w.c_confirmed.pk}),
    "settlement:counter_to_pay": Row(allowed=VIEW),
    "settlement:counter_payment": Row(other_station=404, allowed=PAY, kwargs=lambda w: {"pk": w.c_confirmed.pk}),
    "settlement:counter_receipt_pdf": Row(other_station=404, allowed=VIEW, kwargs=lambda w: {"pk": w.c_confirmed.pk}),
}


def setup(world):
    from datetime import date
    from decimal import Decimal

    from reception.factories import WorkOrderFactory, labour_line, part_line
    from settlement.factories import PaymentFactory, StatementFactory, WarrantyClaimFactory
    from settlement.models import CreditNoteRequest

    advisor = world.staff["service_advisor"]
    world.s_ready = WorkOrderFactory(ready=True, station=world.station, advisor=advisor)
    labour_line(world.s_ready)
    world.s_part = part_line(world.s_ready, qty="2")
    world.s_settled = WorkOrderFactory(station=world.station, advisor=advisor, status="settled")
    labour_line(world.s_settled, payer="warranty")
    world.s_statement = StatementFactory(
        station=world.station, order=world.s_settled, payer="customer", number="JSACL2026000001",
        net=Decimal("300.00"), vat_rate=Decimal("0.13"), vat=Decimal("39.00"), gross=Decimal("339.00"),
        due=Decimal("339.00"), issued_by=world.staff["cashier"],
    )
    world.s_payment = PaymentFactory(
        station=world.station, statement=world.s_statement, receipt_number="SKACL2026000001", method="cash",
        amount=Decimal("339.00"), tendered=Decimal("400.00"), change=Decimal("61.00"),
        received_by=world.staff["cashier"])
    world.s_credit_request = CreditNoteRequest.objects.create(
        statement=world.s_statement, amount=Decimal("39.00"), reason="开票信息有误",
        requested_by=world.staff["cashier"])
    world.s_claim = WarrantyClaimFactory(station=world.station, order=world.s_settled, number="SPACL1",
                                         created_by=world.staff["warranty_clerk"])
    from settlement.models import ClaimBatch, OemProfile

    world.s_profile = OemProfile.objects.create(station=world.station, name="一汽丰田", dealer_code="D1",
                                                columns=[["claim_number", "索赔单号"]])
    world.s_batch = ClaimBatch.objects.create(station=world.station, profile=world.s_profile, number="SPACLB1",
                                              created_by=world.staff["warranty_clerk"])
    from reception.factories import CustomerFactory
    from settlement.models import CreditLimitApproval, FleetContract, VoucherDay

    world.l_voucher = VoucherDay.objects.create(station=world.station, day=date(2026, 11, 2), first_number=1,
                                                last_number=0, generated_by=world.staff["station_manager"])
    fleet = CustomerFactory(station=world.station, kind="fleet", name="顺丰车队")
    world.l_contract = FleetContract.objects.create(station=world.station, customer=fleet, number="FC-ACL",
                                                    credit_limit=Decimal("1000.00"),
                                                    updated_by=world.staff["station_manager"])
    world.l_approval = CreditLimitApproval.objects.create(
        contract=world.l_contract, statement=world.s_statement, amount=Decimal("339.00"), excess=Decimal("39.00"),
        requested_by=world.staff["cashier"])
    # counter sales (issue 19, item 12): a draft for the counter's pages, a confirmed one for the cashier's
    from settlement.models import CounterSale

    world.c_draft = CounterSale.objects.create(station=world.station, number="GXACL1",
                                               created_by=world.staff["parts_clerk"])
    world.c_confirmed = CounterSale.objects.create(
        station=world.station, number="GXACL2", status="confirmed", net=Decimal("100.00"), vat_rate=Decimal("0.13"),
        vat=Decimal("13.00"), gross=Decimal("113.00"), created_by=world.staff["parts_clerk"])
