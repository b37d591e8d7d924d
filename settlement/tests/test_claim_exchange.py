"""The claim exchange with the carmaker: a batch file in the carmaker's layout, and the decision file applied to three
claims — approved, partly approved, rejected — with what was not accepted left for the re-billing path."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.models import ImportJob
from settlement.factories import StatementFactory, WarrantyClaimFactory
from settlement.models import WarrantyClaim, WarrantyClaimEvent
from settlement.services import claim_exchange as exchange
from settlement.services.claims import claim_bill_rejected_to_customer
from tests.imports import import_job

pytestmark = pytest.mark.django_db
D = Decimal
S = WarrantyClaim.Status


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def submitted(station, clerk):
    claims = {}
    for number, amount in (("SPA001", "1000.00"), ("SPA002", "800.00"), ("SPA003", "450.00")):
        claims[number] = WarrantyClaimFactory(station=station, number=number, status=S.SUBMITTED,
                                              claimed_amount=D(amount), submitted_at=timezone.now(), created_by=clerk,
                                              symptom_code="W01", cause_code="C07")
    return claims


@pytest.fixture
def profile(station, clerk):
    return exchange.oem_profile_save(station=station, by=clerk, name="一汽丰田", dealer_code="FT0931", file_format="xml",
                                     columns="dealer_code=DealerCode\nclaim_number=ClaimNo\nvin=VIN\n"
                                             "claimed_amount=Amount")


def test_a_batch_goes_out_in_the_carmakers_xml_layout_once(station, clerk, submitted, profile):
    batch = exchange.claim_batch_create(station=station, profile=profile, by=clerk)
    data, name, content_type = exchange.batch_file(batch)
    assert name == f"{batch.number}.xml" and content_type == "application/xml"
    root = ET.fromstring(data)
    assert root.tag == "Claims" and root.get("dealer") == "FT0931"
    rows = [[child.tag for child in item] for item in root]
    assert rows == [["DealerCode", "ClaimNo", "VIN", "Amount"]] * 3
    assert [(i.findtext("ClaimNo"), i.findtext("Amount")) for i in root] == [
        ("SPA001", "1000.00"), ("SPA002", "800.00"), ("SPA003", "450.00")]
    with pytest.raises(DomainError):  # sent already: nothing waits
        exchange.claim_batch_create(station=station, profile=profile, by=clerk)


def test_the_csv_layout_has_the_carmakers_headers_in_their_order(station, clerk, submitted):
    profile = exchange.oem_profile_save(station=station, by=clerk, name="广汽丰田", dealer_code="GT01",
                                        file_format="csv", columns="claim_number=索赔单号\nclaimed_amount=索赔金额")
    data, _name, _type = exchange.batch_file(exchange.claim_batch_create(station=station, profile=profile, by=clerk))
    assert data.decode("utf-8-sig").splitlines()[:2] == ["索赔单号,索赔金额", "SPA001,1000.00"]
    with pytest.raises(DomainError) as refused:
        exchange.oem_profile_save(station=station, by=clerk, name="东风", dealer_code="X", file_format="csv",
                                  columns="claim_no=单号")
    assert refused.value.field == "columns"


DECISIONS = ("索赔单号,审核结果,批准金额,原因,厂家单号\n"
             "SPA001,通过,,,FT-9001\n"
             "SPA002,部分通过,600.00,工时超出标准工时,FT-9002\n"
             "SPA003,拒绝,,超出保修期,FT-9003\n")


def _import(station, by, text: str) -> ImportJob:
    return import_job("claim_decisions", station=station, by=by, text=text)


def test_the_decision_file_is_applied_to_three_claims(station, clerk, cashier, submitted):
    job = _import(station, clerk, DECISIONS)
    assert job.status == ImportJob.Status.DONE, job.errors
    a, b, c = (WarrantyClaim.objects.get(number=n) for n in ("SPA001", "SPA002", "SPA003"))
    # approved in full: 1000.00; partly: 600.00 of 800.00 (200.00 not accepted); rejected: 0 of 450.00
    assert (a.status, a.approved_amount, a.rejected_amount, a.manufacturer_reference) == (
        S.APPROVED, D("1000.00"), D("0"), "FT-9001")
    assert (b.status, b.approved_amount, b.rejected_amount, b.decision_note) == (
        S.PARTLY_APPROVED, D("600.00"), D("200.00"), "工时超出标准工时")
    assert (c.status, c.approved_amount, c.rejected_amount) == (S.REJECTED, D("0"), D("450.00"))
    assert all(x.decided_at for x in (a, b, c))
    assert WarrantyClaimEvent.objects.filter(claim__in=[a, b, c], by=clerk, new_status__in=S.values).count() >= 3
    assert [v for _k, v in job.details] == [1, 1, 1, 2]  # approved, partly, rejected; two with an amount to bill
    assert sum(x.rejected_amount for x in (a, b, c)) == D("650.00")  # 200.00 + 450.00
    # the part not accepted goes down the existing re-billing path, with the customer's consent
    StatementFactory(station=station, order=b.order, payer="customer", number="JSX1", net=D("0"), vat=D("0"),
                     gross=D("0"), due=D("0"), vat_rate=D("0.13"), issued_by=cashier)
    billed = claim_bill_rejected_to_customer(claim=b, by=clerk, customer_channel="电话")
    assert billed.customer_statement.due == D("226.00")  # 200.00 + 13 % VAT


def test_a_decision_file_is_checked_row_by_row_and_applies_nothing_on_an_error(station, clerk, submitted):
    job = _import(station, clerk, "索赔单号,审核结果,批准金额,原因\n"
                                  "SPA001,通过,900.00,,\nSPA002,部分通过,800.00,少\nSPA003,拒绝,,\nSPX999,通过,,\n")
    messages = {(e["row"], e["message"]) for e in job.errors}
    assert (2, "Approved in full is the claimed 1000.00; write 部分通过 for less.") in messages
    assert (3, "A partly approved amount is more than zero and less than the claimed 800.00.") in messages
    assert (4, "Please give the manufacturer's reason.") in messages
    assert (5, "No claim SPX999 at this station.") in messages
    assert set(WarrantyClaim.objects.values_list("status", flat=True)) == {S.SUBMITTED}


def test_the_exchange_page_makes_a_batch_and_serves_its_file(client_as, clerk, submitted, profile, make_staff,
                                                             other_station):
    client = client_as(clerk)
    page = client.get(reverse("settlement:claim_exchange"))
    assert page.status_code == 200 and "一汽丰田" in page.content.decode()
    assert client.post(reverse("settlement:claim_batch_create", args=[profile.pk])).status_code == 302
    batch = profile.batches.get()
    download = client.get(reverse("settlement:claim_batch_file", args=[batch.pk]))
    assert download["Content-Disposition"] == f'attachment; filename="{batch.number}.xml"'
    assert b"<ClaimNo>SPA002</ClaimNo>" in download.content
    refused = client.post(reverse("settlement:claim_exchange"), {"name": "", "dealer_code": "X", "file_format": "csv",
                                                                 "columns": "vin"})
    assert refused.status_code == 400
    outsider = make_staff("warranty_clerk", station=other_station, username="oc")
    assert client_as(outsider).get(reverse("settlement:claim_batch_file", args=[batch.pk])).status_code == 404
