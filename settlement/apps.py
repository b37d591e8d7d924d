from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The kinds of change settlement writes to the work order's history.
ORDER_EVENT_KINDS = {
    "settlement": pgettext_lazy("order history", "settled"),
    "payment": pgettext_lazy("order history", "payment received"),
    "credit_note": pgettext_lazy("order history", "credit note issued"),
    "credit_note_requested": _("credit note requested"),
    "credit_note_decided": _("credit note request decided"),
    "supplement": _("supplementary statement issued"),
    "reconcile": _("part quantity difference resolved"),
    "insurance": _("insurance claim recorded"),
    "insurance_paid": _("insurer's payment received"),
    "delivery_signed": _("customer signed at delivery"),
    "invoice": _("VAT invoice recorded"),
    "document_reprinted": _("issued document reprinted"),
    "credit_limit_requested": _("credit above the fleet's limit requested"),
    "credit_limit_decided": _("credit above the fleet's limit decided"),
    "remittance": _("fleet account cleared by a remittance"),
    "package_used": _("service package used"),
    "coupon_redeemed": _("coupon redeemed"),
}

# The kinds of the warranty claim's own history.
CLAIM_EVENT_KINDS = {
    "transition": _("claim status changed"),
    "created": pgettext_lazy("warranty claim event", "claim drafted"),
    "edited": _("claim edited"),
    "photo": _("claim photo added"),
    "appraisal": _("technical appraisal"),
    "billed_to_customer": _("rejected amount billed to the customer"),
}


COUNTER_EVENT_KINDS = {
    "counter_sale.create": pgettext_lazy("parts event", "counter sale started"),
    "counter_sale.confirm": pgettext_lazy("parts event", "counter sale confirmed, stock issued"),
    "counter_sale.payment": pgettext_lazy("parts event", "counter sale payment received"),
    "counter_sale.invoice": pgettext_lazy("parts event", "counter sale VAT invoice recorded"),
    "counter_sale.package": pgettext_lazy("parts event", "prepaid package sold at the counter"),
}


class SettlementConfig(AppConfig):
    name = "settlement"
    verbose_name = _("Settlement")

    def ready(self) -> None:
        from core.registry import registry
        from org import permissions as perm
        from reception.models import WorkOrder
        from settlement import tasks
        from settlement.models import WarrantyClaim
        from settlement.services import claim_exchange, claims, delivery, fleet, reconcile, settle

        S = WorkOrder.Status
        registry.guard_add("work_order", S.READY, S.SETTLED, reconcile.ready_to_settle, app="settlement")
        # Statements first: parts' release of reservations (order 90) runs after them.
        registry.after_add("work_order", S.READY, S.SETTLED, settle.statements_issue, app="settlement", order=10)
        registry.guard_add("work_order", S.SETTLED, S.DELIVERED, delivery.ready_to_deliver, app="settlement")
        registry.after_add("work_order", S.SETTLED, S.DELIVERED, delivery.stamp_hand_over, app="settlement", order=10)

        C = WarrantyClaim.Status
        registry.machine_add(claims.CLAIM)
        registry.guard_add("warranty_claim", C.DRAFT, C.SUBMITTED, claims.claim_ready_to_submit, app="settlement")

        for code, label in ORDER_EVENT_KINDS.items():
            registry.event_kind_add(code, label, app="settlement")
        for code, label in CLAIM_EVENT_KINDS.items():
            registry.event_kind_add(code, label, app="settlement", log="warranty_claim")

        registry.provide("settlement.order_settled", settle.order_settled, app="settlement")
        registry.importer_add(claim_exchange.decisions_importer())  # the carmaker's claim decisions (issue #18)
        registry.provide("settlement.customer_price_terms", fleet.customer_price_terms, app="settlement")
        # documents kept as issued at the moment of issue (settlement.issued_render, out of the request)
        registry.listen("settlement.statement", tasks.on_statement_saved, app="settlement")
        registry.listen("settlement.payment", tasks.on_payment_saved, app="settlement")
        registry.panel_add("order", "settlement/_order_panel.html", app="settlement", order=30)
        registry.panel_add("desk", "settlement/_desk_panel.html", app="settlement", order=20)
        registry.panel_add("customer", "settlement/_customer_panel.html", app="settlement", order=30)
        # counter sales write to the parts history (the stock they issue is there too)
        for code, label in COUNTER_EVENT_KINDS.items():
            registry.event_kind_add(code, label, app="settlement", log="parts")
        registry.menu_add(_("Counter sales"), "settlement:counter_sales", perm.PARTS_COUNTER, "bi-bag", order=35)
        registry.panel_add("vehicle", "settlement/_vehicle_panel.html", app="settlement", order=30)
        registry.private_file_add("claim-photo", "settlement.WarrantyClaimPhoto", "image", action=perm.SETTLEMENT_VIEW,
                                  station_path="claim__station", app="settlement")
        registry.private_file_add("delivery-signature", "settlement.Delivery", "signature", action=perm.SETTLEMENT_VIEW,
                                  station_path="order__station", app="settlement")
        # the stored bytes of an issued document (also served by the document views: stored, or stamped reprint)
        registry.private_file_add("issued-document", "settlement.IssuedDocument", "file",
                                  action=perm.SETTLEMENT_VIEW, station_path="station", app="settlement")
        registry.private_file_add("invoice-file", "settlement.Invoice", "file", action=perm.SETTLEMENT_VIEW,
                                  station_path="station", app="settlement")
