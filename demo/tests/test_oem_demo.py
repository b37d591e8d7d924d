"""The carmaker's side of the demo (demo/oem.py) on a small station: terms per model, a recall imported with its
VINs, a young car's 三包 repairs, the claim layout — and a second run changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from demo import oem
from demo.base import DemoContext
from reception.factories import CustomerFactory, VehicleFactory, WorkOrderFactory
from reception.models import Campaign, CampaignVehicle, SanbaoRepair, WarrantyTerms
from settlement.models import OemProfile

pytestmark = pytest.mark.django_db


def test_the_oem_demo_goes_through_the_services_once(station, make_staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    staff = {p: make_staff(p, username=p) for p in ("front_desk_lead", "service_advisor", "warranty_clerk")}
    customer = CustomerFactory(station=station)
    ctx = DemoContext(group=station.group, stations=[station], staff=staff)
    cars = [VehicleFactory(station=station, owner=customer, model="卡罗拉", warranty_start=date(2026, 3, 1))
            for _ in range(3)]
    VehicleFactory(station=station, owner=customer, model="bZ3")
    for days in (90, 60, 30):
        opened = timezone.now() - timedelta(days=days)
        order = WorkOrderFactory(signed=True, station=station, vehicle=cars[0], opened_at=opened)
        order.work_completed_at = opened + timedelta(hours=30)
        order.save(update_fields=["work_completed_at"])
    oem.seed(ctx)
    oem.seed(ctx)
    assert dict(WarrantyTerms.objects.values_list("model", "sanbao_months")) == {"卡罗拉": 24, "bZ3": 36}
    assert Campaign.objects.get().labour_operation.code == "RC2611"
    assert CampaignVehicle.objects.count() == 3
    assert SanbaoRepair.objects.filter(vehicle=cars[0]).count() == 3
    assert set(SanbaoRepair.objects.values_list("days", flat=True)) == {2}  # 30 hours: two started days
    assert OemProfile.objects.get().columns[1] == ["claim_number", "索赔单号"]
