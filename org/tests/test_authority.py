from decimal import Decimal

import pytest

from org import services
from org.services import Authority


@pytest.fixture
def chain(make_staff, station):
    from org.factories import StaffFactory

    director = StaffFactory(username="dir", position="group_director", station=None, group=station.group)
    manager = make_staff("station_manager", username="mgr")
    lead = make_staff("front_desk_lead", username="lead", reports_to=manager)
    advisor = make_staff("service_advisor", username="sa", reports_to=lead)
    return director, manager, lead, advisor


def test_default_limits_apply_without_a_station_row(chain):
    advisor = chain[3]
    assert services.may_decide(staff=advisor, kind=Authority.DISCOUNT, amount=Decimal("5"))
    assert not services.may_decide(staff=advisor, kind=Authority.DISCOUNT, amount=Decimal("5.01"))


def test_station_row_overrides_the_default(chain, station):
    director, manager, lead, advisor = chain
    services.authority_limit_set(
        by=manager, station=station, position="service_advisor",
        max_discount_pct=Decimal("8"), max_goodwill=Decimal("100"), max_complaint_severity=2,
    )
    assert services.may_decide(staff=advisor, kind=Authority.DISCOUNT, amount=Decimal("8"))
    assert not services.may_decide(staff=advisor, kind=Authority.GOODWILL, amount=Decimal("100.01"))
    assert services.may_decide(staff=advisor, kind=Authority.COMPLAINT, amount=2)


def test_next_approver_is_the_nearest_person_with_enough_authority(chain):
    director, manager, lead, advisor = chain
    assert services.next_approver(staff=advisor, kind=Authority.DISCOUNT, amount=Decimal("10")) == lead
    assert services.next_approver(staff=advisor, kind=Authority.DISCOUNT, amount=Decimal("20")) == manager
    assert services.next_approver(staff=advisor, kind=Authority.DISCOUNT, amount=Decimal("60")) == director


def test_inactive_people_are_skipped_in_the_chain(chain):
    director, manager, lead, advisor = chain
    lead.is_active = False
    lead.save()
    assert services.next_approver(staff=advisor, kind=Authority.DISCOUNT, amount=Decimal("10")) == manager
    assert services.next_up(staff=advisor) == manager


def test_nobody_above_means_head_office(make_staff):
    loner = make_staff("service_advisor", username="loner")
    assert services.next_approver(staff=loner, kind=Authority.GOODWILL, amount=Decimal("1")) is None


def test_a_reporting_loop_does_not_hang(make_staff):
    a = make_staff("service_advisor", username="a")
    b = make_staff("front_desk_lead", username="b", reports_to=a)
    a.reports_to = b
    a.save()
    assert [p.username for p in services.supervisor_chain(staff=a)] == ["b"]


def test_discount_limit_outside_0_100_is_refused(chain, station):
    from core.errors import DomainError

    with pytest.raises(DomainError) as err:
        services.authority_limit_set(
            by=chain[1], station=station, position="service_advisor",
            max_discount_pct=Decimal("120"), max_goodwill=Decimal("0"), max_complaint_severity=0,
        )
    assert err.value.field == "max_discount_pct"
