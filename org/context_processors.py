"""What every page needs for its navigation bar: the menu the user may open and the station switcher.

The menu entries are registered by each app in its ``AppConfig.ready()`` (``registry.menu_add``), ordered by ``order``.
"""

from __future__ import annotations

from django.urls import reverse

from core.registry import registry
from org import permissions as perm
from org import selectors


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    menu = []
    for m in registry.menu_entries():
        if perm.has_action(user, m.action):
            url = reverse(m.url_name)  # once per entry: reverse() is most of this processor's time
            menu.append({"label": m.label, "url": url, "icon": m.icon, "active": request.path.startswith(url)})
    stations = list(selectors.visible_stations(user)) if len(selectors.visible_station_ids(user)) > 1 else []
    return {
        "nav_menu": menu,
        "nav_stations": stations,
        "nav_station": selectors.current_station(request),
    }
