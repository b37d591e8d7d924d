from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.registry import registry

# The kinds of the parts department's audit trail (PartsEvent), with their labels.
EVENT_KINDS = {
    "reservation": pgettext_lazy("parts event", "reservation changed"),
    "location": _("bin and min/max changed"),
    "supersession": _("part superseded"),
    "import": _("catalogue imported"),
    "price_policy": _("price policy changed"),
    "purchase_order.created": _("purchase order created"),
    "purchase_order.placed": _("purchase order placed"),
    "purchase_order.cancelled": _("purchase order cancelled"),
    "purchase_order.received": _("purchase order received"),
    "supplier_return.closed": _("supplier return closed"),
    "request.created": _("parts request created"),
    "request.cancelled": _("parts request cancelled"),
    "stocktake.created": _("stocktake started"),
    "stocktake.submitted": _("stocktake submitted"),
    "stocktake.approved": _("stocktake approved"),
    "stocktake.cancelled": _("stocktake cancelled"),
    "scrap.requested": _("scrap requested"),
    "scrap.approved": _("scrap approved"),
    "scrap.rejected": _("scrap rejected"),
    "lost_sale.lost": pgettext_lazy("parts event", "lost sale"),
    "lost_sale.emergency": pgettext_lazy("parts event", "emergency purchase"),
    "warehouse.created": _("warehouse added"),
    "warehouse.changed": _("warehouse changed"),
    "supplier.created": _("supplier added"),
    "supplier.changed": _("supplier changed"),
    "station_transfer.created": _("transfer to another station created"),
    "station_transfer.shipped": _("transfer shipped to the other station"),
    "station_transfer.received": _("transfer received from the other station"),
}


class PartsConfig(AppConfig):
    name = "parts"
    verbose_name = _("Parts")

    def ready(self) -> None:
        from org import permissions as perm
        from parts import selectors
        from parts.services.catalogue import parts_importer

        # The order page's parts panel; the order's cancel/settle rules that parts offers are registered by reception
        # (parts sits below the work order and does not name its statuses).
        for code, label in EVENT_KINDS.items():
            registry.event_kind_add(code, label, app="parts", log="parts")
        registry.panel_add("order", "parts/_order_panel.html", app="parts", order=20)
        registry.menu_add(pgettext_lazy("menu", "Parts"), "parts:index", perm.PARTS_VIEW, "bi-box-seam", order=30)
        registry.setup_add("warehouses", _("Warehouses"), "parts:warehouses", action=perm.SETUP,
                           count=selectors.warehouse_count, app="parts", order=40,
                           help=_("Each station's store rooms; the first one is the main warehouse."))
        registry.setup_add("suppliers", _("Suppliers"), "parts:suppliers", action=perm.SETUP,
                           count=selectors.supplier_count, app="parts", order=50,
                           help=_("Who each station orders parts from, with the usual lead time."))
        # The counter's pages work on orders and lines by id; the order app (above us) provides them.
        registry.importer_add(parts_importer())  # CSV/xlsx catalogue import (core.imports, on the workers)
        registry.want("reception.work_orders", app="parts")
        registry.want("reception.work_order_lines", app="parts")
