"""Which apps are the project's own: the one derivation every list of apps uses (translations, the access-map
tables, the import-layer test…), so a new app is picked up by being added to ``INSTALLED_APPS`` and nowhere else.

An app is the project's own when its package is a folder directly under ``BASE_DIR`` (``reception/``, ``org/``…);
Django's and third-party apps live elsewhere, and a virtualenv inside the project (``.venv/…/site-packages``) is not
directly under it.
"""

from __future__ import annotations

from pathlib import Path

from django.apps import AppConfig, apps
from django.conf import settings


def apps_list() -> list[AppConfig]:
    """The project's own apps, in ``INSTALLED_APPS`` order."""
    base = Path(settings.BASE_DIR).resolve()
    return [config for config in apps.get_app_configs() if Path(config.path).resolve().parent == base]


def app_modules() -> list[str]:
    """Their top-level package names (``org``, not its label ``aftersales``)."""
    return [config.name.split(".")[0] for config in apps_list()]


def app_labels() -> set[str]:
    """Their app labels (``aftersales`` for org: the label that names its tables)."""
    return {config.label for config in apps_list()}
