from decimal import Decimal

import pytest

from core.errors import DomainError
from core.factories import PNG
from org.models import AuthorityLimit
from reception.models import DiscountApproval
from reception.services import discounts, orders


@pytest.fixture
def line(order, alice):
    return orders.line_add_sublet(order=order, by=alice, description="钣金", unit_price=Decimal("1000"))


def test_a_discount_within_the_advisors_limit_applies_at_once(line, alice):
    assert discounts.discount_request(line=line, by=alice, pct=Decimal("5")) is None
    line.refresh_from_db()
    assert line.discount_pct == Decimal("5")
    assert not discounts.has_pending_approvals(order=line.order)


def test_a_discount_above_the_limit_goes_to_the_front_desk_lead(line, alice, frank):
    request = discounts.discount_request(line=line, by=alice, pct=Decimal("12"), reason="老客户")
    assert request.approver == frank
    line.refresh_from_db()
    assert line.discount_pct == Decimal("0")
    assert discounts.has_pending_approvals(order=line.order)
    assert list(discounts.approvals_waiting_for(frank)) == [request]


def test_a_larger_discount_skips_to_the_station_manager(line, alice, carol):
    request = discounts.discount_request(line=line, by=alice, pct=Decimal("25"))
    assert request.approver == carol


def test_the_stations_own_limits_are_used(line, alice, station):
    AuthorityLimit.objects.create(station=station, position="service_advisor", max_discount_pct=Decimal("20"))
    assert discounts.discount_request(line=line, by=alice, pct=Decimal("15")) is None


def test_the_approver_approves_and_the_discount_applies(line, alice, frank):
    request = discounts.discount_request(line=line, by=alice, pct=Decimal("12"))
    discounts.discount_decide(request=request, by=frank, approve=True, note="ok")
    line.refresh_from_db()
    assert line.discount_pct == Decimal("12")
    assert not discounts.has_pending_approvals(order=line.order)


def test_a_declined_discount_leaves_the_line_alone(line, alice, frank):
    request = discounts.discount_request(line=line, by=alice, pct=Decimal("12"))
    discounts.discount_decide(request=request, by=frank, approve=False)
    line.refresh_from_db()
    assert line.discount_pct == Decimal("0")
    assert DiscountApproval.objects.get().status == "declined"


def test_the_requester_cannot_approve_their_own_request(line, alice):
    request = discounts.discount_request(line=line, by=alice, pct=Decimal("12"))
    with pytest.raises(DomainError):
        discounts.discount_decide(request=request, by=alice, approve=True)


def test_another_advisor_cannot_approve(line, alice, make_staff):
    request = discounts.discount_request(line=line, by=alice, pct=Decimal("12"))
    with pytest.raises(DomainError):
        discounts.discount_decide(request=request, by=make_staff("service_advisor"), approve=True)


def test_a_request_is_decided_only_once(line, alice, frank, carol):
    request = discounts.discount_request(line=line, by=alice, pct=Decimal("12"))
    discounts.discount_decide(request=request, by=frank, approve=True)
    with pytest.raises(DomainError):
        discounts.discount_decide(request=request, by=carol, approve=False)


def test_a_pending_discount_blocks_signing(line, alice):
    from reception.services.estimates import estimate_sign

    discounts.discount_request(line=line, by=alice, pct=Decimal("12"))
    with pytest.raises(DomainError):
        estimate_sign(order=line.order, by=alice, method="signature", signature_png=PNG)


def test_a_discount_over_100_percent_is_refused(line, alice):
    with pytest.raises(DomainError):
        discounts.discount_request(line=line, by=alice, pct=Decimal("101"))
