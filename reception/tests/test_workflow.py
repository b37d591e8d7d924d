"""Every allowed and every forbidden transition of the table in reception/services/workflow.py."""

import itertools

import pytest
from django.utils import timezone

from core.errors import TransitionError
from core.registry import registry
from org import permissions as perm
from org.models import Position
from reception.factories import WorkOrderFactory
from reception.models import WorkOrder, WorkOrderEvent
from reception.services.workflow import TRANSITIONS, work_order_transition

S = WorkOrder.Status
STATION_POSITIONS = [p for p in Position.values if p not in ("group_director", "regional_manager")]


def _actor_position(rule) -> str:
    """A station position holding the action the table names (so rows other apps add are tested too)."""
    actions = (rule.action, *rule.extra_actions)
    return next(p for p in STATION_POSITIONS if any(a in perm.PERMISSIONS.get(p, ()) for a in actions))


FORBIDDEN = [pair for pair in itertools.product(S.values, S.values) if pair not in TRANSITIONS and pair[0] != pair[1]]


def _order(station, status, **kw):
    return WorkOrderFactory(station=station, status=status, signed_at=timezone.now(), **kw)


def test_the_reception_end_of_the_table_is_there():
    assert {(S.DRAFT, S.OPEN), (S.DRAFT, S.CANCELLED), (S.OPEN, S.CANCELLED)} <= set(TRANSITIONS)


@pytest.mark.parametrize("pair", sorted(TRANSITIONS), ids=lambda p: f"{p[0]}-{p[1]}")
def test_allowed_transition_is_made_and_recorded(pair, station, make_staff, monkeypatch):
    frm, to = pair
    rule = TRANSITIONS[pair]
    # other apps' guards and hooks are tested in their apps; here we test the table and the function
    monkeypatch.setitem(registry.guards["work_order"], pair, [])
    monkeypatch.setitem(registry.after["work_order"], pair, [])
    actor = make_staff(_actor_position(rule))
    order = _order(station, frm)
    work_order_transition(order=order, to=to, by=actor, note="reason")
    order.refresh_from_db()
    assert order.status == to
    event = WorkOrderEvent.objects.get(order=order, kind="transition")
    assert (event.old_status, event.new_status, event.by) == (frm, to, actor)
    if rule.stamp:
        assert getattr(order, rule.stamp) is not None


@pytest.mark.parametrize("pair", FORBIDDEN, ids=lambda p: f"{p[0]}-{p[1]}")
def test_forbidden_transition_is_refused(pair, station, carol):
    order = _order(station, pair[0])
    with pytest.raises(TransitionError):
        work_order_transition(order=order, to=pair[1], by=carol, note="reason")
    order.refresh_from_db()
    assert order.status == pair[0]


@pytest.mark.parametrize("pair", sorted(TRANSITIONS), ids=lambda p: f"{p[0]}-{p[1]}")
def test_a_position_without_the_action_is_refused(pair, station, make_staff):
    rule = TRANSITIONS[pair]
    actions = (rule.action, *rule.extra_actions)
    outsider = next(p for p in STATION_POSITIONS if not any(a in perm.PERMISSIONS.get(p, ()) for a in actions))
    order = _order(station, pair[0])
    with pytest.raises(TransitionError) as exc:
        work_order_transition(order=order, to=pair[1], by=make_staff(outsider), note="reason")
    assert "position" in exc.value.message


def test_an_unsigned_estimate_cannot_open(station, alice):
    order = WorkOrderFactory(station=station, status=S.DRAFT)
    with pytest.raises(TransitionError):
        work_order_transition(order=order, to=S.OPEN, by=alice)


def test_cancelling_needs_a_reason(station, alice):
    order = _order(station, S.DRAFT)
    with pytest.raises(TransitionError) as exc:
        work_order_transition(order=order, to=S.CANCELLED, by=alice, note=" ")
    assert exc.value.field == "note"
