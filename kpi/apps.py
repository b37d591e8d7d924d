from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpiConfig(AppConfig):
    name = "kpi"
    verbose_name = _("KPI")

    def ready(self) -> None:
        from kpi import signals  # noqa: F401
