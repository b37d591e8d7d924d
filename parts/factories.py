"""The one place tests and benches build the parts department's rows: catalogue parts, warehouses, suppliers, and
stock moves written straight into the ledger (for histories at fixed moments; live stock goes through
``parts.services.stock``). Order lines that carry a part are reception's: ``reception.factories.part_line``."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.utils import timezone

from org.factories import StationFactory
from parts.models import Part, PricePolicy, StockMove, Supplier, Warehouse


class PartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Part

    station = factory.SubFactory(StationFactory)
    part_number = factory.Sequence(lambda n: f"04152-{n:05d}")
    brand = "TOYOTA"
    name_zh = factory.Sequence(lambda n: f"机油滤清器{n}")
    name_en = factory.Sequence(lambda n: f"Oil filter {n}")
    cost = Decimal("40.0000")
    list_price = Decimal("68.00")


class WarehouseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Warehouse

    station = factory.SubFactory(StationFactory)
    code = factory.Sequence(lambda n: f"WH{n}")
    name = factory.Sequence(lambda n: f"仓库{n}")


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    station = factory.SubFactory(StationFactory)
    code = factory.Sequence(lambda n: f"SUP{n}")
    name = factory.Sequence(lambda n: f"一汽丰田配件中心{n}")


class StockMoveFactory(factory.django.DjangoModelFactory):
    """A ledger row as history (no balance is touched): only for tests that need moves at given moments."""

    class Meta:
        model = StockMove

    station = factory.SelfAttribute("warehouse.station")
    warehouse = factory.SubFactory(WarehouseFactory)
    part = factory.SubFactory(PartFactory, station=factory.SelfAttribute("..station"))
    kind = StockMove.Kind.RECEIPT
    quantity = Decimal("1")
    unit_cost = factory.SelfAttribute("part.cost")
    balance_after = factory.SelfAttribute("quantity")
    at = factory.LazyFunction(timezone.now)


class PricePolicyFactory(factory.django.DjangoModelFactory):
    """How a payer's sale price is made: list price plus a markup (10 % for insurance by default)."""

    class Meta:
        model = PricePolicy

    station = factory.SubFactory(StationFactory)
    payer = "insurance"
    basis = PricePolicy.Basis.LIST
    markup_pct = Decimal("10")
