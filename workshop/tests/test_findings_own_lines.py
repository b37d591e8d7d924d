"""Issue 13 (Low): a technician records findings only on the jobs dispatched to him; another technician of the
same station is refused (403, logged), and the service refuses too."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.errors import DomainError
from core.models import AccessDenial
from workshop.models import Finding
from workshop.services.findings import finding_create


@pytest.fixture
def tom(make_staff, carol):
    return make_staff("technician", username="tom", reports_to=carol)


def test_the_dispatched_technician_records_a_finding_on_his_line(client_as, bob, dispatched, labour_op):
    url = reverse("workshop:finding_create", args=[dispatched.pk])
    assert client_as(bob).get(url).status_code == 200
    response = client_as(bob).post(url, {"description": "刹车片磨损", "labour_operation": labour_op.pk})
    assert response.status_code == 302
    assert Finding.objects.get().found_by == bob


def test_another_technician_of_the_station_cannot_record_a_finding_on_that_line(client_as, tom, dispatched,
                                                                               labour_op):
    url = reverse("workshop:finding_create", args=[dispatched.pk])
    assert client_as(tom).get(url).status_code == 403
    response = client_as(tom).post(url, {"description": "刹车片磨损", "labour_operation": labour_op.pk})
    assert response.status_code == 403
    assert not Finding.objects.exists()
    assert AccessDenial.objects.filter(user=tom, path=url).exists()


def test_the_service_refuses_a_finding_by_a_technician_not_on_the_order(tom, dispatched, labour_op):
    with pytest.raises(DomainError, match="not dispatched to you"):
        finding_create(order=dispatched.order, by=tom, description="x", labour_operation=labour_op)
    with pytest.raises(DomainError, match="not dispatched to you"):
        finding_create(order=dispatched.order, by=tom, description="x", labour_operation=labour_op,
                       found_on=dispatched)
    assert not Finding.objects.exists()
