"""The station's warehouses and suppliers as set up on the first-run checklist: codes unique in the station
(refused at the field), exactly one main warehouse, an audit row for every change."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.errors import DomainError
from parts.factories import SupplierFactory
from parts.models import PartsEvent, Warehouse
from parts.services.setup import supplier_create, supplier_update, warehouse_create, warehouse_update
from parts.services.stock import warehouse_main

pytestmark = pytest.mark.django_db


def test_the_first_warehouse_is_the_main_one_and_the_stock_code_uses_it(station, carol):
    first = warehouse_create(station=station, by=carol, code="MAIN", name="总库")
    second = warehouse_create(station=station, by=carol, code="QUICK", name="快修库")
    assert first.is_main and not second.is_main
    assert warehouse_main(station=station) == first
    assert Warehouse.objects.filter(station=station).count() == 2  # warehouse_main created no other


def test_marking_another_warehouse_main_moves_the_mark(station, carol):
    first = warehouse_create(station=station, by=carol, code="MAIN", name="总库")
    second = warehouse_create(station=station, by=carol, code="NEW", name="新库", is_main=True)
    first.refresh_from_db()
    assert second.is_main and not first.is_main
    warehouse_update(warehouse=first, by=carol, code="MAIN", name="总库", is_main=True)
    second.refresh_from_db()
    assert not second.is_main
    assert Warehouse.objects.filter(station=station, is_main=True).count() == 1


def test_the_main_warehouse_cannot_simply_lose_its_mark(station, carol):
    main = warehouse_create(station=station, by=carol, code="MAIN", name="总库")
    with pytest.raises(DomainError) as refused:
        warehouse_update(warehouse=main, by=carol, code="MAIN", name="总库", is_main=False)
    assert refused.value.field == "is_main"
    main.refresh_from_db()
    assert main.is_main


def test_warehouse_and_supplier_codes_are_unique_in_the_station_only(station, other_station, carol):
    warehouse_create(station=station, by=carol, code="MAIN", name="总库")
    with pytest.raises(DomainError) as refused:
        warehouse_create(station=station, by=carol, code="main", name="重复")
    assert refused.value.field == "code"
    assert warehouse_create(station=other_station, by=carol, code="MAIN", name="B站总库").station == other_station
    supplier_create(station=station, by=carol, code="TTC", name="丰田")
    with pytest.raises(DomainError) as refused:
        supplier_create(station=station, by=carol, code="ttc", name="重复")
    assert refused.value.field == "code"
    other = SupplierFactory(station=station, code="GAC")
    with pytest.raises(DomainError) as refused:
        supplier_update(supplier=other, by=carol, code="TTC", name="x", lead_days=1)
    assert refused.value.field == "code"


def test_every_change_writes_who_and_what(station, carol):
    supplier = supplier_create(station=station, by=carol, code="TTC", name="丰田", lead_days=3)
    supplier_update(supplier=supplier, by=carol, code="TTC", name="丰田纺织", lead_days=5)
    events = list(PartsEvent.objects.filter(station=station).order_by("id"))
    assert [(e.kind, e.by) for e in events] == [("supplier.created", carol), ("supplier.changed", carol)]
    assert "lead_days: 3 → 5" in events[1].note


def test_the_pages_show_a_refusal_at_the_field(client, station, carol):
    client.force_login(carol)
    client.post(reverse("parts:warehouses"), {"code": "MAIN", "name": "总库"})
    main = Warehouse.objects.get(station=station)
    response = client.post(reverse("parts:warehouse_edit", args=[main.pk]), {"code": "MAIN", "name": "总库"})
    assert response.status_code == 400
    assert response.context["form"].errors["is_main"]
    response = client.post(reverse("parts:suppliers"), {"code": "", "name": "无代码", "lead_days": "3"})
    assert response.status_code == 400 and "code" in response.context["form"].errors


def test_another_stations_supplier_and_warehouse_are_not_found(client, station, other_station, carol):
    supplier = SupplierFactory(station=other_station, code="B")
    warehouse = warehouse_main(station=other_station)
    client.force_login(carol)
    for url in (reverse("parts:supplier_edit", args=[supplier.pk]), reverse("parts:warehouse_edit", args=[warehouse.pk])):
        assert client.get(url).status_code == 404
        assert client.post(url, {"code": "X", "name": "x", "lead_days": "1", "is_main": "on"}).status_code == 404
    supplier.refresh_from_db()
    assert supplier.code == "B"
