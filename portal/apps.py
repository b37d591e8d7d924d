from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The kinds of change the customer's link writes to the work order's history.
ORDER_EVENT_KINDS = {
    "link_issued": _("customer link issued"),
    "link_revoked": _("customer link revoked"),
    "link_signed": _("customer signed on the link"),
}


class PortalConfig(AppConfig):
    """The customer's side: pages a car owner opens on a phone without a staff login — the work order's link
    (``/c/<token>/``: status, approvals, documents, survey) and online booking (``/book/<station>/``). Everything under
    these two prefixes can be exposed to the internet on its own while the staff pages stay on the intranet
    (``deploy/nginx``). Writes go through the departments' services, exactly as the desk's do."""

    name = "portal"
    verbose_name = _("Customer pages")

    def ready(self) -> None:
        self._ready_link()

    def _ready_link(self) -> None:
        from core.registry import registry
        from org import permissions as perm
        from portal.services.link_hooks import on_order_event

        for code, label in ORDER_EVENT_KINDS.items():
            registry.event_kind_add(code, label, app="portal")
        registry.listen("reception.WorkOrderEvent", on_order_event, app="portal")
        registry.panel_add("order", "portal/link/_order_panel.html", app="portal", order=45)
        registry.private_file_add("link-signature", "portal.LinkApproval", "signature", action=perm.RECEPTION_VIEW,
                                  station_path="order__station", app="portal")
