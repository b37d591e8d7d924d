"""core.statemachine.transition, exercised on the work-order table with a machine of its own (``test_machine``) so
the registry entries under test are the only ones: guards refuse, after-hooks run in the transaction and roll back
with it, on-commit hooks wait for the commit, a missing permission or note refuses."""

from __future__ import annotations

import pytest
from django.db import transaction

from core.errors import DomainError, TransitionError
from core.registry import Registry
from core.statemachine import Machine, Rule, transition
from reception.factories import WorkOrderFactory
from reception.models import WorkOrder, WorkOrderEvent

S = WorkOrder.Status


@pytest.fixture
def reg(monkeypatch):
    """A fresh registry for the helper to read, so the real apps' entries stay out of these tests."""
    fresh = Registry()
    monkeypatch.setattr("core.statemachine.registry", fresh)
    return fresh


def _record(order, *, old, new, by, note):
    WorkOrderEvent.objects.create(order=order, old_status=old, new_status=new, by=by, note=note, kind="transition")


def _machine(**kw) -> Machine:
    rules = {
        (S.DRAFT, S.OPEN): Rule("open", stamp="work_completed_at"),
        (S.DRAFT, S.CANCELLED): Rule("cancel", note_required=True),
        (S.OPEN, S.IN_PROGRESS): Rule("start", extra_actions=("dispatch",), needs=("mileage_in",)),
    }
    return Machine(name="test_machine", model=WorkOrder, status_field="status", rules=rules, record=_record,
                   may=lambda by, action: action in getattr(by, "actions", ()), kwarg="order",
                   touch=("updated_at",), **kw)


@pytest.fixture
def order(station, alice):
    return WorkOrderFactory(station=station, advisor=alice, status=S.DRAFT)


@pytest.fixture
def actor(alice):
    alice.actions = ("open", "cancel", "start")
    return alice


def test_a_transition_sets_the_status_and_the_stamp_and_writes_the_event(reg, order, actor):
    moved = transition(_machine(), obj=order, to=S.OPEN, by=actor, note="ok")
    order.refresh_from_db()
    assert order.status == moved.status == S.OPEN and order.work_completed_at is not None
    event = WorkOrderEvent.objects.get(order=order)
    assert (event.old_status, event.new_status, event.by, event.note) == (S.DRAFT, S.OPEN, actor, "ok")


def test_a_pair_not_in_the_table_is_refused_with_the_machines_message(reg, order, actor):
    with pytest.raises(TransitionError) as exc:
        transition(_machine(cannot="cannot %(old)s → %(new)s"), obj=order, to=S.READY, by=actor)
    assert exc.value.message == "cannot estimate → ready for settlement"


def test_a_person_without_the_action_is_refused(reg, order, alice):
    alice.actions = ("cancel",)
    with pytest.raises(TransitionError) as exc:
        transition(_machine(), obj=order, to=S.OPEN, by=alice)
    assert "position" in exc.value.message
    order.refresh_from_db()
    assert order.status == S.DRAFT and not WorkOrderEvent.objects.exists()


def test_an_extra_action_also_allows_the_move(reg, station, alice):
    order = WorkOrderFactory(station=station, advisor=alice, status=S.OPEN, mileage_in=1000)
    alice.actions = ("dispatch",)
    assert transition(_machine(), obj=order, to=S.IN_PROGRESS, by=alice).status == S.IN_PROGRESS


def test_a_rule_that_needs_a_note_refuses_without_one(reg, order, actor):
    with pytest.raises(TransitionError) as exc:
        transition(_machine(note_missing="why?"), obj=order, to=S.CANCELLED, by=actor, note="  ")
    assert (exc.value.message, exc.value.field) == ("why?", "note")
    assert transition(_machine(), obj=order, to=S.CANCELLED, by=actor, note="客户取消").status == S.CANCELLED


def test_a_field_the_rule_needs_must_be_filled(reg, station, alice, actor):
    order = WorkOrderFactory(station=station, advisor=alice, status=S.OPEN, mileage_in=None)
    with pytest.raises(DomainError) as exc:
        transition(_machine(), obj=order, to=S.IN_PROGRESS, by=actor)
    assert exc.value.field == "mileage_in"


def test_registered_guards_run_in_order_and_refuse(reg, order, actor):
    seen = []

    def first(*, order, by):
        seen.append(("first", order.status, by))

    def refuse(*, order, by):
        seen.append(("refuse", order.status, by))
        raise TransitionError("not yet")

    reg.guard_add("test_machine", S.DRAFT, S.OPEN, refuse, app="b", order=60)
    reg.guard_add("test_machine", S.DRAFT, S.OPEN, first, app="a", order=10)
    with pytest.raises(TransitionError, match="not yet"):
        transition(_machine(), obj=order, to=S.OPEN, by=actor)
    assert seen == [("first", S.DRAFT, actor), ("refuse", S.DRAFT, actor)]  # guards see the status before the move
    order.refresh_from_db()
    assert order.status == S.DRAFT


def test_after_hooks_run_inside_the_transaction_once_the_status_has_changed(reg, order, actor):
    seen = []
    reg.after_add("test_machine", S.DRAFT, S.OPEN, lambda *, order, by: seen.append(
        (order.status, WorkOrder.objects.get(pk=order.pk).status, transaction.get_connection().in_atomic_block)),
        app="a")
    transition(_machine(), obj=order, to=S.OPEN, by=actor)
    assert seen == [(S.OPEN, S.OPEN, True)]


def test_a_failing_after_hook_rolls_the_whole_transition_back(reg, order, actor):
    def boom(*, order, by):
        raise DomainError("the hook refused")

    reg.after_add("test_machine", S.DRAFT, S.OPEN, boom, app="a")
    with pytest.raises(DomainError):
        transition(_machine(), obj=order, to=S.OPEN, by=actor)
    order.refresh_from_db()
    assert order.status == S.DRAFT and order.work_completed_at is None
    assert not WorkOrderEvent.objects.exists()


def test_on_commit_hooks_wait_for_the_commit(reg, order, actor, django_capture_on_commit_callbacks):
    seen = []
    reg.commit_add("test_machine", S.DRAFT, S.OPEN, lambda *, order, by: seen.append(order.status), app="a")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        transition(_machine(), obj=order, to=S.OPEN, by=actor)
        assert seen == []
    assert len(callbacks) >= 1 and seen == [S.OPEN]


def test_prepare_runs_after_the_checks_and_its_fields_are_saved(reg, order, actor):
    def prepare(order):
        order.notes = "prepared"
        return ["notes"]

    transition(_machine(), obj=order, to=S.OPEN, by=actor, prepare=prepare)
    order.refresh_from_db()
    assert order.notes == "prepared"


def test_targets_lists_what_the_person_may_do_from_here(order, actor, alice):
    assert sorted(_machine().targets(order, actor)) == [S.CANCELLED, S.OPEN]
    alice.actions = ()
    assert _machine().targets(order, alice) == []
