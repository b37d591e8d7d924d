from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The customer's side: pages a car owner opens on a phone without a staff login — the work order's link
    (``/c/<token>/``: status, approvals, documents, survey) and online booking (``/book/<station>/``). Everything under
    these two prefixes can be exposed to the internet on its own while the staff pages stay on the intranet
    (``deploy/nginx``). Writes go through the departments' services, exactly as the desk's do."""

    name = "portal"
    verbose_name = _("Customer pages")
