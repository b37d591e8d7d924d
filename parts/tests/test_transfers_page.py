"""Transfers (调拨) between the station's warehouses: the form, its errors at the fields, the list, who may do it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from parts.factories import PartFactory, WarehouseFactory
from parts.models import StockBalance, StockMove
from parts.services.stock import stock_transfer, warehouse_main

LIST = reverse("parts:transfer_list")
CREATE = reverse("parts:transfer_create")


@pytest.fixture
def quick(station):
    return WarehouseFactory(station=station, code="QUICK", name="快修备件库")


def _on_hand(part, warehouse) -> Decimal:
    balance = StockBalance.objects.filter(part=part, warehouse=warehouse).first()
    return balance.on_hand if balance else Decimal("0")


def _transfer_moves():
    return StockMove.objects.filter(kind__in=[StockMove.Kind.TRANSFER_OUT, StockMove.Kind.TRANSFER_IN])


def test_the_parts_lead_transfers_stock_and_sees_it_in_the_list(client_as, stocked, warehouse, quick, lead):
    part = stocked(qty="5", part_number="04152-YZZA1")
    client = client_as(lead)
    response = client.post(CREATE, {"part_number": "04152-yzza1", "source": warehouse.pk, "target": quick.pk,
                                    "quantity": "2", "reason": "快修工位备货"})
    assert response.status_code == 302 and response["Location"] == LIST
    assert (_on_hand(part, warehouse), _on_hand(part, quick)) == (Decimal("3"), Decimal("2"))
    assert {m.by for m in _transfer_moves()} == {lead}
    page = client.get(LIST)
    assert [m.part for m in page.context["page"]] == [part]  # one row per transfer, not one per move
    content = page.content.decode()
    assert "快修工位备货" in content and "快修备件库" in content and str(warehouse) in content and str(lead) in content


def test_not_enough_stock_is_shown_at_the_quantity_field_and_nothing_moves(client_as, stocked, warehouse, quick,
                                                                           lead):
    part = stocked(qty="5", part_number="04152-YZZA1")
    response = client_as(lead).post(CREATE, {"part_number": "04152-YZZA1", "source": warehouse.pk,
                                             "target": quick.pk, "quantity": "9", "reason": "备货"})
    assert response.status_code == 400
    form = response.context["form"]
    assert "Not enough stock of 04152-YZZA1" in form.errors["quantity"][0]
    assert form["quantity"].value() == "9" and form["reason"].value() == "备货"  # nothing typed is lost
    assert "Not enough stock of 04152-YZZA1" in response.content.decode()
    assert _on_hand(part, warehouse) == Decimal("5") and not _transfer_moves().exists()
    assert not StockBalance.objects.filter(warehouse=quick).exists()


def test_stock_reserved_for_work_orders_cannot_be_transferred(client_as, station, stocked, warehouse, quick, lead,
                                                              alice):
    from parts.services.demand import part_line_requested
    from reception.factories import WorkOrderFactory, part_line

    part = stocked(qty="2", part_number="04152-YZZA1")
    part_line_requested(line=part_line(order=WorkOrderFactory(station=station, status="open"), part=part, qty="2"),
                        by=alice)
    response = client_as(lead).post(CREATE, {"part_number": part.part_number, "source": warehouse.pk,
                                             "target": quick.pk, "quantity": "1"})
    assert "reserved for work orders" in response.context["form"].errors["quantity"][0]
    assert not _transfer_moves().exists()


def test_an_unknown_part_is_shown_at_the_part_number_field(client_as, warehouse, quick, lead):
    response = client_as(lead).post(CREATE, {"part_number": "NOPE-1", "source": warehouse.pk, "target": quick.pk,
                                             "quantity": "1"})
    assert response.context["form"].errors["part_number"] == ["No part with number NOPE-1."]
    assert not _transfer_moves().exists()


def test_the_same_warehouse_twice_is_refused_at_the_target_field(client_as, stocked, warehouse, quick, lead):
    part = stocked(qty="5")
    response = client_as(lead).post(CREATE, {"part_number": part.part_number, "source": warehouse.pk,
                                             "target": warehouse.pk, "quantity": "1"})
    assert response.context["form"].errors["target"] == ["Choose a different warehouse to transfer to."]
    assert _on_hand(part, warehouse) == Decimal("5") and not _transfer_moves().exists()


def test_only_the_users_station_warehouses_can_be_chosen(client_as, stocked, warehouse, other_station, lead):
    part = stocked(qty="5")
    foreign = warehouse_main(station=other_station)
    client = client_as(lead)
    assert foreign not in client.get(CREATE).context["form"].fields["target"].queryset
    response = client.post(CREATE, {"part_number": part.part_number, "source": warehouse.pk, "target": foreign.pk,
                                    "quantity": "1"})
    assert "target" in response.context["form"].errors
    assert _on_hand(part, warehouse) == Decimal("5") and not _transfer_moves().exists()


def test_a_clerk_sees_the_transfers_but_may_not_transfer(client_as, stocked, warehouse, quick, clerk):
    part = stocked(qty="5")
    client = client_as(clerk)
    response = client.get(LIST)
    assert response.status_code == 200 and response.context["form"] is None
    assert CREATE not in response.content.decode()
    response = client.post(CREATE, {"part_number": part.part_number, "source": warehouse.pk, "target": quick.pk,
                                    "quantity": "1"})
    assert response.status_code == 403
    assert not _transfer_moves().exists()


def test_a_technician_may_not_see_the_transfers(client_as, bob):
    assert client_as(bob).get(LIST).status_code == 403


def test_another_stations_transfers_are_not_listed(client_as, station, other_station, stocked, warehouse, quick,
                                                   lead, make_staff):
    ours = stocked(qty="5", part_number="04152-OURS")
    stock_transfer(part=ours, source=warehouse, target=quick, quantity=Decimal("1"), by=lead)
    foreign_lead = make_staff("parts_lead", station=other_station, username="otto")
    theirs = PartFactory(station=other_station, part_number="04152-THEIRS")
    foreign_main = warehouse_main(station=other_station)
    from parts.services.stock import stock_move_post

    stock_move_post(warehouse=foreign_main, part=theirs, kind=StockMove.Kind.OPENING, quantity=Decimal("3"),
                    by=foreign_lead, unit_cost=Decimal("1"))
    stock_transfer(part=theirs, source=foreign_main, target=WarehouseFactory(station=other_station),
                   quantity=Decimal("1"), by=foreign_lead)
    content = client_as(lead).get(LIST).content.decode()
    assert "04152-OURS" in content and "04152-THEIRS" not in content


def test_the_list_filters_by_part_number(client_as, stocked, warehouse, quick, lead):
    oil = stocked(qty="5", part_number="04152-YZZA1")
    plug = stocked(qty="5", part_number="90919-01253")
    for part in (oil, plug):
        stock_transfer(part=part, source=warehouse, target=quick, quantity=Decimal("1"), by=lead)
    response = client_as(lead).get(LIST, {"q": "9091"})
    assert [m.part for m in response.context["page"]] == [plug]


def test_the_part_page_links_to_the_form_with_its_number_filled_in(client_as, stocked, quick, lead):
    part = stocked(qty="5", part_number="04152-YZZA1")
    client = client_as(lead)
    link = f"{CREATE}?part_number=04152-YZZA1"
    assert link in client.get(reverse("parts:part_detail", args=[part.pk])).content.decode()
    response = client.get(link)
    assert response.status_code == 200
    assert response.context["form"]["part_number"].value() == "04152-YZZA1"


def test_one_warehouse_only_says_so(client_as, warehouse, lead):
    response = client_as(lead).get(LIST)
    assert "only one warehouse" in response.content.decode()
