from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpiConfig(AppConfig):
    name = "kpi"
    verbose_name = _("KPI")

    def ready(self) -> None:
        from core.registry import registry
        from kpi import signals  # noqa: F401
        from org import permissions as perm

        registry.menu_add(_("Dashboards"), "kpi:index", perm.KPI_VIEW, "bi-graph-up", order=50)
