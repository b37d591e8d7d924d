from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo dealer group, built through every department's services (``manage.py seed_demo``). The top layer:
    it may import any app; no app imports it."""

    name = "demo"
