"""Campaign completion rate (召回/服务活动完成率): of the vehicles listed in the period, the share done since — done by
settling an order with the campaign's labour line on the warranty payer, through the ordinary settlement."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from kpi.registry import KPIS
from kpi.selectors import Period, station_totals
from kpi.services.rollup import rollup_days
from reception.factories import LabourOperationFactory, VehicleFactory, WorkOrderFactory, labour_line
from reception.models import Campaign, CampaignVehicle
from settlement.services.settle import order_settle

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(station, other_station):
    op = LabourOperationFactory(station=station, code="RC2601")
    campaign = Campaign.objects.create(station=station, code="RC-2601", name="燃油泵召回", labour_operation=op)
    cars = [VehicleFactory(station=station) for _ in range(2)]
    for car in cars:
        CampaignVehicle.objects.create(campaign=campaign, station=station, vin=car.vin)
    other = Campaign.objects.create(station=other_station, code="RC-2601", name="燃油泵召回",
                                    labour_operation=LabourOperationFactory(station=other_station, code="RC2601"))
    CampaignVehicle.objects.create(campaign=other, station=other_station, vin=VehicleFactory(station=other_station).vin)
    return campaign, cars


def _rate(station) -> Decimal | None:
    today = timezone.localdate()
    period = Period("month", today.replace(day=1), today)
    rollup_days(start=period.start, end=period.end)
    totals = station_totals([station.pk], period)[station.pk]
    return KPIS["campaign_completion"].value(totals), totals.campaign_done, totals.campaign_vehicles


def test_the_rate_is_done_over_listed_after_one_settled_order(campaign, station, alice, make_staff):
    _campaign, cars = campaign
    assert _rate(station) == (Decimal(0), Decimal(0), Decimal(2))  # 0 of 2
    order = WorkOrderFactory(ready=True, station=station, vehicle=cars[0], advisor=alice)
    labour_line(order, operation=_campaign.labour_operation, hours="1.00", price="200.00", payer="warranty")
    order_settle(order=order, by=make_staff("cashier"))
    done = CampaignVehicle.objects.get(vin=cars[0].vin)
    assert done.done_order == order
    assert _rate(station) == (Decimal("0.5"), Decimal(1), Decimal(2))  # 1 of 2 = 50 %
