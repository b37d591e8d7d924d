"""Issue 13, items 1, 2 and 10 on settlement's side: claim photos are checked (size, pixels) and the printed documents
read stored files through the storage API (no ``.path``), embedding them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.factories import image_bytes
from reception.factories import labour_line
from reception.models import EstimateVersion
from settlement.models import WarrantyClaim, WarrantyClaimPhoto

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(ready_order, client_as, cashier):
    labour_line(ready_order, hours="1.00", price="240.00", payer="warranty", description="更换节温器")
    client_as(cashier).post(reverse("settlement:settle", kwargs={"pk": ready_order.pk}))
    return WarrantyClaim.objects.get(order=ready_order)


def _upload_photo(client, claim, upload):
    return client.post(reverse("settlement:claim_photo", kwargs={"pk": claim.pk}), {"image": upload, "caption": "x"})


def test_a_12000_by_12000_claim_photo_is_refused_at_the_field(client_as, clerk, claim):
    bomb = image_bytes("PNG", (12000, 12000), mode="1", color=0)  # 144 megapixels in a few hundred kilobytes
    response = _upload_photo(client_as(clerk), claim, SimpleUploadedFile("big.png", bomb, content_type="image/png"))
    assert response.status_code == 400
    assert "too many pixels" in response.content.decode()
    assert not claim.photos.exists()


def test_a_30_mb_claim_photo_is_refused_at_the_field(client_as, clerk, claim):
    big = SimpleUploadedFile("big.jpg", image_bytes("JPEG") + b"\0" * (30 * 1024 * 1024), content_type="image/jpeg")
    response = _upload_photo(client_as(clerk), claim, big)
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert not claim.photos.exists()


def test_a_claim_photo_is_served_only_to_its_station(client_as, clerk, mallory, claim):
    assert _upload_photo(client_as(clerk), claim, SimpleUploadedFile("p.png", image_bytes())).status_code == 302
    url = reverse("private_file", kwargs={"kind": "claim-photo", "pk": claim.photos.get().pk})
    assert client_as(clerk).get(url)["Content-Type"] == "image/jpeg"
    assert client_as(mallory).get(url).status_code == 404
    page = client_as(clerk).get(reverse("settlement:claim_detail", kwargs={"pk": claim.pk})).content.decode()
    assert url in page


def _images_in(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    return len([line for line in out.splitlines()[2:] if line.strip()])


@pytest.fixture
def memory_storage(settings):
    """A storage without files on disk: only the storage API can read the files (``.path`` names nothing)."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}


def test_the_work_order_pdf_embeds_the_signature_read_through_the_storage_api(
        memory_storage, client_as, alice, ready_order, tmp_path):
    url = reverse("settlement:work_order_pdf", kwargs={"pk": ready_order.pk})
    before = _images_in(client_as(alice).get(url).content, tmp_path)
    version = EstimateVersion.objects.create(order=ready_order, number=1, created_by=alice, approved_by=alice,
                                             approved_at=timezone.now(), approval_channel="signature")
    version.signature.save("signature.png", ContentFile(image_bytes("PNG", (120, 40))))
    assert not Path(version.signature.path).exists()  # the point: nothing on disk to read by path
    response = client_as(alice).get(url)
    assert response.status_code == 200
    assert _images_in(response.content, tmp_path) == before + 1


def test_the_claim_pdf_embeds_its_photos(memory_storage, client_as, clerk, claim, tmp_path):
    WarrantyClaimPhoto.objects.create(claim=claim, uploaded_by=clerk,
                                      image=ContentFile(image_bytes("JPEG", (64, 48)), name="p.jpg"))
    response = client_as(clerk).get(reverse("settlement:claim_pdf", kwargs={"pk": claim.pk}))
    assert response.status_code == 200
    assert _images_in(response.content, tmp_path) >= 1
