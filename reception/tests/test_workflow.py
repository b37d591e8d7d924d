"""Every allowed and every forbidden transition of the table in reception/services/workflow.py."""

import itertools

import pytest
from django.utils import timezone

from aftersales.exceptions import TransitionError
from reception.models import WorkOrder, WorkOrderEvent
from reception.services.workflow import TRANSITIONS, work_order_transition
from reception.tests.factories import WorkOrderFactory

S = WorkOrder.Status
# who may make each allowed transition (a position holding the table's action)
ACTOR = {
    (S.DRAFT, S.OPEN): "service_advisor",
    (S.DRAFT, S.CANCELLED): "service_advisor",
    (S.OPEN, S.IN_PROGRESS): "technician",
    (S.OPEN, S.CANCELLED): "receptionist",
    (S.IN_PROGRESS, S.QUALITY_CHECK): "technician",
    (S.QUALITY_CHECK, S.IN_PROGRESS): "qc_inspector",
    (S.QUALITY_CHECK, S.READY): "qc_inspector",
    (S.READY, S.SETTLED): "cashier",
    (S.SETTLED, S.DELIVERED): "cashier",
}
FORBIDDEN = [pair for pair in itertools.product(S.values, S.values) if pair not in TRANSITIONS and pair[0] != pair[1]]


def _order(station, status, **kw):
    return WorkOrderFactory(station=station, status=status, signed_at=timezone.now(), **kw)


def test_the_test_knows_every_row_of_the_table():
    assert set(ACTOR) == set(TRANSITIONS)


@pytest.mark.parametrize("pair", sorted(TRANSITIONS), ids=lambda p: f"{p[0]}-{p[1]}")
def test_allowed_transition_is_made_and_recorded(pair, station, make_staff, monkeypatch):
    frm, to = pair
    rule = TRANSITIONS[pair]
    # other apps' guards and hooks are tested in their apps; here we test the table and the function
    monkeypatch.setitem(TRANSITIONS, pair, rule.__class__(rule.action, (), (), rule.stamp, rule.note_required,
                                                          rule.extra_actions))
    actor = make_staff(ACTOR[pair])
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
    parts_clerk = make_staff("parts_clerk")
    order = _order(station, pair[0])
    with pytest.raises(TransitionError):
        work_order_transition(order=order, to=pair[1], by=parts_clerk, note="reason")


def test_an_unsigned_estimate_cannot_open(station, alice):
    order = WorkOrderFactory(station=station, status=S.DRAFT)
    with pytest.raises(TransitionError):
        work_order_transition(order=order, to=S.OPEN, by=alice)


def test_cancelling_needs_a_reason(station, alice):
    order = _order(station, S.DRAFT)
    with pytest.raises(TransitionError) as exc:
        work_order_transition(order=order, to=S.CANCELLED, by=alice, note=" ")
    assert exc.value.field == "note"
