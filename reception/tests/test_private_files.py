"""Issue 13, items 1, 2 and 10: uploads are checked by content, stored under random names, and served only through
the checked view /files/<kind>/<pk>/ (404 to anonymous users and other stations)."""

from __future__ import annotations

import base64
import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from core.factories import PNG, image_bytes
from core.models import AccessDenial
from reception.models import EstimateVersion, OrderPhoto, WorkOrder
from reception.services import orders

RANDOM_NAME = r"^{folder}/\d{{4}}/\d{{2}}/[0-9a-f]{{32}}\.{ext}$"
HTML = b"<!doctype html><html><body><script>window.__pwned = 1; fetch('/org/staff/?pwned=1')</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>'


def _sign(client, order, **data):
    return client.post(reverse("reception:order_sign", args=[order.pk]), data)


@pytest.fixture
def order_with_line(order, alice, oil_change):
    orders.line_add_labour(order=order, by=alice, operation=oil_change)
    return order


@pytest.mark.parametrize("name, content, ctype", [
    ("signed.html", HTML, "text/html"),
    ("signed.svg", SVG, "image/svg+xml"),
    ("signed.pdf", HTML, "application/pdf"),  # a PDF by its name and type, HTML by its bytes
])
def test_an_html_or_svg_scan_is_refused_at_the_field(client_as, alice, order_with_line, name, content, ctype):
    response = _sign(client_as(alice), order_with_line, method="scan",
                     scan=SimpleUploadedFile(name, content, content_type=ctype))
    assert response.status_code == 400
    assert "Upload the scan as a PDF or a photo" in str(response.context["form"].errors["scan"])
    assert not EstimateVersion.objects.exists()
    order_with_line.refresh_from_db()
    assert order_with_line.status == WorkOrder.Status.DRAFT


def test_a_pdf_scan_is_kept_under_a_random_name(client_as, alice, order_with_line):
    response = _sign(client_as(alice), order_with_line, method="scan",
                     scan=SimpleUploadedFile(f"{order_with_line.number}.pdf", b"%PDF-1.4\nsigned\n%%EOF"))
    assert response.status_code == 302
    scan = EstimateVersion.objects.get().scan
    assert re.match(RANDOM_NAME.format(folder="estimate-scans", ext="pdf"), scan.name)
    assert order_with_line.number not in scan.name


def test_a_picture_named_html_is_stored_as_a_random_jpg(client_as, alice, order):
    response = client_as(alice).post(reverse("reception:order_photo", args=[order.pk]), {
        "image": SimpleUploadedFile("evil.html", image_bytes("PNG", (40, 30)), content_type="text/html"),
        "caption": "左前门", "back": "inspection"})
    assert response.status_code == 302
    photo = OrderPhoto.objects.get()
    assert re.match(RANDOM_NAME.format(folder="order-photos", ext="jpg"), photo.image.name)
    with photo.image.open("rb") as handle:
        assert Image.open(handle).format == "JPEG"


def test_the_photo_loses_its_exif_location_and_is_turned_upright(client_as, alice, order):
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to show
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 0.0), 3: "E", 4: (121.0, 28.0, 0.0)}  # GPS: 上海
    exif[0x010F] = "Camera maker"
    upload = SimpleUploadedFile("IMG_0001.jpg", image_bytes("JPEG", (60, 20), exif=exif), content_type="image/jpeg")
    response = client_as(alice).post(reverse("reception:order_photo", args=[order.pk]),
                                     {"image": upload, "back": "inspection"})
    assert response.status_code == 302
    with OrderPhoto.objects.get().image.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
    assert not stored.getexif()  # no GPS, no orientation, no camera
    assert b"Exif" not in stored.info.get("exif", b"")
    assert stored.size == (20, 60)  # the orientation was applied to the pixels


def test_a_huge_photo_is_stored_at_most_1600_pixels_on_the_long_side(client_as, alice, order):
    upload = SimpleUploadedFile("big.png", image_bytes("PNG", (4000, 3000)), content_type="image/png")
    assert client_as(alice).post(reverse("reception:order_photo", args=[order.pk]),
                                 {"image": upload, "back": "inspection"}).status_code == 302
    with OrderPhoto.objects.get().image.open("rb") as handle:
        assert Image.open(handle).size == (1600, 1200)


def test_a_signature_drawn_on_the_pad_is_checked_like_an_upload(client_as, alice, order_with_line):
    html = base64.b64encode(HTML).decode()
    response = _sign(client_as(alice), order_with_line, method="signature", signature=f"data:image/png;base64,{html}")
    assert response.status_code == 400
    assert response.context["form"].errors["signature"]
    assert not EstimateVersion.objects.exists()


def test_a_signature_keeps_its_transparency_under_a_random_png_name(client_as, alice, order_with_line):
    drawn = base64.b64encode(image_bytes("PNG", (30, 10), mode="RGBA", color=(0, 0, 0, 0))).decode()
    response = _sign(client_as(alice), order_with_line, method="signature", signature=f"data:image/png;base64,{drawn}")
    assert response.status_code == 302
    signature = EstimateVersion.objects.get().signature
    assert re.match(RANDOM_NAME.format(folder="signatures", ext="png"), signature.name)
    assert order_with_line.number not in signature.name
    with signature.open("rb") as handle:
        assert Image.open(handle).mode == "RGBA"


# --- serving -----------------------------------------------------------------------------------------------------


@pytest.fixture
def signed(order_with_line, alice):
    from reception.services.estimates import estimate_sign

    return estimate_sign(order=order_with_line, by=alice, method="signature", signature_png=PNG)


def _url(version, kind="estimate-signature"):
    return reverse("private_file", kwargs={"kind": kind, "pk": version.pk})


def test_the_advisor_gets_the_signature_inline_with_nosniff(client_as, alice, signed):
    response = client_as(alice).get(_url(signed))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == signed.signature.open("rb").read()
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Cache-Control"] == "private, no-store"


def test_a_pdf_scan_is_served_as_an_attachment(client_as, alice, order_with_line):
    _sign(client_as(alice), order_with_line, method="scan", scan=SimpleUploadedFile("s.pdf", b"%PDF-1.4\n%%EOF"))
    response = client_as(alice).get(_url(EstimateVersion.objects.get(), "estimate-scan"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_anonymous_request_for_a_stored_file_answers_404(client, signed):
    assert client.get(_url(signed)).status_code == 404
    assert AccessDenial.objects.filter(reason="scope", action="file:estimate-signature").exists()


def test_a_user_of_another_station_gets_404_for_a_stored_file(client_as, mallory, signed):
    assert client_as(mallory).get(_url(signed)).status_code == 404
    assert AccessDenial.objects.filter(user=mallory, reason="scope").exists()


def test_a_position_without_the_action_is_refused(client_as, bob, signed):
    assert client_as(bob).get(_url(signed)).status_code == 403  # a technician does not see the front desk


def test_an_unknown_kind_or_an_empty_field_answers_404(client_as, alice, signed):
    assert client_as(alice).get(_url(signed, "estimate-scan")).status_code == 404  # signed on the pad: no scan
    assert client_as(alice).get(reverse("private_file", kwargs={"kind": "nothing", "pk": signed.pk})).status_code == 404


def test_media_urls_are_not_served(client_as, alice, signed):
    assert client_as(alice).get(f"/media/{signed.signature.name}").status_code == 404


def test_with_the_accel_prefix_nginx_sends_the_file(client_as, alice, signed, settings):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/protected"
    response = client_as(alice).get(_url(signed))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected/{signed.signature.name}"
    assert response.content == b""
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"


def test_the_order_page_links_files_through_the_checked_view(client_as, alice, signed):
    page = client_as(alice).get(reverse("reception:order_detail", args=[signed.order.pk])).content.decode()
    assert _url(signed) in page
    assert "/media/" not in page


# --- renaming what was stored before ----------------------------------------------------------------------------


def test_private_files_rename_gives_old_files_random_names_once(signed, order, alice):
    old_signature = default_storage.save(f"signatures/2026/11/{order.number}-v1.png", ContentFile(PNG))
    old_scan = default_storage.save("estimate-scans/2026/11/evil.html", ContentFile(HTML))
    EstimateVersion.objects.filter(pk=signed.pk).update(signature=old_signature, scan=old_scan)
    photo = OrderPhoto.objects.create(order=order, uploaded_by=alice, image="order-photos/2026/11/IMG_0001.jpg")
    default_storage.save(photo.image.name, ContentFile(image_bytes("JPEG", (3000, 2000))))

    out = io.StringIO()
    call_command("private_files_rename", stdout=out)
    assert "renamed 3 file(s)" in out.getvalue()
    signed.refresh_from_db()
    photo.refresh_from_db()
    assert re.match(RANDOM_NAME.format(folder="signatures", ext="png"), signed.signature.name)
    assert re.match(r"^estimate-scans/\d{4}/\d{2}/[0-9a-f]{32}$", signed.scan.name)  # not a picture: no extension
    assert re.match(RANDOM_NAME.format(folder="order-photos", ext="jpg"), photo.image.name)
    assert not default_storage.exists(old_signature) and not default_storage.exists(old_scan)
    with photo.image.open("rb") as handle:
        assert max(Image.open(handle).size) == 1600

    names = (signed.signature.name, signed.scan.name, photo.image.name)
    out = io.StringIO()
    call_command("private_files_rename", stdout=out)
    assert "renamed 0 file(s)" in out.getvalue()
    signed.refresh_from_db()
    photo.refresh_from_db()
    assert (signed.signature.name, signed.scan.name, photo.image.name) == names


def test_an_old_html_scan_renamed_is_only_ever_downloaded(client_as, alice, signed):
    old_scan = default_storage.save("estimate-scans/2026/11/evil.html", ContentFile(HTML))
    EstimateVersion.objects.filter(pk=signed.pk).update(scan=old_scan)
    call_command("private_files_rename", stdout=io.StringIO())
    response = client_as(alice).get(_url(signed, "estimate-scan"))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
