"""Price policies (价格政策): the parts lead sets, per payer, the basis and the markup; errors stay at the field."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from core.errors import DomainError
from parts.factories import PartFactory, PricePolicyFactory
from parts.models import PartsEvent, PricePolicy
from parts.services.catalogue import price_policy_set, sale_price
from parts.tests.html import box, is_invalid

PAGE = reverse("parts:price_policies")
SAVE = reverse("parts:price_policy_save")


@pytest.fixture
def part(station):
    return PartFactory(station=station, part_number="04152-YZZA1", list_price=Decimal("100.00"),
                       cost=Decimal("60.0000"))


def test_the_parts_lead_sets_a_markup_and_the_price_follows(client_as, station, part, lead):
    client = client_as(lead)
    response = client.post(SAVE, {"payer": "warranty", "basis": "cost", "markup_pct": "15"})
    assert response.status_code == 302 and response["Location"] == PAGE
    policy = PricePolicy.objects.get(station=station, payer="warranty")
    assert (policy.basis, policy.markup_pct) == ("cost", Decimal("15"))
    assert sale_price(part=part, payer="warranty") == Decimal("69.00")
    event = PartsEvent.objects.get(kind="price_policy")
    assert (event.by, event.reference) == (lead, "warranty")
    page = client.get(PAGE, {"part_number": "04152-yzza1"})
    assert page.context["example"] == part
    rows = {row["payer"]: row for row in page.context["rows"]}
    assert rows["warranty"]["price"] == Decimal("69.00") and rows["customer"]["price"] == Decimal("100.00")
    content = page.content.decode()
    assert "¥69.00" in content and str(lead) in content


def test_saving_the_same_policy_again_records_nothing(station, lead):
    price_policy_set(station=station, payer="insurance", basis="list", markup_pct=Decimal("5"), by=lead)
    price_policy_set(station=station, payer="insurance", basis="list", markup_pct=Decimal("5.00"), by=lead)
    assert PartsEvent.objects.filter(kind="price_policy").count() == 1


def test_a_discount_on_the_list_price_is_allowed_but_not_below_cost(station, lead, part):
    price_policy_set(station=station, payer="internal", basis="list", markup_pct=Decimal("-10"), by=lead)
    assert sale_price(part=part, payer="internal") == Decimal("90.00")
    with pytest.raises(DomainError) as refused:
        price_policy_set(station=station, payer="internal", basis="cost", markup_pct=Decimal("-5"), by=lead)
    assert refused.value.field == "markup_pct"
    with pytest.raises(DomainError):
        price_policy_set(station=station, payer="nobody", basis="list", markup_pct=Decimal("0"), by=lead)


def _row(page: str, payer: str) -> str:
    start = page.index(f'id="policy-{payer}"')
    return page[start:page.index("</tr>", start)]


def test_a_negative_markup_on_cost_is_refused_at_the_markup_and_nothing_changes(client_as, station, lead):
    PricePolicyFactory(station=station, payer="warranty", basis="cost", markup_pct=Decimal("15"))
    response = client_as(lead).post(SAVE, {"payer": "warranty", "basis": "cost", "markup_pct": "-5"})
    assert response.status_code == 400
    page = response.content.decode()
    row = _row(page, "warranty")
    assert "the parts would be sold below cost" in row and is_invalid(box(row, "markup_pct"))
    assert 'value="-5"' in box(row, "markup_pct") and 'value="cost" selected' in row
    assert "below cost" not in _row(page, "customer") and not is_invalid(box(_row(page, "customer"), "markup_pct"))
    policy = PricePolicy.objects.get(station=station, payer="warranty")
    assert policy.markup_pct == Decimal("15") and not PartsEvent.objects.exists()


def test_a_markup_that_is_not_a_number_is_refused(client_as, station, lead):
    response = client_as(lead).post(SAVE, {"payer": "customer", "basis": "list", "markup_pct": "abc"})
    assert response.status_code == 400
    assert "Enter a number." in response.content.decode()
    assert not PricePolicy.objects.exists()


def test_only_the_parts_lead_sees_and_sets_prices(client_as, station, clerk, carol):
    for person in (clerk, carol):
        client = client_as(person)
        assert client.get(PAGE).status_code == 403
        assert client.post(SAVE, {"payer": "customer", "basis": "list", "markup_pct": "5"}).status_code == 403
    assert not PricePolicy.objects.exists()


def test_a_policy_is_set_for_the_leads_own_station_only(client_as, station, other_station, lead):
    PricePolicyFactory(station=other_station, payer="customer", basis="list", markup_pct=Decimal("30"))
    client = client_as(lead)
    client.post(SAVE, {"payer": "customer", "basis": "list", "markup_pct": "5"})
    assert PricePolicy.objects.get(station=other_station).markup_pct == Decimal("30")
    assert PricePolicy.objects.get(station=station).markup_pct == Decimal("5")
    rows = {row["payer"]: row for row in client.get(PAGE).context["rows"]}
    assert rows["customer"]["policy"].station == station
