"""A small state-machine helper: a rule table and one function that moves a row along it.

A ``Machine`` names the model and its status field, holds the table ``{(from, to): Rule}`` and the two things core
cannot know: who may do what (``may(by, action)``, given by the app that defines the machine — core does not import
org) and how an event row is written (``record``). Apps above the machine's owner add guards, after-hooks and
on-commit hooks through ``core.registry`` for a (machine, from, to) pair.

``transition`` always runs in this order, in one transaction:

1. lock the row (``select_for_update``) and read its current status;
2. the rule for (current, to) must exist, else ``TransitionError`` with the machine's "cannot go" message;
3. the person must hold the rule's action (or one of its extra actions);
4. a note when the rule needs one; the fields the rule ``needs`` must be filled;
5. the guards registered for the pair, in order (each raises ``DomainError`` to refuse);
6. ``prepare(obj)`` if the caller gave one (checks and field changes that depend on the call's own arguments);
7. status and stamp are set, the row saved, the event written;
8. the after-hooks registered for the pair run (still inside the transaction: if one fails, everything rolls back);
9. the on-commit hooks registered for the pair are scheduled with ``transaction.on_commit``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError, TransitionError
from core.registry import registry


@dataclass(frozen=True)
class Rule:
    """One allowed (from, to) pair."""

    action: str | None = None  # the permission action needed; None: the caller decides who may (see complaints)
    stamp: str | None = None  # a datetime field set to now on this transition
    note_required: bool = False
    extra_actions: tuple[str, ...] = ()  # any of these also allows the transition
    needs: tuple[str, ...] = ()  # fields that must be filled before the move

    @property
    def actions(self) -> tuple[str, ...]:
        return (self.action, *self.extra_actions) if self.action else ()


@dataclass(eq=False)
class Machine:
    name: str
    model: type[models.Model]
    status_field: str
    rules: dict[tuple[str, str], Rule]
    record: Callable[..., Any]  # record(obj, *, old, new, by, note) writes the event row
    may: Callable[[Any, str], bool] = field(default=lambda by, action: False)
    kwarg: str = "obj"  # the keyword guards and hooks receive the row under (``order`` for the work order)
    touch: tuple[str, ...] = ()  # fields always saved with the status (``updated_at``)
    save_all: bool = False  # save every field (the caller changed others on the locked row before the move)
    reload: bool = True  # read the row afresh under the lock; False: keep the caller's (already locked) instance
    cannot: Any = gettext_lazy("This cannot go from “%(old)s” to “%(new)s”.")
    not_permitted: Any = gettext_lazy("Your position may not make this change.")
    note_missing: Any = gettext_lazy("Please give a reason.")

    def label(self, value: str) -> str:
        choices = dict(self.model._meta.get_field(self.status_field).choices or ())
        return str(choices.get(value, value))

    def permits(self, by, rule: Rule) -> bool:
        return not rule.actions or any(self.may(by, a) for a in rule.actions)

    def targets(self, obj, by) -> list[str]:
        """The statuses this person could move ``obj`` to now (guards not evaluated)."""
        status = getattr(obj, self.status_field)
        return [to for (frm, to), rule in self.rules.items() if frm == status and self.permits(by, rule)]

    def call(self, hook, obj, by) -> Any:
        return hook.fn(**{self.kwarg: obj}, by=by)


def transition(
    machine: Machine, *, obj, to: str, by, note: str = "",
    prepare: Callable[[Any], Iterable[str]] | None = None,
):
    """Move ``obj`` to ``to`` along ``machine``'s table; returns the (locked, saved) row.

    ``prepare(obj)`` runs after the table's and the registry's checks, may refuse with DomainError, may change fields
    on ``obj`` and returns the names of those fields so they are saved with the status.
    """
    to = str(to)
    with transaction.atomic():
        locked = machine.model.objects.select_for_update()
        if machine.reload:
            obj = locked.get(pk=obj.pk)
        else:
            setattr(obj, machine.status_field, locked.values_list(machine.status_field, flat=True).get(pk=obj.pk))
        old = str(getattr(obj, machine.status_field))
        rule = machine.rules.get((old, to))
        if rule is None:
            raise TransitionError(str(machine.cannot) % {"old": machine.label(old), "new": machine.label(to)})
        if not machine.permits(by, rule):
            raise TransitionError(str(machine.not_permitted))
        if rule.note_required and not (note or "").strip():
            raise TransitionError(str(machine.note_missing), field="note")
        for name in rule.needs:
            f = obj._meta.get_field(name)
            if not getattr(obj, f.attname):
                raise DomainError(_("Please fill in “%(field)s”.") % {"field": f.verbose_name}, field=name)
        for guard in registry.guards_for(machine.name, old, to):
            machine.call(guard, obj, by)
        fields = [machine.status_field, *machine.touch]
        if prepare is not None:
            fields += [f for f in prepare(obj) or () if f not in fields]
        setattr(obj, machine.status_field, to)
        if rule.stamp:
            setattr(obj, rule.stamp, timezone.now())
            fields.append(rule.stamp)
        if machine.save_all:
            obj.save()
        else:
            obj.save(update_fields=fields)
        machine.record(obj, old=old, new=to, by=by, note=note)
        for hook in registry.after_for(machine.name, old, to):
            machine.call(hook, obj, by)
        for hook in registry.commit_for(machine.name, old, to):
            transaction.on_commit(lambda hook=hook, pk=obj.pk: _on_commit(machine, hook, pk, by))
    return obj


def _on_commit(machine: Machine, hook, pk, by) -> None:
    """On-commit hooks get the row as committed (another request may have moved it since)."""
    machine.call(hook, machine.model.objects.get(pk=pk), by)
