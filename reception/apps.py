from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.registry import registry


class ReceptionConfig(AppConfig):
    name = "reception"
    verbose_name = _("Front desk")

    def ready(self) -> None:
        from reception import selectors

        # Parts sits below the work order: its counter finds an order or a line by id through these.
        registry.provide("reception.work_orders", selectors.work_orders, app="reception")
        registry.provide("reception.work_order_lines", selectors.work_order_lines, app="reception")
