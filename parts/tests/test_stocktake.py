from __future__ import annotations

from decimal import Decimal

import pytest

from core.errors import DomainError
from parts.models import StockBalance, StockMove, Stocktake
from parts.services.catalogue import part_set_location
from parts.services.scrap import scrap_request_create, scrap_request_decide
from parts.services.stocktake import (
    stocktake_approve,
    stocktake_count,
    stocktake_create,
    stocktake_submit,
    variance_report,
)


def _sheet(stocked, warehouse, clerk):
    a, b, c = stocked(qty="10", cost="10"), stocked(qty="4", cost="25"), stocked(qty="7")
    for part, bin_ in ((a, "A-01"), (b, "A-02"), (c, "B-01")):
        part_set_location(part=part, warehouse=warehouse, by=clerk, bin_location=bin_, min_qty=Decimal("0"),
                          max_qty=Decimal("0"))
    take = stocktake_create(warehouse=warehouse, by=clerk, bin_prefix="A")
    return take, a, b


def test_a_count_sheet_covers_only_the_chosen_bins(stocked, warehouse, clerk):
    take, a, b = _sheet(stocked, warehouse, clerk)
    assert {line.part for line in take.lines.all()} == {a, b}


def test_approved_variances_are_posted_as_adjustments(stocked, warehouse, clerk, lead):
    take, a, b = _sheet(stocked, warehouse, clerk)
    lines = {line.part_id: line for line in take.lines.all()}
    stocktake_count(stocktake=take, counts={lines[a.pk].pk: 9, lines[b.pk].pk: 5}, by=clerk)
    stocktake_submit(stocktake=take, by=clerk)
    report = variance_report(stocktake=take)
    assert report["net"] == Decimal("15")  # -1 × 10 + 1 × 25
    assert stocktake_approve(stocktake=take, by=lead) == 2
    assert StockBalance.objects.get(part=a).on_hand == Decimal("9")
    assert StockBalance.objects.get(part=b).on_hand == Decimal("5")
    assert StockMove.objects.filter(kind=StockMove.Kind.ADJUSTMENT, reference=take.number).count() == 2
    take.refresh_from_db()
    assert take.status == Stocktake.Status.POSTED and take.approved_by == lead


def test_a_clerk_cannot_approve_a_stocktake(stocked, warehouse, clerk):
    take, a, b = _sheet(stocked, warehouse, clerk)
    stocktake_count(stocktake=take, counts={line.pk: 1 for line in take.lines.all()}, by=clerk)
    stocktake_submit(stocktake=take, by=clerk)
    with pytest.raises(DomainError):
        stocktake_approve(stocktake=take, by=clerk)


def test_an_uncounted_sheet_cannot_be_submitted(stocked, warehouse, clerk):
    take, _a, _b = _sheet(stocked, warehouse, clerk)
    with pytest.raises(DomainError):
        stocktake_submit(stocktake=take, by=clerk)


def test_scrap_needs_the_station_manager_and_then_leaves_stock(stocked, clerk, lead, carol):
    part = stocked(qty="3")
    request = scrap_request_create(part=part, quantity=Decimal("2"), reason="泡水", by=clerk)
    with pytest.raises(DomainError):
        scrap_request_decide(request=request, by=lead, approve=True)
    scrap_request_decide(request=request, by=carol, approve=True)
    assert StockBalance.objects.get(part=part).on_hand == Decimal("1")


def test_scrap_cannot_ask_for_more_than_the_free_stock(stocked, clerk):
    part = stocked(qty="1")
    with pytest.raises(DomainError):
        scrap_request_create(part=part, quantity=Decimal("2"), reason="损坏", by=clerk)
