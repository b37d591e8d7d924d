from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The kernel: imports Django and nothing of any department."""

    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from core import checks  # noqa: F401 - registers the registry's start-up check
        from core.registry import registry

        registry.want("org.has_action", app="core")  # core.files: who may see a private file
        registry.want("org.visible_station_ids", app="core")
