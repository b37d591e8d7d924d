"""What every page needs for its navigation bar: the menu the user may open and the station switcher."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from org import permissions as perm
from org import selectors

# (label, url name, action needed, icon)
MENU = [
    (_("Front desk"), "reception:index", perm.RECEPTION_VIEW, "bi-person-vcard"),
    (_("Workshop"), "workshop:index", perm.WORKSHOP_VIEW, "bi-tools"),
    (_("Parts"), "parts:index", perm.PARTS_VIEW, "bi-box-seam"),
    (_("Customer care"), "complaints:index", perm.COMPLAINTS_VIEW, "bi-headset"),
    (_("Dashboards"), "kpi:index", perm.KPI_VIEW, "bi-graph-up"),
    (_("Organisation"), "org:chart", perm.ORG_VIEW, "bi-diagram-3"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    menu = [
        {"label": label, "url": reverse(name), "icon": icon, "active": request.path.startswith(reverse(name))}
        for label, name, action, icon in MENU
        if perm.has_action(user, action)
    ]
    stations = list(selectors.visible_stations(user)) if len(selectors.visible_station_ids(user)) > 1 else []
    return {
        "nav_menu": menu,
        "nav_stations": stations,
        "nav_station": selectors.current_station(request),
    }
