from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartsConfig(AppConfig):
    name = "parts"
    verbose_name = _("Parts")

    def ready(self) -> None:
        from core.registry import registry
        from org import permissions as perm

        # The order page's parts panel; the order's cancel/settle rules that parts offers are registered by reception
        # (parts sits below the work order and does not name its statuses).
        registry.panel_add("order", "parts/_order_panel.html", app="parts", order=20)
        registry.menu_add(_("Parts"), "parts:index", perm.PARTS_VIEW, "bi-box-seam", order=30)
