"""core.uploads: pictures decoded and re-encoded, scans by their magic bytes, limits from settings."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from core.factories import image_bytes
from core.files import random_name
from core.uploads import photo_clean, scan_clean, signature_clean


def _open(content) -> Image.Image:
    return Image.open(io.BytesIO(content.read()))


def test_webp_becomes_jpeg_and_a_transparent_signature_stays_png():
    assert _open(photo_clean(image_bytes("WEBP", (10, 10)))).format == "JPEG"
    signature = signature_clean(image_bytes("WEBP", (10, 10), mode="RGBA", color=(0, 0, 0, 0)))
    assert signature.name == "signature.png" and _open(signature).mode == "RGBA"


def test_a_truncated_picture_is_refused():
    with pytest.raises(ValidationError) as exc:
        photo_clean(image_bytes("PNG", (200, 200))[:200])
    assert exc.value.code == "not_image"


def test_the_pixel_cap_comes_from_the_settings(settings):
    settings.UPLOAD_MAX_PIXELS = 100 * 100
    assert photo_clean(image_bytes("PNG", (100, 100)))
    with pytest.raises(ValidationError) as exc:
        photo_clean(image_bytes("PNG", (101, 100)))
    assert exc.value.code == "too_many_pixels"


def test_a_decompression_bomb_far_over_pillows_limit_is_refused_as_too_many_pixels():
    with pytest.raises(ValidationError) as exc:
        photo_clean(image_bytes("PNG", (12000, 12000), mode="1", color=0))
    assert exc.value.code == "too_many_pixels"


def test_the_byte_cap_comes_from_the_settings(settings):
    settings.UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as exc:
        scan_clean(b"%PDF-1.4" + b" " * 1000)
    assert exc.value.code == "too_big"


@pytest.mark.parametrize("content", [b"<html><script>alert(1)</script>", b"<?xml version='1.0'?><svg/>", b"MZ\x90\x00",
                                     b""])
def test_a_scan_that_is_neither_pdf_nor_picture_is_refused(content):
    with pytest.raises(ValidationError) as exc:
        scan_clean(content)
    assert exc.value.code == "not_scan"


def test_random_names_keep_only_known_extensions():
    assert random_name("x", "a.PNG").endswith(".png")
    assert random_name("x", "a.jpeg").endswith(".jpg")
    assert "." not in random_name("x", "evil.html").rsplit("/", 1)[1]
    assert random_name("x", "a.png") != random_name("x", "a.png")
