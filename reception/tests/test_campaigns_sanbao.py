"""Recalls and service campaigns imported with their VIN list, their banner and completion; 三包 periods and the
repair history counted against the 2021 regulation's thresholds (figures worked out by hand in the comments)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.models import ImportJob
from reception.factories import LabourOperationFactory, VehicleFactory, WorkOrderFactory, labour_line
from reception.models import Campaign, CampaignVehicle, SanbaoRepair, WarrantyTerms, WorkOrderEvent
from reception.services import campaigns, warranty_terms
from reception.services.warranty_terms import sanbao_repair_record, sanbao_status
from tests.imports import import_job

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 6)


def _at(y, m, d, h=9) -> datetime:
    return timezone.make_aware(datetime(y, m, d, h, 0))


# --- 三包 ---------------------------------------------------------------------------------------------------------
def _repair(vehicle, alice, *, opened, completed, component, fault, serious=False, replaced=False):
    order = WorkOrderFactory(signed=True, station=vehicle.station, vehicle=vehicle, opened_at=opened)
    order.work_completed_at = completed
    order.save(update_fields=["work_completed_at"])
    return sanbao_repair_record(order=order, by=alice, component=component, fault=fault, serious_safety=serious,
                                replaced=replaced)


@pytest.fixture
def sold(station, customer):
    return VehicleFactory(station=station, owner=customer, warranty_start=date(2026, 1, 10), mileage=20000)


@pytest.fixture
def history(sold, alice):
    # brakes, serious: 1 Mar 09:00 → 4 Mar 17:00 = 3 d 8 h → 4 days
    _repair(sold, alice, opened=_at(2026, 3, 1), completed=_at(2026, 3, 4, 17), component="brakes", fault="刹车异响",
            serious=True)
    # brakes again, the same words: 10 May 09:00 → 15:00 = 6 h → 1 day
    _repair(sold, alice, opened=_at(2026, 5, 10), completed=_at(2026, 5, 10, 15), component="brakes", fault="刹车异响")
    # transmission, main part replaced: 1 Aug 08:00 → 16 Aug 08:00 = 15 days exactly
    _repair(sold, alice, opened=_at(2026, 8, 1, 8), completed=_at(2026, 8, 16, 8), component="transmission",
            fault="变速箱顿挫", replaced=True)
    return sold


def test_a_car_sold_this_year_is_in_its_sanbao_period_by_the_legal_minimum(sold):
    status = sanbao_status(sold, today=TODAY)
    # 10 Jan 2026 + 24 months = 10 Jan 2028; warranty 36 months = 10 Jan 2029, 60,000 km
    assert (status.sanbao_until, status.sanbao_km) == (date(2028, 1, 10), 50000)
    assert (status.warranty_until, status.warranty_km) == (date(2029, 1, 10), 60000)
    assert status.in_sanbao and status.in_warranty and status.level == "info"
    assert not sanbao_status(sold, today=date(2028, 1, 10)).in_sanbao  # the period's last day is 9 Jan 2028
    sold.mileage = 50001
    assert not sanbao_status(sold, today=TODAY).in_sanbao  # the mileage comes first


def test_a_models_own_terms_replace_the_minimum(sold, station):
    warranty_terms.warranty_terms_save(station=station, model="凯美瑞", warranty_months=48, warranty_km=100000,
                                       sanbao_months=36, sanbao_km=100000)
    status = sanbao_status(sold, today=TODAY)
    assert (status.sanbao_until, status.sanbao_km, status.warranty_until) == (date(2029, 1, 10), 100000,
                                                                             date(2030, 1, 10))
    with pytest.raises(DomainError) as refused:
        warranty_terms.warranty_terms_save(station=station, model="卡罗拉", warranty_months=36, warranty_km=60000,
                                           sanbao_months=12, sanbao_km=50000)
    assert refused.value.field == "sanbao_months"
    assert WarrantyTerms.objects.filter(station=station).count() == 1


def test_a_prepared_repair_history_is_near_three_thresholds(history):
    status = sanbao_status(history, today=TODAY)
    # 4 + 1 + 15 = 20 days (near from 20, over 30); one serious repair; transmission replaced once; 刹车异响 twice
    assert (status.repairs, status.repair_days) == (3, 20)
    assert status.reached == []
    assert status.near == ["Repair days 20 of at most 30.",
                           "Serious safety fault repaired once: a second repair reaches the threshold.",
                           "transmission: main part replaced once."]
    assert status.level == "warning"
    assert status.by_component == [("braking system", 2, 0), ("transmission", 1, 1)]


def test_a_fourth_repair_passes_the_days_and_serious_fault_thresholds(history, alice):
    # brakes, serious, 刹车异响 a third time: 1 Oct 08:00 → 12 Oct 08:00 = 11 days; 20 + 11 = 31 > 30
    _repair(history, alice, opened=_at(2026, 10, 1, 8), completed=_at(2026, 10, 12, 8), component="brakes",
            fault="刹车异响 ", serious=True)
    status = sanbao_status(history, today=TODAY)
    assert status.repair_days == 31
    assert status.reached == ["Repair days 31: more than 30.", "Serious safety fault repaired 2 times."]
    assert "“刹车异响” repaired 3 times (threshold: more than 4)." in status.near
    assert status.level == "danger"


def test_a_repair_is_recorded_with_who_and_when_and_refused_on_a_draft(sold, alice):
    draft = WorkOrderFactory(station=sold.station, vehicle=sold)
    with pytest.raises(DomainError):
        sanbao_repair_record(order=draft, by=alice, component="engine", fault="异响")
    order = WorkOrderFactory(signed=True, station=sold.station, vehicle=sold)
    with pytest.raises(DomainError) as refused:
        sanbao_repair_record(order=order, by=alice, component="engine", fault="  ")
    assert refused.value.field == "fault"
    sanbao_repair_record(order=order, by=alice, component="engine", fault="异响")
    assert WorkOrderEvent.objects.filter(order=order, kind="sanbao_repair", by=alice).count() == 1
    assert SanbaoRepair.objects.get(order=order).days == 1


def test_the_order_page_warns_and_records_a_repair(client_as, alice, history):
    order = history.sanbao_repairs.first().order
    client = client_as(alice)
    page = client.get(reverse("reception:order_detail", args=[order.pk])).content.decode()
    assert "sanbao-banner" in page and "alert-warning" in page and "Repair days 20 of at most 30." in page
    url = reverse("reception:order_sanbao", args=[order.pk])
    refused = client.post(url, {"sanbao-component": "engine", "sanbao-fault": ""})
    assert refused.status_code == 400
    assert client.post(url, {"sanbao-component": "engine", "sanbao-fault": "机油渗漏"}).status_code == 302
    assert SanbaoRepair.objects.filter(order=order, component="engine").count() == 1


def test_the_watch_list_shows_the_station_vehicles_near_a_threshold(client_as, make_staff, history, station,
                                                                   other_station, customer):
    quiet = VehicleFactory(station=station, owner=customer, warranty_start=date(2026, 2, 1))
    manager = make_staff("station_manager")
    page = client_as(manager).get(reverse("reception:sanbao_watch")).content.decode()
    assert history.vin in page and quiet.vin not in page
    assert client_as(make_staff("receptionist")).get(reverse("reception:sanbao_watch")).status_code == 403


# --- campaigns ------------------------------------------------------------------------------------------------------
HEADER = "活动编号,活动名称,活动类型,工时代码,配件,VIN\n"


@pytest.fixture
def recall_op(station):
    return LabourOperationFactory(station=station, code="RC2601", name_zh="更换燃油泵（召回）")


def _import(station, by, text: str) -> ImportJob:
    return import_job("campaigns", station=station, by=by, text=text)


@pytest.fixture
def imported(station, carol, vehicle, customer, recall_op, settings, tmp_path):
    other = VehicleFactory(station=station, owner=customer)
    job = _import(station, carol, HEADER + f"RC-2601,燃油泵召回,召回,RC2601,23221-F0010,{vehicle.vin}\n"
                                         f"RC-2601,,,,,{other.vin.lower()}\n")
    assert job.status == ImportJob.Status.DONE, job.errors
    return Campaign.objects.get(code="RC-2601"), other


def test_a_campaign_is_imported_with_its_vins(imported, vehicle):
    campaign, other = imported
    assert (campaign.kind, campaign.labour_operation.code, campaign.parts) == ("recall", "RC2601", "23221-F0010")
    assert set(campaign.vehicles.values_list("vin", flat=True)) == {vehicle.vin, other.vin}
    assert campaigns.vehicles_with_open_campaigns([vehicle, other]) == {vehicle.pk, other.pk}


def test_a_campaign_file_is_checked_row_by_row(station, carol, recall_op):
    job = _import(station, carol, HEADER + "RC-1,召回A,召回,NOPE,,LFV3A23C0R0000001\nRC-1,召回B,,RC2601,,SHORTVIN\n")
    messages = {(e["row"], e["message"]) for e in job.errors}
    assert (2, "No active labour operation NOPE in the catalogue.") in messages
    assert (3, "Campaign RC-1 has another value on row 2.") in messages
    assert (3, "A VIN has exactly 17 characters (this one has 8).") in messages
    assert not Campaign.objects.exists()


def test_the_recall_banner_shows_on_reception_search_and_appointment(client_as, alice, imported, vehicle):
    client = client_as(alice)
    receive = client.get(reverse("reception:order_receive") + f"?vehicle={vehicle.pk}").content.decode()
    assert "campaign-banner" in receive and "RC-2601" in receive and "燃油泵召回" in receive
    assert "campaign-banner" in client.get(reverse("reception:vehicle_detail", args=[vehicle.pk])).content.decode()
    assert "campaign-banner" in client.get(
        reverse("reception:appointment_create") + f"?vehicle={vehicle.pk}").content.decode()
    found = client.get(reverse("reception:search"), {"q": vehicle.plate}, HTTP_HX_REQUEST="true").content.decode()
    assert "campaign-badge" in found


def test_a_settled_warranty_line_of_the_campaign_closes_it_for_that_vin(imported, vehicle, recall_op, station):
    campaign, other = imported
    order = WorkOrderFactory(ready=True, station=station, vehicle=vehicle)
    labour_line(order, operation=recall_op, payer="customer")
    assert campaigns.campaigns_complete_on_settle(order=order) == 0  # a customer-pay line does not count
    labour_line(order, operation=recall_op, payer="warranty")
    assert campaigns.campaigns_complete_on_settle(order=order) == 1
    done = CampaignVehicle.objects.get(campaign=campaign, vin=vehicle.vin)
    assert done.done_order == order and done.done_at
    assert campaigns.vehicles_with_open_campaigns([vehicle, other]) == {other.pk}
    assert not list(campaigns.open_campaigns_for(vehicle))


def test_care_sees_the_open_vehicles_with_their_owners(client_as, make_staff, imported, vehicle, customer):
    campaign, other = imported
    page = client_as(make_staff("customer_relations")).get(reverse("reception:campaign_open_vehicles")).content
    assert vehicle.vin.encode() in page and customer.mobile.encode() in page
    listing = client_as(make_staff("customer_relations", username="cr2")).get(reverse("reception:campaign_list"))
    assert b"RC-2601" in listing.content and b"0 %" in listing.content


def test_another_stations_campaigns_stay_home(client_as, make_staff, imported, other_station):
    outsider = make_staff("station_manager", station=other_station, username="outsider")
    assert b"RC-2601" not in client_as(outsider).get(reverse("reception:campaign_list")).content
    assert Decimal(CampaignVehicle.objects.count()) == 2


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_lists_do_not_grow_with_their_rows(client_as, make_staff, station, customer, recall_op, alice):
    manager = make_staff("station_manager")
    client = client_as(manager)
    urls = [reverse("reception:campaign_list"), reverse("reception:campaign_open_vehicles"),
            reverse("reception:sanbao_watch")]

    def grow(n: int) -> None:
        for _i in range(n):
            campaign = Campaign.objects.create(station=station, code=f"RC-{Campaign.objects.count()}", name="召回",
                                               labour_operation=recall_op)
            car = VehicleFactory(station=station, owner=customer, warranty_start=date(2026, 1, 10))
            CampaignVehicle.objects.create(campaign=campaign, station=station, vin=car.vin)
            _repair(car, alice, opened=_at(2026, 3, 1), completed=_at(2026, 3, 25), component="body", fault="漏水")

    grow(1)
    [_queries(client, url) for url in urls]  # the session's first page reads the person and the station once
    few = [_queries(client, url) for url in urls]
    grow(4)
    assert [_queries(client, url) for url in urls] == few
