from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Customer care")

    def ready(self) -> None:
        from complaints.models import ComplaintEvent
        from complaints.services.complaints import COMPLAINT
        from complaints.services.followups import followup_create_for_order
        from core.registry import registry
        from org import permissions as perm
        from reception.models import WorkOrder

        registry.machine_add(COMPLAINT)
        for code, label in ComplaintEvent.Kind.choices:
            registry.event_kind_add(code, label, app="complaints", log="complaint")

        S = WorkOrder.Status
        # Delivery opens the follow-up call (after settlement's hand-over stamp, order 10).
        registry.after_add("work_order", S.SETTLED, S.DELIVERED, followup_create_for_order, app="complaints")

        registry.panel_add("order", "complaints/_order_panel.html", app="complaints", order=40)
        registry.panel_add("customer", "complaints/_customer_panel.html", app="complaints", order=10)
        registry.panel_add("customer", "complaints/_consent_panel.html", app="complaints", order=15)
        registry.panel_add("desk", "complaints/_desk_panel.html", app="complaints", order=30)
        registry.menu_add(_("Customer care"), "complaints:index", perm.COMPLAINTS_VIEW, "bi-headset", order=40)
        registry.menu_add(_("Messages"), "complaints:messages", perm.MESSAGES_VIEW, "bi-envelope", order=45)
