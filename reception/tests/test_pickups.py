"""Pick-up and delivery (取送车): planned → picked up → delivered, signed at both ends, photos kept private."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.factories import PNG, image_bytes
from reception.factories import AppointmentFactory, PickupJobFactory
from reception.models import PickupJob
from reception.services import pickups

pytestmark = pytest.mark.django_db


@pytest.fixture
def window():
    start = timezone.now().replace(microsecond=0) + timedelta(days=1)
    return {"window_start": start, "window_end": start + timedelta(hours=1)}


def _plan(alice, driver, window, **owner):
    return pickups.pickup_plan(by=alice, driver=driver, pickup_address="漕溪北路1号", delivery_address="漕溪北路1号",
                               **window, **owner)


def test_states_with_signatures_at_both_ends(order, alice, bob, window):
    job = _plan(alice, bob, window, order=order)
    assert job.status == "planned"
    with pytest.raises(DomainError) as exc:
        pickups.pickup_hand_over(job=job, by=bob, signature_png=None)
    assert exc.value.field == "signature"
    photo = SimpleUploadedFile("car.jpg", image_bytes("JPEG", (40, 30)), content_type="image/jpeg")
    job = pickups.pickup_hand_over(job=job, by=bob, signature_png=PNG, note="右后轮毂擦伤", photo=photo)
    assert job.status == "picked_up" and job.pickup_signature and job.picked_up_at
    with pytest.raises(DomainError):
        pickups.pickup_cancel(job=job, by=alice)
    job = pickups.pickup_hand_over(job=job, by=bob, signature_png=PNG)
    assert job.status == "delivered" and job.delivery_signature and job.delivered_at
    with pytest.raises(DomainError):
        pickups.pickup_hand_over(job=job, by=bob, signature_png=PNG)
    assert list(job.events.values_list("kind", "by")) == [("planned", alice.pk), ("picked_up", bob.pk),
                                                         ("delivered", bob.pk)]
    assert list(job.photos.values_list("stage", flat=True)) == ["picked_up"]


def test_plan_for_an_appointment_refuses_another_stations_driver_and_a_bad_window(alice, mallory, bob, window,
                                                                                   station, vehicle, customer):
    appointment = AppointmentFactory(station=station, customer=customer, vehicle=vehicle, advisor=alice)
    with pytest.raises(DomainError) as exc:
        _plan(alice, mallory, window, appointment=appointment)
    assert exc.value.field == "driver"
    with pytest.raises(DomainError) as exc:
        _plan(alice, bob, {"window_start": window["window_end"], "window_end": window["window_start"]},
              appointment=appointment)
    assert exc.value.field == "window_end"
    assert _plan(alice, bob, window, appointment=appointment).station_id == station.pk


def test_cancel_a_planned_job(order, alice, bob, window):
    job = pickups.pickup_cancel(job=_plan(alice, bob, window, order=order), by=alice)
    assert job.status == "cancelled" and job.events.last().kind == "cancelled"


def test_views_plan_hand_over_and_private_photo(client_as, order, alice, bob):
    client = client_as(alice)
    start = timezone.localtime(timezone.now() + timedelta(days=1))
    fmt = "%Y-%m-%dT%H:%M"
    response = client.post(reverse("reception:pickup_for_order", args=[order.pk]), {
        "driver": bob.pk, "window_start": start.strftime(fmt), "window_end": (start + timedelta(hours=1)).strftime(fmt),
        "pickup_address": "漕溪北路1号", "delivery_address": "虹桥路2号"})
    assert response.status_code == 302
    job = PickupJob.objects.get(order=order)
    url = reverse("reception:pickup_hand_over", args=[job.pk])
    response = client.post(url, {"method": "signature", "signature": "", "note": "ok"})
    assert response.status_code == 400 and response.context["form"].errors["signature"]
    data_url = "data:image/png;base64," + base64.b64encode(PNG).decode()
    photo = SimpleUploadedFile("car.jpg", image_bytes("JPEG", (40, 30)), content_type="image/jpeg")
    response = client.post(url, {"method": "signature", "signature": data_url, "note": "无新损伤", "photo": photo})
    assert response.status_code == 302
    page = client.get(reverse("reception:pickup_detail", args=[job.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "/files/pickup-photo/" in body and "/files/pickup-signature-out/" in body
    photo_url = body.split('src="/files/pickup-photo/')[1].split('"')[0]
    assert client.get("/files/pickup-photo/" + photo_url).status_code == 200


def test_other_stations_job_is_404(client_as, mallory, order, bob):
    job = PickupJobFactory(order=order, driver=bob)
    client = client_as(mallory)
    assert client.get(reverse("reception:pickup_detail", args=[job.pk])).status_code == 404
    assert client.post(reverse("reception:pickup_cancel", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == "planned"
