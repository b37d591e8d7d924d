"""Two people reserving or issuing the last unit at the same moment: exactly one succeeds (row locks)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from core.errors import DomainError
from org.factories import StaffFactory, StationFactory
from parts.factories import PartFactory
from parts.models import DemandLine, Reservation, StockBalance, StockMove
from parts.services.counter import parts_issue
from parts.services.demand import part_line_requested
from parts.services.stock import stock_move_post, warehouse_main
from reception.factories import WorkOrderFactory, part_line

THREADS = 20


def _run_all(target, args_list):
    barrier = threading.Barrier(len(args_list))
    results: list = [None] * len(args_list)

    def run(i, args):
        try:
            barrier.wait()
            results[i] = target(*args)
        except Exception as exc:  # noqa: BLE001 - collected and inspected below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(args_list)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _last_unit_world():
    station = StationFactory(code="race")
    clerk = StaffFactory(username="race-clerk", station=station, position="parts_clerk")
    part = PartFactory(station=station)
    warehouse = warehouse_main(station=station)
    stock_move_post(warehouse=warehouse, part=part, kind=StockMove.Kind.OPENING, quantity=Decimal("1"), by=clerk,
                    unit_cost=Decimal("40"))
    lines = [part_line(order=WorkOrderFactory(station=station, status="open"), part=part,
                       qty="1") for _ in range(THREADS)]
    return station, clerk, part, lines


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_people_reserving_the_last_unit_exactly_one_gets_it():
    _station, clerk, part, lines = _last_unit_world()
    results = _run_all(lambda line: part_line_requested(line=line, by=clerk), [(line,) for line in lines])
    assert not [r for r in results if isinstance(r, Exception)]
    assert Reservation.objects.filter(part=part, quantity=Decimal("1")).count() == 1
    assert DemandLine.objects.filter(part=part, filled_from_stock=True).count() == 1
    balance = StockBalance.objects.get(part=part)
    assert (balance.on_hand, balance.reserved) == (Decimal("1"), Decimal("1"))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_clerks_issuing_the_last_unit_exactly_one_succeeds():
    _station, clerk, part, lines = _last_unit_world()
    results = _run_all(lambda line: parts_issue(line=line, quantity=Decimal("1"), by=clerk), [(li,) for li in lines])
    successes = [r for r in results if isinstance(r, StockMove)]
    refusals = [r for r in results if isinstance(r, DomainError)]
    assert len(successes) == 1
    assert len(refusals) == THREADS - 1
    assert StockBalance.objects.get(part=part).on_hand == 0
