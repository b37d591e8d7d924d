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
        from org.selectors import visible_station_ids

        # core's private-file view asks who may see what (core imports no app)
        registry.provide("org.has_action", perm.has_action, app="org")
        registry.provide("org.visible_station_ids", visible_station_ids, app="org")
        registry.provide("org.all_actions", lambda: perm.ALL_ACTIONS, app="org")
        registry.menu_add(_("Organisation"), "org:chart", perm.ORG_VIEW, "bi-diagram-3", order=60)
        registry.menu_add(_("Staff survey"), "org:staff_survey", perm.STAFF_SURVEY, "bi-emoji-smile", order=65)
        registry.menu_add(_("Set-up"), "setup:index", perm.SETUP, "bi-gear", order=70)
