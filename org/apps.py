from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    """Staff, stations, positions, authority and the permission map. The label stays ``aftersales`` so no table
    moves (the app was called that before the project's configuration moved to ``config/``)."""

    name = "org"
    label = "aftersales"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from core.registry import registry
        from org import permissions as perm

        registry.menu_add(_("Organisation"), "org:chart", perm.ORG_VIEW, "bi-diagram-3", order=60)
