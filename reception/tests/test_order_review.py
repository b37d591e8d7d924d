"""Review of large orders (大额工单审核): above the station's amount the customer may sign only after the front-desk
lead reviewed the estimate — a guard on draft → open, refused at the "how" field; the review records who, when and
the amount."""

from __future__ import annotations

import base64
from decimal import Decimal

import pytest
from django.urls import reverse

from core.errors import DomainError
from core.factories import PNG
from reception.factories import labour_line
from reception.models import OrderReview, WorkOrder, WorkOrderEvent, WorkOrderLine
from reception.services import estimates, orders
from reception.services.order_review import (
    order_gross,
    order_review_record,
    review_needed,
    review_threshold_set,
    reviewed_amount,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def frank(alice):
    return alice.reports_to


@pytest.fixture
def big(order):
    labour_line(order, hours="10", price="1000.00")  # 10 h × ¥1,000 = ¥10,000 net
    return order


def test_a_large_estimate_is_signed_only_after_the_front_desk_leads_review(big, alice, frank):
    gross = order_gross(big)
    assert gross == Decimal("10000.00") * (1 + big.station.vat_rate)  # above the default ¥10,000
    assert review_needed(big) == gross
    with pytest.raises(DomainError) as exc:
        estimates.estimate_sign(order=big, by=alice, method="signature", signature_png=PNG)
    assert exc.value.field == "method"
    big.refresh_from_db()
    assert big.status == WorkOrder.Status.DRAFT and big.signed_at is None
    with pytest.raises(DomainError):
        order_review_record(order=big, by=alice)  # an advisor does not review
    review = order_review_record(order=big, by=frank)
    assert (review.by, review.amount) == (frank, gross) and review.at is not None
    assert WorkOrderEvent.objects.filter(order=big, kind="large_order_reviewed", by=frank).exists()
    estimates.estimate_sign(order=big, by=alice, method="signature", signature_png=PNG)
    big.refresh_from_db()
    assert big.status == WorkOrder.Status.OPEN


def test_an_estimate_grown_after_the_review_needs_a_new_one(big, frank):
    order_review_record(order=big, by=frank)
    assert review_needed(big) is None
    labour_line(big, hours="1", price="100.00")
    assert review_needed(big) == order_gross(big)


def test_the_threshold_is_per_station_and_zero_turns_it_off(big, carol):
    review_threshold_set(station=big.station, by=carol, threshold=Decimal("20000"))
    assert review_needed(big) is None
    review_threshold_set(station=big.station, by=carol, threshold=Decimal("500"))
    assert review_needed(big) is not None
    review_threshold_set(station=big.station, by=carol, threshold=Decimal("0"))
    assert review_needed(big) is None


def test_the_sign_page_refuses_at_the_field_and_the_lead_reviews_there(client_as, big, alice, frank):
    url = reverse("reception:order_sign", args=[big.pk])
    page = client_as(alice).get(url)
    assert 'id="review-needed"' in page.content.decode()
    assert reverse("reception:order_review", args=[big.pk]) not in page.content.decode()  # not the advisor's button
    response = client_as(alice).post(
        url, {"method": "signature", "signature": f"data:image/png;base64,{base64.b64encode(PNG).decode()}"})
    assert response.status_code == 400 and "front-desk lead" in response.context["form"].errors["method"][0]
    response = client_as(frank).post(reverse("reception:order_review", args=[big.pk]))
    assert response.status_code == 302 and OrderReview.objects.filter(order=big, by=frank).exists()
    assert 'id="review-needed"' not in client_as(alice).get(url).content.decode()


def test_the_review_settings_page_saves_the_amount(client_as, station, carol):
    response = client_as(carol).post(reverse("reception:review_settings"), {"threshold": "15000"})
    assert response.status_code == 302
    assert station.order_review_settings.threshold == Decimal("15000.00")
    assert client_as(carol).post(reverse("reception:review_settings"), {"threshold": "-1"}).status_code == 400


# --- a total that grows after the review is reviewed again before the customer signs again (issue 19 review) -------


@pytest.fixture
def signed_big(big, alice, frank):
    order_review_record(order=big, by=frank)  # ¥11,300 reviewed
    estimates.estimate_sign(order=big, by=alice, method="signature", signature_png=PNG)
    big.refresh_from_db()
    return big


def test_added_lines_are_signed_again_only_after_a_new_review(signed_big, alice, frank, oil_change):
    line = orders.line_add_labour(order=signed_big, by=alice, operation=oil_change, hours=Decimal("1"))
    assert line.approval == WorkOrderLine.Approval.PROPOSED
    # what the customer would sign: ¥10,000 + ¥300 net, × 1.13 = ¥11,639.00, above the ¥11,300 reviewed
    assert review_needed(signed_big) == Decimal("11639.00")
    with pytest.raises(DomainError) as exc:
        estimates.estimate_sign(order=signed_big, by=alice, method="signature", signature_png=PNG)
    assert exc.value.field == "method" and "¥11,300.00" in exc.value.message
    with pytest.raises(DomainError) as exc:
        estimates.estimate_snapshot(order=signed_big, by=alice, approval_channel="phone")
    assert exc.value.field == "approval_channel"
    line.refresh_from_db()
    assert line.approval == WorkOrderLine.Approval.PROPOSED  # the refusal undid the approval
    assert signed_big.estimate_versions.count() == 1
    review = order_review_record(order=signed_big, by=frank)  # an open order is reviewed again
    assert review.amount == Decimal("11639.00") and reviewed_amount(signed_big) == Decimal("11639.00")
    estimates.estimate_snapshot(order=signed_big, by=alice, approval_channel="phone")
    line.refresh_from_db()
    assert line.approval == WorkOrderLine.Approval.APPROVED


def test_a_lowered_total_is_signed_again_without_a_new_review(big, alice, frank):
    small = labour_line(big, hours="1", price="100.00")  # ¥10,100 net: ¥11,413.00 reviewed
    order_review_record(order=big, by=frank)
    orders.line_remove(line=small, by=alice)  # re-estimated lower: ¥11,300.00, still above the threshold
    assert order_gross(big) == Decimal("11300.00") and review_needed(big) is None
    estimates.estimate_sign(order=big, by=alice, method="signature", signature_png=PNG)
    big.refresh_from_db()
    assert big.status == WorkOrder.Status.OPEN and OrderReview.objects.filter(order=big).count() == 1


def test_the_order_page_asks_for_a_new_review_and_the_approval_is_refused_at_its_field(
        client_as, signed_big, alice, frank, oil_change):
    orders.line_add_labour(order=signed_big, by=alice, operation=oil_change, hours=Decimal("1"))
    url = reverse("reception:order_detail", args=[signed_big.pk])
    page = client_as(alice).get(url).content.decode()
    assert 'id="review-needed"' in page and "¥11,300.00" in page
    approve = reverse("reception:order_approve", args=[signed_big.pk])
    response = client_as(alice).post(approve, {"approval_channel": "phone"})
    assert response.status_code == 400
    assert "front-desk lead" in response.context["approval_form"].errors["approval_channel"][0]
    response = client_as(frank).post(reverse("reception:order_review", args=[signed_big.pk]))
    assert response.status_code == 302 and response.url == url
    assert client_as(alice).post(approve, {"approval_channel": "phone"}).status_code == 302
    assert 'id="review-needed"' not in client_as(alice).get(url).content.decode()
