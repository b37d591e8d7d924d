from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The kinds of change the workshop writes to the work order's history, with their labels.
EVENT_KINDS = {
    "dispatch": pgettext_lazy("order history", "job dispatched"),
    "reassign": _("job reassigned"),
    "clock_on": pgettext_lazy("order history", "clocked on"),
    "clock_resume": _("work resumed"),
    "clock_pause": _("work paused"),
    "clock_off": pgettext_lazy("order history", "clocked off"),
    "additional_work": _("additional work found"),
    "additional_work_decision": _("customer's decision on additional work"),
    "comeback": _("comeback review"),
    "part_not_needed": _("part not needed"),
}


class WorkshopConfig(AppConfig):
    name = "workshop"
    verbose_name = _("Workshop")

    def ready(self) -> None:
        from core.registry import registry
        from org import permissions as perm
        from reception.models import WorkOrder
        from workshop.selectors import bay_count, capacity_hours
        from workshop.services.guards import workshop_work_done
        from workshop.services.readiness import workshop_parts_issued
        from workshop.views.board import board_kiosk

        S = WorkOrder.Status
        registry.guard_add("work_order", S.IN_PROGRESS, S.QUALITY_CHECK, workshop_work_done, app="workshop")
        registry.guard_add("work_order", S.IN_PROGRESS, S.QUALITY_CHECK, workshop_parts_issued, app="workshop")
        for code, label in EVENT_KINDS.items():
            registry.event_kind_add(code, label, app="workshop")
        registry.provide("workshop.capacity", capacity_hours, app="workshop")
        registry.panel_add("order", "workshop/_order_panel.html", app="workshop", order=10)
        registry.panel_add("customer", "workshop/_customer_panel.html", app="workshop", order=20)
        registry.panel_add("desk", "workshop/_desk_panel.html", app="workshop", order=10)
        registry.menu_add(_("Workshop"), "workshop:index", perm.WORKSHOP_VIEW, "bi-tools", order=20)
        registry.kiosk_board_add("workshop", _("Workshop board"), board_kiosk, app="workshop", order=20)
        registry.setup_add("bays", _("Bays"), "workshop:bays", action=perm.SETUP, count=bay_count, app="workshop",
                           order=30, help=_("The lifts and other working places of each station's workshop."))
        registry.private_file_add("finding-photo", "workshop.FindingPhoto", "image", action=perm.WORKSHOP_VIEW,
                                  station_path="finding__station", app="workshop")
        registry.private_file_add("finding-video", "workshop.FindingVideo", "video", action=perm.WORKSHOP_VIEW,
                                  station_path="finding__station", app="workshop")
