from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.registry import registry


class ReceptionConfig(AppConfig):
    name = "reception"
    verbose_name = _("Front desk")

    def ready(self) -> None:
        from org import permissions as perm
        from parts.services import demand
        from reception import selectors
        from reception.models import EVENT_KINDS, WorkOrder
        from reception.services.campaigns import campaigns_complete_on_settle, campaigns_importer
        from reception.services.catalogue import labour_importer
        from reception.services.customer_import import customers_importer
        from reception.services.guards import estimate_signed
        from reception.services.loaners import loaners_returned
        from reception.services.order_review import large_order_reviewed
        from reception.services.warranty_terms import sanbao_days_refresh
        from reception.services.workflow import WORK_ORDER
        from reception.views.appointments import welcome_board_kiosk

        S = WorkOrder.Status
        registry.machine_add(WORK_ORDER)
        registry.guard_add("work_order", S.DRAFT, S.OPEN, estimate_signed, app="reception")
        # a large estimate is reviewed by the front-desk lead before the customer signs (issue 19, item 14)
        registry.guard_add("work_order", S.DRAFT, S.OPEN, large_order_reviewed, app="reception", order=60)
        # Parts sits below the order, so the order asks it (parts does not know the work order's statuses): issued
        # parts block a cancellation, and nothing stays reserved for a closed order — released after settlement's
        # statements are issued (order 90 > settlement's 10).
        for frm, to in ((S.DRAFT, S.CANCELLED), (S.OPEN, S.CANCELLED)):
            registry.guard_add("work_order", frm, to, demand.no_parts_on_order, app="reception")
            registry.after_add("work_order", frm, to, demand.order_release_reservations, app="reception", order=90)
        registry.after_add("work_order", S.READY, S.SETTLED, demand.order_release_reservations, app="reception",
                           order=90)
        # a loaner's charge is posted at its return, so none may be out when the order is settled (issue 19, item 10)
        registry.guard_add("work_order", S.READY, S.SETTLED, loaners_returned, app="reception")

        for code, label in EVENT_KINDS.items():
            registry.event_kind_add(code, label, app="reception")

        registry.want("workshop.capacity", app="reception")
        registry.want("settlement.order_settled", app="reception")  # the lines of a settled order never change
        registry.menu_add(_("Front desk"), "reception:index", perm.RECEPTION_VIEW, "bi-person-vcard", order=10)
        registry.kiosk_board_add("welcome", _("Welcome board (customer lounge)"), welcome_board_kiosk,
                                 app="reception", order=10)

        # Uploaded files, served only through core.files (login, permission, station of the order)
        for kind, model, field in (("estimate-signature", "reception.EstimateVersion", "signature"),
                                   ("estimate-scan", "reception.EstimateVersion", "scan"),
                                   ("order-photo", "reception.OrderPhoto", "image")):
            registry.private_file_add(kind, model, field, action=perm.RECEPTION_VIEW, station_path="order__station",
                                      app="reception")
        for kind, model, field, path in (("pickup-signature-out", "reception.PickupJob", "pickup_signature", "station"),
                                         ("pickup-signature-in", "reception.PickupJob", "delivery_signature", "station"),
                                         ("pickup-photo", "reception.PickupPhoto", "image", "job__station")):
            registry.private_file_add(kind, model, field, action=perm.RECEPTION_VIEW, station_path=path,
                                      app="reception")

        # CSV/xlsx imports (core.imports, on the workers): the labour catalogue, customers with vehicles from an old DMS
        registry.importer_add(labour_importer())
        registry.importer_add(customers_importer())

        # Recalls and service campaigns, 三包 (issue #18): a settled order closes the campaigns of its warranty
        # labour lines for its VIN, and its 三包 repairs take their final repair days.
        registry.importer_add(campaigns_importer())
        registry.after_add("work_order", S.READY, S.SETTLED, campaigns_complete_on_settle, app="reception", order=20)
        registry.after_add("work_order", S.READY, S.SETTLED, sanbao_days_refresh, app="reception", order=20)
        registry.event_kind_add("sanbao_repair", _("repair counted for 三包"), app="reception")
        registry.event_kind_add("large_order_reviewed", _("large order reviewed by the front-desk lead"),
                                app="reception")

        # Parts sits below the work order: its counter finds an order or a line by id through these.
        registry.provide("reception.work_orders", selectors.work_orders, app="reception")
        registry.provide("reception.work_order_lines", selectors.work_order_lines, app="reception")
