"""kpi follows the rows it computes from through core's registry (Observed models), not through Django signals."""

import importlib.util
from datetime import date
from decimal import Decimal

from django.apps import apps
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from core.models import Observed
from core.registry import registry
from kpi.factories import at, make_order
from kpi.models import DirtyDay
from reception.factories import WorkOrderLineFactory
from reception.services.orders import line_remove
from workshop.services.attendance import attendance_start

D1 = date(2026, 3, 2)


def _kpi_labels() -> list[str]:
    return [label for label, hooks in registry.listeners.items() if any(h.app == "kpi" for h in hooks)]


def test_starting_a_shift_marks_that_day_dirty_through_the_registry(station, bob, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        attendance_start(technician=bob, at=at("2026-03-02 08:00"))
    assert list(DirtyDay.objects.values_list("station_id", "day")) == [(station.pk, D1)]


def test_without_kpis_registry_listener_a_saved_shift_marks_nothing(bob, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setitem(registry.listeners, "workshop.attendance", [])
    with django_capture_on_commit_callbacks(execute=True):
        attendance_start(technician=bob, at=at("2026-03-02 08:00"))
    assert not DirtyDay.objects.exists()


def test_removing_a_line_tells_the_listeners_it_was_deleted(station, alice, monkeypatch):
    order = make_order(station=station, advisor=alice, opened="2026-03-02 09:00")
    line = WorkOrderLineFactory(order=order, labour=True, hours=Decimal("1"), unit_price=Decimal("100"))
    heard = []
    monkeypatch.setitem(registry.listeners, "reception.workorderline", [])
    registry.listen("reception.WorkOrderLine", lambda instance, *, deleted: heard.append((instance, deleted)), app="kpi")
    line_remove(line=line, by=alice)
    assert heard == [(line, True)]


def test_every_model_kpi_listens_to_is_observed():
    labels = _kpi_labels()
    # 13, the campaign vehicles (#18), the staff survey answers and mystery-shop visits, the win-back calls (#19)
    assert len(labels) == 17
    for label in labels:
        assert issubclass(apps.get_model(label), Observed), label


def test_kpi_connects_no_signal_receivers():
    assert importlib.util.find_spec("kpi.signals") is None
    for model in apps.get_models():
        for signal in (pre_save, post_save, pre_delete, post_delete):
            sync, async_ = signal._live_receivers(model)
            modules = {getattr(r, "__module__", "") for r in [*sync, *async_]}
            assert not {m for m in modules if m.split(".")[0] == "kpi"}, (model._meta.label, signal)
