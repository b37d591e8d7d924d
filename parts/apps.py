from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.registry import registry


class PartsConfig(AppConfig):
    name = "parts"
    verbose_name = _("Parts")

    def ready(self) -> None:
        # The counter's pages work on orders and lines by id; the order app (above us) provides them.
        registry.want("reception.work_orders", app="parts")
        registry.want("reception.work_order_lines", app="parts")
