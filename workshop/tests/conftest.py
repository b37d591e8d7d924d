from __future__ import annotations

import pytest

from reception.factories import LabourOperationFactory, WorkOrderFactory, WorkOrderLineFactory
from workshop.factories import BayFactory


@pytest.fixture
def dispatcher(make_staff, carol):
    return make_staff("workshop_lead", username="dave", reports_to=carol)


@pytest.fixture
def bob2(make_staff, dispatcher):
    return make_staff("technician", username="bert", reports_to=dispatcher)


@pytest.fixture
def quinn(make_staff, dispatcher):
    return make_staff("qc_inspector", username="quinn", reports_to=dispatcher)


@pytest.fixture
def order(station, alice):
    return WorkOrderFactory(signed=True, station=station, advisor=alice)


@pytest.fixture
def line(order):
    return WorkOrderLineFactory(labour=True, order=order, hours="2.00")


@pytest.fixture
def bay(station):
    return BayFactory(station=station, code="A1", name="一号举升机")


@pytest.fixture
def labour_op(station):
    return LabourOperationFactory(station=station, code="BRK-01", name_zh="更换前刹车片", standard_hours="1.20")


@pytest.fixture
def dispatched(line, bob, bay, dispatcher):
    from workshop.services.dispatch import job_dispatch

    job_dispatch(line=line, technicians=[bob], bay=bay, by=dispatcher)
    return line


@pytest.fixture(autouse=True)
def _no_board_cache(settings):
    """Tests see the board as built now; test_board_cache turns the cache on where it is the subject."""
    settings.WORKSHOP_BOARD_CACHE_SECONDS = 0
