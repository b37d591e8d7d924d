from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from reception.factories import LabourOperationFactory, WorkOrderFactory, WorkOrderLineFactory
from workshop.factories import BayFactory


def png_bytes(colour=(200, 30, 30), size=(40, 20)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _clean(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.WORKSHOP_BOARD_CACHE_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def order(station, alice):
    order = WorkOrderFactory(signed=True, station=station, advisor=alice)
    order.customer.mobile = "13812345678"
    order.customer.save(update_fields=["mobile"])
    return order


@pytest.fixture
def dispatched(order, bob, make_staff, carol):
    from workshop.services.dispatch import job_dispatch

    lead = make_staff("workshop_lead", username="dave", reports_to=carol)
    line = WorkOrderLineFactory(labour=True, order=order, hours="2.00", unit_price="100.00")
    job_dispatch(line=line, technicians=[bob], bay=BayFactory(station=order.station, code="A1"), by=lead)
    return line


@pytest.fixture
def make_finding(dispatched, bob):
    from workshop.services.findings import finding_create

    def make(description="前刹车片磨损到极限", code="BRK-01"):
        op = LabourOperationFactory(station=dispatched.order.station, code=code, name_zh=f"更换{code}",
                                    standard_hours="1.00")
        return finding_create(order=dispatched.order, by=bob, description=description, labour_operation=op,
                              found_on=dispatched,
                              photos=[SimpleUploadedFile("f.png", png_bytes(), content_type="image/png")])

    return make


@pytest.fixture
def token(order):
    from portal.services.link import link_issue, link_token

    return link_token(link_issue(order=order))


@pytest.fixture
def verified(client, token):
    """A phone that has passed the gate of the order's link."""
    response = client.post(f"/c/{token}/", {"digits": "5678"})
    assert response.status_code == 302
    return client
