"""Settlement URLs, mounted under /settlement/ (namespace "settlement").

Documents and settlement pages live under orders/<id>/…, the cashier under payments/…, warranty claims under
claims/…. They were mounted under /reception/ until the architecture of issue 12; ``moved_urlpatterns`` (mounted
there by config/urls.py) sends every old address to the new one.
"""

from django.urls import path

from settlement.views import (
    claim_exchange,
    claims,
    counter_sales,
    delivery,
    documents,
    fleet,
    invoices,
    ledger,
    moved,
    packages,
    settle,
)

app_name = "settlement"

urlpatterns = [
    # printed documents
    path("orders/<int:pk>/work-order.pdf", documents.work_order_pdf, name="work_order_pdf"),
    path("orders/<int:pk>/settlement.pdf", documents.settlement_pdf, name="settlement_pdf"),
    path("orders/<int:pk>/pre-inspection.pdf", documents.pre_inspection_pdf, name="pre_inspection_pdf"),
    path("orders/<int:pk>/settlement/pick-list.pdf", documents.pick_list_pdf, name="pick_list_pdf"),
    path("orders/<int:pk>/settlement/statements/<int:statement_pk>.pdf", documents.statement_pdf,
         name="statement_pdf"),
    path("orders/<int:pk>/delivery/note.pdf", documents.delivery_note_pdf, name="delivery_note_pdf"),
    path("orders/<int:pk>/settlement/print/<slug:doc>/", documents.print_preview, name="print_preview"),
    # settlement
    path("orders/<int:pk>/settlement/", settle.order_settlement, name="order"),
    path("orders/<int:pk>/settlement/lines/<int:line_pk>/resolve/", settle.resolve_difference, name="resolve"),
    path("orders/<int:pk>/settlement/settle/", settle.settle, name="settle"),
    path("orders/<int:pk>/settlement/statements/<int:statement_pk>/credit-note/", settle.credit_note,
         name="credit_note"),
    path("credit-notes/requests/", settle.credit_requests, name="credit_requests"),
    path("credit-notes/requests/<int:pk>/decide/", settle.credit_request_decide, name="credit_request_decide"),
    path("orders/<int:pk>/settlement/insurance/", claims.insurance_edit, name="insurance"),
    path("orders/<int:pk>/settlement/insurance/paid/", claims.insurance_paid, name="insurance_paid"),
    path("orders/<int:pk>/settlement/warranty-claim/", claims.claim_create, name="claim_create"),
    # delivery
    path("orders/<int:pk>/delivery/", delivery.delivery, name="delivery"),
    # cashier
    path("payments/", settle.desk, name="desk"),
    path("payments/panel/", settle.desk_panel, name="desk_panel"),
    path("payments/statements/<int:pk>/", settle.payment_new, name="payment_new"),
    path("payments/<int:pk>/receipt.pdf", documents.receipt_pdf, name="receipt_pdf"),
    # VAT invoices (发票)
    path("invoices/", invoices.to_issue, name="invoices_to_issue"),
    path("payments/statements/<int:pk>/invoice/", invoices.invoice_new, name="invoice_new"),
    path("customers/<int:pk>/invoice-details/", invoices.customer_details, name="customer_invoice_details"),
    # warranty claims
    path("claims/", claims.claim_list, name="claims"),
    path("claims/appraisal/", claims.appraisal_queue, name="appraisal_queue"),
    path("claims/exchange/", claim_exchange.claim_exchange, name="claim_exchange"),
    path("claims/exchange/profiles/<int:pk>/batch/", claim_exchange.claim_batch_create, name="claim_batch_create"),
    path("claims/exchange/batches/<int:pk>/file/", claim_exchange.claim_batch_file, name="claim_batch_file"),
    path("claims/exchange/decisions/", claim_exchange.claim_decision_import, name="claim_decision_import"),
    path("claims/<int:pk>/", claims.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/edit/", claims.claim_edit, name="claim_edit"),
    path("claims/<int:pk>/photos/", claims.claim_photo, name="claim_photo"),
    path("claims/<int:pk>/appraise/", claims.claim_appraisal, name="claim_appraise"),
    path("claims/<int:pk>/transition/", claims.claim_move, name="claim_transition"),
    path("claims/<int:pk>/bill-customer/", claims.claim_bill_customer, name="claim_bill_customer"),
    path("claims/<int:pk>/form.pdf", documents.claim_pdf, name="claim_pdf"),
]

# The old /reception/<path> of every URL above: each redirects to /settlement/<path> with its query string.
moved_urlpatterns = [path(str(p.pattern), moved.to_settlement) for p in urlpatterns]

# issue 18 (ledger): the voucher file, receivables, fleet accounts (new, so not among the moved addresses)

urlpatterns += [
    path("ledger/vouchers/", ledger.vouchers, name="vouchers"),
    path("ledger/vouchers/<int:pk>.csv", ledger.voucher_csv, name="voucher_csv"),
    path("ledger/vouchers/<int:pk>.xlsx", ledger.voucher_xlsx, name="voucher_xlsx"),
    path("ledger/accounts/", ledger.accounts, name="accounts"),
    path("ledger/receivables/", ledger.receivables, name="receivables"),
    path("ledger/receivables/<slug:kind>/", ledger.payer, name="payer"),
    path("ledger/receivables/<slug:kind>/apply/", ledger.remittance, name="remittance"),
    path("ledger/receivables/<slug:kind>/statement.pdf", ledger.payer_pdf, name="payer_pdf"),
    path("ledger/fleet/", fleet.contracts, name="fleet"),
    path("ledger/fleet/new/", fleet.contract_new, name="fleet_new"),
    path("ledger/fleet/<int:pk>/", fleet.contract_detail, name="fleet_contract"),
    path("ledger/fleet/<int:pk>/edit/", fleet.contract_edit, name="fleet_edit"),
    path("ledger/fleet/<int:pk>/drivers/", fleet.driver_add, name="fleet_driver_add"),
    path("ledger/fleet/<int:pk>/statement.pdf", fleet.monthly_pdf, name="fleet_pdf"),
    path("ledger/credit/statements/<int:pk>/", fleet.credit_request, name="credit_request"),
    path("ledger/credit/approvals/", fleet.credit_approvals, name="credit_approvals"),
    path("ledger/credit/approvals/<int:pk>/decide/", fleet.credit_decide, name="credit_decide"),
    # service packages and coupons (issue 19 item 8)
    path("ledger/packages/", packages.package_list, name="packages"),
    path("ledger/packages/new/", packages.package_new, name="package_new"),
    path("ledger/coupons/", packages.coupon_list, name="coupons"),
    path("ledger/coupons/new/", packages.coupon_new, name="coupon_new"),
    path("orders/<int:pk>/packages/", packages.order_packages, name="order_packages"),
    # counter sales of parts, accessories and extended warranties without a work order (issue 19, item 12)
    path("counter/", counter_sales.counter_sales, name="counter_sales"),
    path("counter/<int:pk>/", counter_sales.counter_sale, name="counter_sale"),
    path("counter/<int:pk>/parts/", counter_sales.counter_part_add, name="counter_part_add"),
    path("counter/<int:pk>/warranty/", counter_sales.counter_warranty_add, name="counter_warranty_add"),
    path("counter/<int:pk>/package/", counter_sales.counter_package_add, name="counter_package_add"),
    path("counter/<int:pk>/lines/<int:line_pk>/delete/", counter_sales.counter_line_delete, name="counter_line_delete"),
    path("counter/<int:pk>/confirm/", counter_sales.counter_confirm, name="counter_confirm"),
    path("counter/to-pay/", counter_sales.counter_to_pay, name="counter_to_pay"),
    path("counter/<int:pk>/payment/", counter_sales.counter_payment, name="counter_payment"),
    path("counter/<int:pk>/invoice/", invoices.counter_invoice_new, name="counter_invoice_new"),
    path("counter/<int:pk>/receipt.pdf", counter_sales.counter_receipt_pdf, name="counter_receipt_pdf"),
]
