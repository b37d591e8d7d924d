"""Start-up check of the registry: every entry an app registered must resolve, or the site does not start.

Registered in ``CoreConfig.ready()``; runs with every management command that checks (``runserver``, ``migrate``,
``check --deploy``…) and in the test suite (``core/tests/test_checks.py``).
"""

from __future__ import annotations

from django.apps import apps
from django.core.checks import Error, register
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse

from core.models import Observed
from core.registry import Registry, registry


@register("registry")
def registry_check(app_configs=None, **kwargs) -> list[Error]:
    return check_registry(registry)


def check_registry(reg: Registry) -> list[Error]:
    errors: list[Error] = []
    for what, machine, pair, hook in reg.hooks():
        known = reg.machines.get(machine)
        if known is None:
            errors.append(Error(
                f"{hook.app} registers {what} {hook.name} on state machine {machine!r}, which nobody registered.",
                hint="Register the machine with registry.machine_add() in its app's ready(), or fix the name.",
                id="core.E001",
            ))
        elif pair not in known.rules:
            errors.append(Error(
                f"{hook.app} registers {what} {hook.name} on {machine} {pair[0]} → {pair[1]}, a transition the "
                f"table does not have.",
                hint=f"Allowed pairs: {', '.join(f'{f}→{t}' for f, t in known.rules)}.",
                id="core.E002",
            ))
    for panel in reg.panels:
        try:
            get_template(panel.template)
        except TemplateDoesNotExist:
            errors.append(Error(
                f"{panel.app} adds panel {panel.template!r} to slot {panel.slot!r}, but the template does not exist.",
                id="core.E003",
            ))
    for name, app in reg.wanted.items():
        if name not in reg.providers:
            errors.append(Error(
                f"{app} wants {name!r}, which no installed app provides.",
                hint="Provide it with registry.provide() in the providing app's ready().",
                id="core.E004",
            ))
    for label, hooks in reg.listeners.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            model = None
        for hook in hooks:
            if model is None:
                errors.append(Error(f"{hook.app} listens to {label!r}, which is not a model.", id="core.E005"))
            elif not issubclass(model, Observed):
                errors.append(Error(
                    f"{hook.app} listens to {label!r}, but {model.__name__} does not inherit core.models.Observed, "
                    f"so its saves are never reported.",
                    id="core.E006",
                ))
    for entry in reg.menu:
        try:
            reverse(entry.url_name)
        except NoReverseMatch:
            errors.append(Error(f"The menu entry {entry.label!s} names URL {entry.url_name!r}, which does not exist.",
                                id="core.E007"))
    return errors
