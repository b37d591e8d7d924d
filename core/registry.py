"""How apps reach each other: one registry, filled in each app's ``AppConfig.ready()``.

An app calls a lower layer by a plain top-level import. A lower layer learns about a higher one only through this
registry: the higher app registers what it offers (a guard on a transition, an after-hook, an event kind and its
label, a panel on a page, a menu entry, a step of the set-up checklist, a provider of a named service, a listener for
saved rows), and the lower app asks the registry for it by a name it owns. Nothing here imports a department;
``core.checks`` verifies at start-up that every entry resolves (a machine's transition exists, a template exists, a
provider wanted is provided).

Entries are kept in registration order; ``order=`` sorts them where order matters (panels, menu, hooks).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class EventKind:
    """A kind of audit event an app writes (``clock_on``, ``payment``…), with its translated label."""

    code: str
    label: Any  # a lazy translation
    app: str
    log: str = ""  # which history the kind is written to: "" the work order's, else a machine's name


@dataclass(frozen=True)
class Panel:
    """A template fragment another app adds to a page slot (``order``, ``customer``, ``desk``)."""

    slot: str
    template: str
    app: str
    order: int = 50


@dataclass(frozen=True)
class MenuEntry:
    label: Any
    url_name: str
    action: str  # the permission action needed to see it
    icon: str
    order: int = 50


@dataclass(frozen=True)
class SetupSection:
    """One step of the first-run set-up checklist (``/setup/``) for a station: its bays, warehouses, suppliers…
    offered by the app that owns the rows. ``count(station)`` says how many the station has (0 = not done yet)."""

    key: str
    label: Any
    url_name: str  # the section's page for the station worked in (list and add)
    action: str  # the permission action needed to open it
    count: Callable[[Any], int]
    app: str
    order: int = 50
    help: Any = ""


@dataclass(frozen=True)
class Hook:
    fn: Callable[..., Any]
    app: str
    order: int = 50

    @property
    def name(self) -> str:
        return f"{self.fn.__module__}.{self.fn.__qualname__}"


@dataclass(frozen=True)
class PrivateFile:
    """A file field whose files are served only through ``core.files`` (login, permission, station)."""

    kind: str  # the name in the URL: /files/<kind>/<pk>/
    model: str  # "app_label.Model"
    field: str  # the FileField's name
    action: str  # the permission action needed to see the owning record
    station_path: str  # the lookup from the row to its station id, e.g. "order__station"
    app: str


@dataclass(frozen=True)
class KioskBoard:
    """A board a wall TV may show through a device link (``/kiosk/<token>/``), without anyone logged in.

    ``render(request, *, station, poll_url)`` answers the whole page, or the fragment alone when htmx polls
    (``HX-Request``); it must show that station's board only, read-only, with no staff menu."""

    key: str
    label: Any
    render: Callable[..., Any]
    app: str
    order: int = 50


@dataclass
class Registry:
    # state machine name -> (from, to) -> hooks
    guards: dict[str, dict[tuple[str, str], list[Hook]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    after: dict[str, dict[tuple[str, str], list[Hook]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    commit: dict[str, dict[tuple[str, str], list[Hook]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    machines: dict[str, Any] = field(default_factory=dict)  # name -> core.statemachine.Machine
    event_kinds: dict[str, EventKind] = field(default_factory=dict)
    panels: list[Panel] = field(default_factory=list)
    menu: list[MenuEntry] = field(default_factory=list)
    providers: dict[str, Hook] = field(default_factory=dict)
    wanted: dict[str, str] = field(default_factory=dict)  # provider name -> app that needs it
    listeners: dict[str, list[Hook]] = field(default_factory=lambda: defaultdict(list))  # model label -> hooks
    private_files: dict[str, PrivateFile] = field(default_factory=dict)  # kind -> where the file lives
    setup_sections: dict[str, SetupSection] = field(default_factory=dict)  # key -> a step of the set-up checklist
    importers: dict[str, Any] = field(default_factory=dict)  # kind -> core.imports.Importer
    kiosk_boards: dict[str, KioskBoard] = field(default_factory=dict)  # key -> a board a device link may show

    # --- state machines ----------------------------------------------------------------------------------------
    def machine_add(self, machine) -> None:
        self.machines[machine.name] = machine

    def guard_add(self, machine: str, frm: str, to: str, fn: Callable, *, app: str, order: int = 50) -> None:
        """``fn(*, obj, by) -> None`` raising DomainError to refuse the transition. The row is passed under the
        machine's keyword (``Machine.kwarg``: ``order=`` for the work order, ``claim=``, ``complaint=``)."""
        self.guards[machine][(str(frm), str(to))].append(Hook(fn, app, order))

    def after_add(self, machine: str, frm: str, to: str, fn: Callable, *, app: str, order: int = 50) -> None:
        """``fn(*, obj, by) -> None`` run inside the transition's transaction once the status has changed."""
        self.after[machine][(str(frm), str(to))].append(Hook(fn, app, order))

    def commit_add(self, machine: str, frm: str, to: str, fn: Callable, *, app: str, order: int = 50) -> None:
        """``fn(*, obj, by) -> None`` run once the transition's transaction has committed (e.g. to queue a task)."""
        self.commit[machine][(str(frm), str(to))].append(Hook(fn, app, order))

    def guards_for(self, machine: str, frm: str, to: str) -> list[Hook]:
        return sorted(self.guards[machine].get((str(frm), str(to)), []), key=lambda h: h.order)

    def after_for(self, machine: str, frm: str, to: str) -> list[Hook]:
        return sorted(self.after[machine].get((str(frm), str(to)), []), key=lambda h: h.order)

    def commit_for(self, machine: str, frm: str, to: str) -> list[Hook]:
        return sorted(self.commit[machine].get((str(frm), str(to)), []), key=lambda h: h.order)

    def hooks(self) -> list[tuple[str, str, tuple[str, str], Hook]]:
        """Every guard, after-hook and on-commit hook: (what, machine, (from, to), hook) — for the start-up check."""
        return [
            (what, machine, pair, hook)
            for what, table in (("guard", self.guards), ("after", self.after), ("commit", self.commit))
            for machine, pairs in table.items()
            for pair, hooks in pairs.items()
            for hook in hooks
        ]

    # --- event kinds --------------------------------------------------------------------------------------------
    def event_kind_add(self, code: str, label, *, app: str, log: str = "") -> None:
        """A kind of event ``app`` writes. ``log`` names the history it goes to when that is not the work order's
        (``"warranty_claim"``, ``"complaint"``): each history has its own vocabulary, so ``created`` can mean
        "claim drafted" in one and "complaint received" in the other."""
        key = f"{log}:{code}" if log else code
        known = self.event_kinds.get(key)
        if known and known.app != app:
            raise ValueError(f"event kind {key!r} is already owned by {known.app}")
        self.event_kinds[key] = EventKind(code, label, app, log)

    def event_label(self, code: str, log: str = ""):
        """The translated label of an event kind; the code itself when nobody registered it (a test forbids that)."""
        kind = self.event_kinds.get(f"{log}:{code}" if log else code)
        return kind.label if kind else code

    def event_kinds_of(self, log: str = "") -> dict[str, EventKind]:
        return {k.code: k for k in self.event_kinds.values() if k.log == log}

    # --- pages ---------------------------------------------------------------------------------------------------
    def panel_add(self, slot: str, template: str, *, app: str, order: int = 50) -> None:
        self.panels.append(Panel(slot, template, app, order))

    def panels_for(self, slot: str) -> list[str]:
        return [p.template for p in sorted((p for p in self.panels if p.slot == slot), key=lambda p: p.order)]

    def menu_add(self, label, url_name: str, action: str, icon: str, *, order: int = 50) -> None:
        self.menu.append(MenuEntry(label, url_name, action, icon, order))

    def menu_entries(self) -> list[MenuEntry]:
        return sorted(self.menu, key=lambda m: m.order)

    def setup_add(self, key: str, label, url_name: str, *, action: str, count: Callable[[Any], int], app: str,
                  order: int = 50, help="") -> None:
        """A step of the first-run set-up checklist that ``app`` owns (``org`` shows the checklist)."""
        known = self.setup_sections.get(key)
        if known and known.app != app:
            raise ValueError(f"set-up section {key!r} is already owned by {known.app}")
        self.setup_sections[key] = SetupSection(key, label, url_name, action, count, app, order, help)

    def setup_steps(self) -> list[SetupSection]:
        return sorted(self.setup_sections.values(), key=lambda s: s.order)

    # --- boards for wall TVs (device links) --------------------------------------------------------------------
    def kiosk_board_add(self, key: str, label, render: Callable, *, app: str, order: int = 50) -> None:
        known = self.kiosk_boards.get(key)
        if known and known.app != app:
            raise ValueError(f"kiosk board {key!r} is already owned by {known.app}")
        self.kiosk_boards[key] = KioskBoard(key, label, render, app, order)

    def kiosk_board_list(self) -> list[KioskBoard]:
        return sorted(self.kiosk_boards.values(), key=lambda b: b.order)

    # --- named services a lower layer asks a higher one for -----------------------------------------------------------
    def provide(self, name: str, fn: Callable, *, app: str) -> None:
        if name in self.providers and self.providers[name].app != app:
            raise ValueError(f"{name!r} is already provided by {self.providers[name].app}")
        self.providers[name] = Hook(fn, app)

    def want(self, name: str, *, app: str) -> None:
        """Declare that ``app`` calls provider ``name`` (the start-up check then fails if nobody provides it)."""
        self.wanted[name] = app

    def call(self, name: str, /, *args, **kwargs):
        """Call provider ``name``. A name nobody provides raises LookupError (the start-up check reports it first
        when it was declared with ``want``)."""
        hook = self.providers.get(name)
        if hook is None:
            raise LookupError(f"nobody provides {name!r}")
        return hook.fn(*args, **kwargs)

    def provided(self, name: str) -> bool:
        return name in self.providers

    # --- private files -----------------------------------------------------------------------------------------
    def private_file_add(self, kind: str, model: str, field: str, *, action: str, station_path: str,
                         app: str) -> None:
        """Serve ``model.field`` at ``/files/<kind>/<pk>/`` to users holding ``action`` who see the station reached
        by ``station_path`` (a queryset lookup from the row, without ``_id``)."""
        known = self.private_files.get(kind)
        if known and known.app != app:
            raise ValueError(f"private file kind {kind!r} is already owned by {known.app}")
        self.private_files[kind] = PrivateFile(kind, model, field, action, station_path, app)

    def private_file_for(self, model_label: str, field: str) -> PrivateFile | None:
        label = model_label.lower()
        return next((p for p in self.private_files.values() if p.model.lower() == label and p.field == field), None)

    # --- CSV/xlsx imports --------------------------------------------------------------------------------------
    def importer_add(self, importer) -> None:
        """A kind of import (``core.imports.Importer``) a department offers; the upload, preview, progress and
        result pages and the Celery tasks are core's, the columns, row checks and the bulk apply the department's."""
        known = self.importers.get(importer.kind)
        if known and known.app != importer.app:
            raise ValueError(f"importer {importer.kind!r} is already owned by {known.app}")
        self.importers[importer.kind] = importer

    # --- rows saved in a lower app that a higher app follows (e.g. kpi's dirty days) ----------------------------
    def listen(self, model_label: str, fn: Callable, *, app: str) -> None:
        """``fn(instance, *, deleted: bool)`` after a row of ``model_label`` ("app_label.Model") is saved/deleted
        through a model that inherits ``core.models.Observed``."""
        self.listeners[model_label.lower()].append(Hook(fn, app))

    def changed(self, instance, *, deleted: bool = False) -> None:
        for hook in self.listeners.get(instance._meta.label_lower, ()):
            hook.fn(instance, deleted=deleted)


registry = Registry()
