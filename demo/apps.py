from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo dealer group, built through every department's services (``manage.py seed_demo``)."""

    name = "demo"
    verbose_name = _("Demo data")
