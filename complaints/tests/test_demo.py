from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from complaints import demo
from complaints.models import Complaint, FollowUpCall
from org.demo import seed_organisation
from reception.factories import WorkOrderFactory

pytestmark = pytest.mark.django_db


def _counts():
    return {m._meta.label: m.objects.count() for m in apps.get_app_config("complaints").get_models()}


def test_demo_seeds_every_state_and_a_month_of_calls_and_is_idempotent():
    ctx = seed_organisation()
    station = ctx.stations[0]
    advisor = ctx.staff["advisor"]
    for day in range(1, 31):
        WorkOrderFactory(delivered=True, station=station, advisor=advisor,
                         delivered_at=timezone.now() - timedelta(days=day, hours=3))
    demo.seed(ctx)
    first = _counts()
    assert set(Complaint.objects.filter(station=station).values_list("state", flat=True)) == set(Complaint.State.values)
    assert Complaint.objects.filter(station=station, is_crisis=True).exists()
    assert FollowUpCall.objects.filter(station=station).count() == 30
    assert FollowUpCall.objects.filter(station=station, status="reached").exists()
    demo.seed(ctx)
    assert _counts() == first
