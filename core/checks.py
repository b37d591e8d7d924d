"""Start-up check of the registry: every entry an app registered must resolve, or the site does not start.

Registered in ``CoreConfig.ready()``; runs with every management command that checks (``runserver``, ``migrate``,
``check --deploy``…) and in the test suite (``core/tests/test_checks.py``).
"""

from __future__ import annotations

from django.apps import apps
from django.core.checks import Error, register
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db import models
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse

from core.files import PrivateUploadTo
from core.models import Observed
from core.project import app_modules
from core.registry import Registry, registry


@register("registry")
def registry_check(app_configs=None, **kwargs) -> list[Error]:
    return check_registry(registry) + check_every_file_is_private(registry)


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
    actions = reg.call("org.all_actions") if reg.provided("org.all_actions") else None
    for section in reg.setup_sections.values():
        try:
            reverse(section.url_name)
        except NoReverseMatch:
            errors.append(Error(f"{section.app} adds set-up section {section.key!r} with URL {section.url_name!r}, "
                                f"which does not exist.", id="core.E013"))
        if actions is not None and section.action not in actions:
            errors.append(Error(f"Set-up section {section.key!r} needs unknown action {section.action!r}.",
                                id="core.E014"))
    errors += _check_private_files(reg)
    errors += _check_importers(reg)
    return errors


def _check_importers(reg: Registry) -> list[Error]:
    """Every import kind names a known permission action and pages that exist, and no header spelling matches two columns."""
    errors: list[Error] = []
    actions = reg.call("org.all_actions") if reg.provided("org.all_actions") else None
    for kind, importer in reg.importers.items():
        if actions is not None and importer.action not in actions:
            errors.append(Error(f"Import {kind!r} needs unknown action {importer.action!r}.", id="core.E013"))
        for url_name in filter(None, (importer.upload_url, importer.back_url)):
            try:
                reverse(url_name)
            except NoReverseMatch:
                errors.append(Error(f"Import {kind!r} names URL {url_name!r}, which does not exist.", id="core.E014"))
        seen: dict[str, str] = {}
        for column in importer.columns:
            for header in column.headers():
                if header in seen and seen[header] != column.key:
                    errors.append(Error(f"Import {kind!r}: header {header!r} would match both {seen[header]!r} and "
                                        f"{column.key!r}.", id="core.E015"))
                seen[header] = column.key
    return errors


def _check_private_files(reg: Registry) -> list[Error]:
    """Every registered private file resolves to a file field stored under random names, with a station path and a
    known action."""
    errors: list[Error] = []
    actions = reg.call("org.all_actions") if reg.provided("org.all_actions") else None
    for entry in reg.private_files.values():
        try:
            model = apps.get_model(entry.model)
            field = model._meta.get_field(entry.field)
        except (LookupError, ValueError, FieldDoesNotExist):
            errors.append(Error(f"{entry.app} registers private file {entry.kind!r} as {entry.model}.{entry.field}, "
                                f"which does not exist.", id="core.E008"))
            continue
        if not isinstance(field, models.FileField) or not isinstance(field.upload_to, PrivateUploadTo):
            errors.append(Error(f"Private file {entry.kind!r}: {entry.model}.{entry.field} must be a FileField with "
                                f"upload_to=core.files.PrivateUploadTo(...).", id="core.E009"))
        if not _lookup_ok(model, entry.station_path):
            errors.append(Error(f"Private file {entry.kind!r}: station path {entry.station_path!r} does not resolve "
                                f"on {entry.model}.", id="core.E010"))
        if actions is not None and entry.action not in actions:
            errors.append(Error(f"Private file {entry.kind!r} needs unknown action {entry.action!r}.", id="core.E011"))
    return errors


def check_every_file_is_private(reg: Registry) -> list[Error]:
    """Every file field of the project's apps is registered: an upload served without checks, or one nobody can
    reach, is a mistake."""
    errors: list[Error] = []
    project = set(app_modules())
    for model in apps.get_models():
        if model._meta.app_config.name not in project:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and reg.private_file_for(model._meta.label, field.name) is None:
                errors.append(Error(
                    f"{model._meta.label}.{field.name} is an uploaded file that is not registered as a private file.",
                    hint="Register it with registry.private_file_add() in its app's ready().", id="core.E012"))
    return errors


def _lookup_ok(model, path: str) -> bool:
    try:
        str(model.objects.filter(**{f"{path}__in": [0]}).query)
    except FieldError:
        return False
    return True
