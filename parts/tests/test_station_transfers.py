"""Transfers between stations of the same group: ship = stock out at the source, receive = stock in at the
destination (its part of the same number), never negative, each step with who and when."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from core.errors import DomainError
from org.factories import DealerGroupFactory, StationFactory
from parts.factories import PartFactory
from parts.models import PartsEvent, StationTransfer, StockBalance, StockMove
from parts.services.station_transfers import (
    station_transfer_create,
    station_transfer_receive,
    station_transfer_ship,
)
from parts.services.stock import warehouse_main

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_b(make_staff, other_station):
    return make_staff("parts_lead", username="bella", station=other_station)


def _on_hand(station, part) -> Decimal:
    return StockBalance.objects.get(warehouse=warehouse_main(station=station), part=part).on_hand


def test_ship_then_receive_moves_the_stock_between_the_stations(station, other_station, stocked, lead, lead_b):
    part = stocked(qty="10", cost="40.00")
    theirs = PartFactory(station=other_station, part_number=part.part_number, brand=part.brand)
    transfer = station_transfer_create(from_station=station, to_station=other_station, by=lead,
                                       lines=[{"part": part, "quantity": "4"}])
    assert transfer.status == "draft" and transfer.number.startswith("DB")
    with pytest.raises(DomainError):
        station_transfer_receive(transfer=transfer, station=other_station, by=lead_b)  # not shipped yet
    with pytest.raises(DomainError):
        station_transfer_ship(transfer=transfer, station=other_station, by=lead_b)  # only the sender ships
    transfer = station_transfer_ship(transfer=transfer, station=station, by=lead)
    assert _on_hand(station, part) == Decimal("6")  # 10 − 4
    assert (transfer.shipped_by, transfer.status) == (lead, "shipped") and transfer.shipped_at is not None
    assert transfer.lines.get().unit_cost == Decimal("40.0000")
    with pytest.raises(DomainError):
        station_transfer_receive(transfer=transfer, station=station, by=lead)  # only the receiver receives
    transfer = station_transfer_receive(transfer=transfer, station=other_station, by=lead_b)
    assert _on_hand(other_station, theirs) == Decimal("4")
    move = StockMove.objects.get(part=theirs, kind=StockMove.Kind.TRANSFER_IN)
    assert (move.quantity, move.unit_cost, move.by, move.reference) == (Decimal("4"), Decimal("40"), lead_b,
                                                                       transfer.number)
    assert (transfer.received_by, transfer.status) == (lead_b, "received") and transfer.received_at is not None
    assert set(PartsEvent.objects.filter(reference=transfer.number).values_list("kind", flat=True)) == {
        "station_transfer.created", "station_transfer.shipped", "station_transfer.received"}


def test_shipping_more_than_on_hand_is_refused_and_nothing_moves(station, other_station, stocked, lead):
    part = stocked(qty="3")
    transfer = station_transfer_create(from_station=station, to_station=other_station, by=lead,
                                       lines=[{"part": part, "quantity": "5"}])
    with pytest.raises(DomainError):
        station_transfer_ship(transfer=transfer, station=station, by=lead)
    assert _on_hand(station, part) == Decimal("3")
    transfer.refresh_from_db()
    assert transfer.status == "draft"


def test_only_stations_of_the_same_group(station, stocked, lead):
    part = stocked(qty="3")
    elsewhere = StationFactory(code="station-x", group=DealerGroupFactory(code="other-group"))
    assert elsewhere.group_id != station.group_id
    for target in (elsewhere, station):
        with pytest.raises(DomainError) as exc:
            station_transfer_create(from_station=station, to_station=target, by=lead,
                                    lines=[{"part": part, "quantity": "1"}])
        assert exc.value.field == "to_station"


def test_a_part_missing_at_the_destination_is_refused_at_receipt(station, other_station, stocked, lead, lead_b):
    part = stocked(qty="3")
    transfer = station_transfer_create(from_station=station, to_station=other_station, by=lead,
                                       lines=[{"part": part, "quantity": "1"}])
    station_transfer_ship(transfer=transfer, station=station, by=lead)
    with pytest.raises(DomainError):
        station_transfer_receive(transfer=transfer, station=other_station, by=lead_b)
    assert StationTransfer.objects.get(pk=transfer.pk).status == "shipped"


def test_the_pages_create_ship_and_receive(client, station, other_station, stocked, lead, lead_b):
    part = stocked(qty="5")
    theirs = PartFactory(station=other_station, part_number=part.part_number, brand=part.brand)
    client.force_login(lead)
    url = reverse("parts:station_transfer_new")
    response = client.post(url, {"to_station": other_station.pk, "lines": "NO-SUCH-PART 1"})
    assert response.status_code == 400 and response.context["form"].errors["lines"]
    response = client.post(url, {"to_station": other_station.pk, "lines": f"{part.part_number} 2", "note": "急用"})
    assert response.status_code == 302
    transfer = StationTransfer.objects.get(from_station=station)
    client.post(reverse("parts:station_transfer_ship", args=[transfer.pk]))
    assert _on_hand(station, part) == Decimal("3")
    client.force_login(lead_b)
    page = client.get(reverse("parts:station_transfers")).content.decode()
    assert f'data-transfer="{transfer.number}"' in page
    assert reverse("parts:station_transfer_receive", args=[transfer.pk]) in page  # the receiving station's button
    client.post(reverse("parts:station_transfer_receive", args=[transfer.pk]))
    assert _on_hand(other_station, theirs) == Decimal("2")
