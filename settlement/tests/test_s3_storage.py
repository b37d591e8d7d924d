"""Issue 14, item 3: uploads in a private S3-compatible bucket, against a real S3-protocol server.

moto runs in server mode as a separate process (tests/s3.py) and Django's default storage is django-storages' S3
backend pointed at a fresh bucket there, configured by the same code as production (config/storage.py). Photos and
signatures go in through the real views and services; what is in the bucket is checked with boto3 (not through
Django), what users get through the checked view /files/<kind>/<pk>/, and the printed work order must carry the
signature read back from the bucket. If moto cannot start, these tests fail (they are never skipped).
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import pytest
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image, ImageDraw
from pypdf import PdfReader
from storages.backends.s3 import S3Storage

from core.factories import PNG, image_bytes
from reception.factories import CustomerFactory, VehicleFactory, labour_line
from reception.models import EstimateVersion, OrderPhoto
from reception.services import orders
from reception.services.estimates import estimate_sign
from settlement.models import Delivery, WarrantyClaim, WarrantyClaimPhoto
from tests.s3 import (
    anonymous_get,
    create_bucket,
    object_keys,
    s3_client,
    start_moto_server,
    stop_moto_server,
    storage_settings,
)

pytestmark = [pytest.mark.django_db, pytest.mark.s3]

SIGNATURE_SIZE = (300, 100)


@pytest.fixture(scope="session")
def moto_endpoint(tmp_path_factory):
    """One moto server for the session (each test has its own bucket)."""
    process, endpoint = start_moto_server(tmp_path_factory.mktemp("moto") / "moto.log")
    yield endpoint
    stop_moto_server(process)


@pytest.fixture
def bucket(moto_endpoint, settings, tmp_path):
    """Django's default storage is the S3 backend on a fresh private bucket for this test; put back afterwards (the
    settings fixture restores STORAGES, and Django's setting_changed handler drops the cached storages both ways).
    MEDIA_ROOT points at an empty folder that must stay empty: nothing may go to local disk."""
    name = create_bucket(moto_endpoint)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = storage_settings(settings.STORAGES, moto_endpoint, name)
    assert isinstance(storages["default"], S3Storage)
    assert default_storage.bucket_name == name  # the lazy default_storage follows the override too
    assert OrderPhoto._meta.get_field("image").storage.bucket_name == name  # and so do the file fields
    yield name
    assert not (tmp_path / "media").exists(), "something was written to local disk instead of the bucket"


def _read_object(endpoint: str, bucket: str, key: str) -> bytes:
    return s3_client(endpoint).get_object(Bucket=bucket, Key=key)["Body"].read()


def _drawn_signature() -> str:
    """What the signature pad posts: a transparent PNG with black strokes, as a data URL."""
    image = Image.new("RGBA", SIGNATURE_SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.line([(20, 70), (80, 20), (140, 80), (200, 25), (280, 60)], fill=(0, 0, 0, 255), width=8)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def _signature_images(pdf: bytes) -> list[Image.Image]:
    """The images of the PDF with the signature's size that have dark ink on them."""
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for embedded in page.images:
            picture = embedded.image
            if picture.size != SIGNATURE_SIZE:
                continue
            raw = picture.convert("RGBA").tobytes()
            ink = sum(1 for i in range(0, len(raw), 4) if raw[i + 3] > 128 and sum(raw[i:i + 3]) < 150)
            if ink > 500:
                found.append(picture)
    return found


@pytest.fixture
def order(station, alice):
    customer = CustomerFactory(station=station, name="王先生", mobile="13812345678")
    vehicle = VehicleFactory(station=station, owner=customer, plate="沪A12345", mileage=20000)
    order = orders.order_receive(station=station, by=alice, customer=customer, vehicle=vehicle,
                                 concerns=["刹车有异响"], mileage_in=21000, fuel_level="50")
    labour_line(order, hours="1.00", price="300.00", description="检查刹车")
    return order


def test_a_walk_around_photo_goes_to_the_bucket_and_is_served_only_through_the_checked_view(
        bucket, moto_endpoint, client, client_as, alice, bob, mallory, order):
    upload = SimpleUploadedFile("IMG_0001.png", image_bytes("PNG", (640, 480)), content_type="image/png")
    response = client_as(alice).post(reverse("reception:order_photo", args=[order.pk]),
                                     {"image": upload, "caption": "左前门", "back": "inspection"})
    assert response.status_code == 302
    photo = OrderPhoto.objects.get()
    assert re.match(r"^order-photos/\d{4}/\d{2}/[0-9a-f]{32}\.jpg$", photo.image.name)
    assert object_keys(moto_endpoint, bucket) == [photo.image.name]
    stored = _read_object(moto_endpoint, bucket, photo.image.name)
    assert Image.open(io.BytesIO(stored)).format == "JPEG"  # the re-encoded photo, not the upload

    url = reverse("private_file", kwargs={"kind": "order-photo", "pk": photo.pk})
    served = client_as(alice).get(url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == stored
    assert served["Content-Type"] == "image/jpeg"
    assert served["Content-Disposition"].startswith("inline;")
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Cache-Control"] == "private, no-store"
    assert "X-Accel-Redirect" not in served

    assert client_as(mallory).get(url).status_code == 404  # another station's advisor
    assert client_as(bob).get(url).status_code == 403  # a technician does not see the front desk's files
    client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 404  # core.files: anonymous users learn nothing, not even a login page
    assert stored not in anonymous.content

    # The bucket itself hands nothing out: a GET without credentials is refused, and no grant names everyone.
    assert anonymous_get(moto_endpoint, bucket, photo.image.name) == 403
    grants = s3_client(moto_endpoint).get_object_acl(Bucket=bucket, Key=photo.image.name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert grants[0]["Grantee"]["Type"] == "CanonicalUser"  # the owner only, not AllUsers/AuthenticatedUsers


def test_with_s3_storage_the_view_streams_even_when_x_accel_is_configured(bucket, moto_endpoint, client_as, alice,
                                                                           order, settings):
    """nginx's X-Accel-Redirect reads MEDIA_ROOT; it cannot read the bucket, so with S3 the view streams itself."""
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/protected"
    version = estimate_sign(order=order, by=alice, method="signature", signature_png=PNG)
    response = client_as(alice).get(reverse("private_file", kwargs={"kind": "estimate-signature", "pk": version.pk}))
    assert response.status_code == 200
    assert "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content) == _read_object(moto_endpoint, bucket, version.signature.name)
    assert response["Content-Type"] == "image/png"


def test_a_scan_in_the_bucket_is_served_as_an_attachment(bucket, moto_endpoint, client_as, alice, mallory, order):
    scan = b"%PDF-1.4\n% signed estimate\n%%EOF"
    response = client_as(alice).post(reverse("reception:order_sign", args=[order.pk]),
                                     {"method": "scan", "scan": SimpleUploadedFile("signed.pdf", scan)})
    assert response.status_code == 302
    version = EstimateVersion.objects.get()
    assert _read_object(moto_endpoint, bucket, version.scan.name) == scan
    url = reverse("private_file", kwargs={"kind": "estimate-scan", "pk": version.pk})
    served = client_as(alice).get(url)
    assert b"".join(served.streaming_content) == scan
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith("attachment;")
    assert client_as(mallory).get(url).status_code == 404


def test_the_work_order_pdf_embeds_the_signature_stored_in_the_bucket(bucket, moto_endpoint, client_as, alice,
                                                                      mallory, order):
    response = client_as(alice).post(reverse("reception:order_sign", args=[order.pk]),
                                     {"method": "signature", "signature": _drawn_signature()})
    assert response.status_code == 302
    version = EstimateVersion.objects.get()
    assert version.approval_channel == "signature"
    key = version.signature.name
    assert re.match(r"^signatures/\d{4}/\d{2}/[0-9a-f]{32}\.png$", key)
    assert key in object_keys(moto_endpoint, bucket)
    assert anonymous_get(moto_endpoint, bucket, key) == 403

    served = client_as(alice).get(reverse("private_file", kwargs={"kind": "estimate-signature", "pk": version.pk}))
    assert b"".join(served.streaming_content) == _read_object(moto_endpoint, bucket, key)
    assert client_as(mallory).get(
        reverse("private_file", kwargs={"kind": "estimate-signature", "pk": version.pk})).status_code == 404

    pdf_url = reverse("settlement:work_order_pdf", kwargs={"pk": order.pk})
    pdf = client_as(alice).get(pdf_url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert len(_signature_images(pdf.content)) == 1  # the customer's signature, with its ink

    # The PDF really read it from the bucket: with the object gone, the signature box is empty.
    s3_client(moto_endpoint).delete_object(Bucket=bucket, Key=key)
    assert _signature_images(client_as(alice).get(pdf_url).content) == []


def test_the_delivery_signature_goes_to_the_bucket_and_prints_on_the_delivery_note(
        bucket, moto_endpoint, client_as, cashier, mallory, ready_order):
    """#16 item 4: 交车签字 is kept through the storage API only (the bucket has no local path)."""
    client_as(cashier).post(reverse("settlement:settle", kwargs={"pk": ready_order.pk}))
    response = client_as(cashier).post(reverse("settlement:delivery", args=[ready_order.pk]), {
        "work_explained": "on", "invoice_explained": "on", "old_parts": "returned", "next_service_km": "40000",
        "notes": "", "signature": _drawn_signature()})
    assert response.status_code == 302
    delivery = Delivery.objects.get(order=ready_order)
    key = delivery.signature.name
    assert re.match(r"^signatures/\d{4}/\d{2}/[0-9a-f]{32}\.png$", key)
    assert key in object_keys(moto_endpoint, bucket) and anonymous_get(moto_endpoint, bucket, key) == 403
    assert delivery.signature_taken_by == cashier and delivery.signed_at
    url = reverse("private_file", kwargs={"kind": "delivery-signature", "pk": delivery.pk})
    assert b"".join(client_as(cashier).get(url).streaming_content) == _read_object(moto_endpoint, bucket, key)
    assert client_as(mallory).get(url).status_code == 404
    pdf_url = reverse("settlement:delivery_note_pdf", kwargs={"pk": ready_order.pk})
    assert len(_signature_images(client_as(cashier).get(pdf_url).content)) == 1
    s3_client(moto_endpoint).delete_object(Bucket=bucket, Key=key)
    assert _signature_images(client_as(cashier).get(pdf_url).content) == []


def test_the_claim_pdf_embeds_a_photo_uploaded_to_the_bucket(bucket, moto_endpoint, client_as, cashier, clerk,
                                                             ready_order):
    labour_line(ready_order, hours="1.00", price="240.00", payer="warranty", description="更换节温器")
    client_as(cashier).post(reverse("settlement:settle", kwargs={"pk": ready_order.pk}))
    claim = WarrantyClaim.objects.get(order=ready_order)
    upload = SimpleUploadedFile("p.png", image_bytes("PNG", (320, 240), color=(10, 120, 200)))
    response = client_as(clerk).post(reverse("settlement:claim_photo", kwargs={"pk": claim.pk}),
                                     {"image": upload, "caption": "节温器"})
    assert response.status_code == 302
    photo = WarrantyClaimPhoto.objects.get(claim=claim)
    assert object_keys(moto_endpoint, bucket, "claim-photos/") == [photo.image.name]

    pdf = client_as(clerk).get(reverse("settlement:claim_pdf", kwargs={"pk": claim.pk}))
    assert pdf.status_code == 200
    sizes = [embedded.image.size for page in PdfReader(io.BytesIO(pdf.content)).pages for embedded in page.images]
    assert (320, 240) in sizes


def test_private_files_rename_works_in_the_bucket(bucket, moto_endpoint, alice, order):
    """The management command reads, re-encodes, saves and deletes through the storage API: in the bucket too."""
    version = estimate_sign(order=order, by=alice, method="signature", signature_png=PNG)
    old_key = f"signatures/2026/11/{order.number}-v1.png"
    s3_client(moto_endpoint).put_object(Bucket=bucket, Key=old_key, Body=image_bytes("PNG", (40, 20)))
    EstimateVersion.objects.filter(pk=version.pk).update(signature=old_key)

    out = io.StringIO()
    call_command("private_files_rename", stdout=out)
    assert "renamed 1 file(s)" in out.getvalue()
    version.refresh_from_db()
    assert re.match(r"^signatures/\d{4}/\d{2}/[0-9a-f]{32}\.png$", version.signature.name)
    keys = object_keys(moto_endpoint, bucket)
    assert old_key not in keys and version.signature.name in keys
    renamed = Image.open(io.BytesIO(_read_object(moto_endpoint, bucket, version.signature.name)))
    assert renamed.format == "PNG" and renamed.size == (40, 20)
    assert anonymous_get(moto_endpoint, bucket, version.signature.name) == 403


def test_the_moto_helper_needs_no_django(tmp_path):
    """tests/s3.py's server helper is used by the two-node deploy test outside Django: it starts and stops cleanly."""
    process, endpoint = start_moto_server(Path(tmp_path) / "moto.log")
    try:
        name = create_bucket(endpoint)
        s3_client(endpoint).put_object(Bucket=name, Key="a/b.txt", Body=b"x")
        assert object_keys(endpoint, name) == ["a/b.txt"]
    finally:
        stop_moto_server(process)
    assert process.returncode is not None
