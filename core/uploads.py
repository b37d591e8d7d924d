"""Uploads are checked by what they contain, never by their name or the browser's content type.

An image is decoded with Pillow (``verify`` and then a full ``load``), refused above ``UPLOAD_MAX_BYTES`` or
``UPLOAD_MAX_PIXELS``, turned upright (``exif_transpose``), shrunk to ``UPLOAD_MAX_SIDE`` pixels on the long side (so
a huge photo costs a PDF nothing) and re-encoded: JPEG for photos, PNG for signatures (transparency kept). The
re-encoded file carries no EXIF at all (no location, no camera). A scan is a PDF (its first bytes are ``%PDF-``) or
an image treated as a photo; HTML, SVG and everything else is refused. The name the browser sent is thrown away:
the file is stored under a random name (``core.files.PrivateUploadTo``) with the extension decided here.

Forms use the fields below (``PhotoField``, ``ScanField``); services that take bytes (the signature pad) call
``signature_clean``. Refusals are ``ValidationError`` with a translated message, so ``formflow.submit`` puts them
next to the field (HTTP 400, nothing saved).
"""

from __future__ import annotations

import base64
import binascii
import io
import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

PDF_MAGIC = b"%PDF-"
ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF", "MPO"})

# Pillow refuses (DecompressionBombError) anything twice the cap before decoding a pixel; our own check below refuses
# anything over the cap itself with a readable message.
Image.MAX_IMAGE_PIXELS = settings.UPLOAD_MAX_PIXELS

_TOO_BIG = _("The file is too large (at most %(max)s).")
_NOT_IMAGE = _("This is not a picture we can read. Upload a JPEG, PNG or WebP photo.")
_TOO_MANY_PIXELS = _("The picture has too many pixels (at most %(max)s megapixels).")
_NOT_SCAN = _("Upload the scan as a PDF or a photo (JPEG, PNG or WebP); other files are refused.")


def _read(upload) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(_TOO_BIG, code="too_big", params={"max": filesizeformat(settings.UPLOAD_MAX_BYTES)})
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(settings.UPLOAD_MAX_BYTES + 1) if hasattr(upload, "read") else bytes(upload)
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(_TOO_BIG, code="too_big", params={"max": filesizeformat(settings.UPLOAD_MAX_BYTES)})
    return data


def _decode(data: bytes) -> Image.Image:
    """Decode every pixel of an image, or refuse it."""
    too_many = ValidationError(_TOO_MANY_PIXELS, code="too_many_pixels",
                               params={"max": settings.UPLOAD_MAX_PIXELS // 1_000_000})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # we refuse by our own count below
            probe = Image.open(io.BytesIO(data))
            width, height = probe.size
            if width * height > settings.UPLOAD_MAX_PIXELS:
                raise too_many
            if probe.format not in ALLOWED_FORMATS:
                raise ValidationError(_NOT_IMAGE, code="not_image")
            probe.verify()  # structure and checksums; the object is unusable afterwards
            image = Image.open(io.BytesIO(data))
            image.load()  # every pixel, so a truncated file fails here and not while a PDF is made
    except ValidationError:
        raise
    except Image.DecompressionBombError as exc:
        raise too_many from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ValidationError(_NOT_IMAGE, code="not_image") from exc
    return image


def _prepare(image: Image.Image) -> Image.Image:
    image = ImageOps.exif_transpose(image)  # the camera's orientation, applied; the tag itself is not kept
    side = settings.UPLOAD_MAX_SIDE
    if max(image.size) > side:
        image.thumbnail((side, side), Image.Resampling.LANCZOS)
    return image


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def photo_clean(upload) -> ContentFile:
    """A photo re-encoded as JPEG, upright, at most UPLOAD_MAX_SIDE px, without EXIF."""
    image = _prepare(_decode(_read(upload)))
    if _has_alpha(image):
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, (255, 255, 255))
        image.paste(rgba, mask=rgba.getchannel("A"))
    else:
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True)  # no exif= given: nothing of the original's EXIF
    return ContentFile(out.getvalue(), name="photo.jpg")


def signature_clean(data: bytes) -> ContentFile:
    """A signature drawn on the pad, re-encoded as PNG with its transparency."""
    image = _prepare(_decode(_read(data)))
    image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return ContentFile(out.getvalue(), name="signature.png")


def signature_from_data_url(data_url: str) -> bytes | None:
    """The picture drawn on the signature pad (a ``data:image/png;base64,...`` URL), checked and re-encoded as PNG;
    None when nothing was drawn."""
    if not data_url:
        return None
    head, _sep, payload = data_url.partition(",")
    if not head.startswith("data:image/") or ";base64" not in head:
        raise ValidationError(_NOT_IMAGE, code="not_image")
    if len(payload) > settings.UPLOAD_MAX_BYTES * 4 // 3 + 4:
        raise ValidationError(_TOO_BIG, code="too_big", params={"max": filesizeformat(settings.UPLOAD_MAX_BYTES)})
    try:
        raw = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationError(_NOT_IMAGE, code="not_image") from exc
    return signature_clean(raw).read()


def scan_clean(upload) -> ContentFile:
    """A signed paper: a PDF kept as it is, or a picture re-encoded like a photo. Nothing else."""
    data = _read(upload)
    if data.startswith(PDF_MAGIC):
        return ContentFile(data, name="scan.pdf")
    try:
        return photo_clean(data)
    except ValidationError as exc:
        if exc.code == "not_image":
            raise ValidationError(_NOT_SCAN, code="not_scan") from exc
        raise


class _CheckedFileField(forms.FileField):
    """A file field whose value is the checked, re-encoded file (a ContentFile with a safe name)."""

    clean_file = staticmethod(photo_clean)

    def to_python(self, data):
        upload = super().to_python(data)
        return None if upload is None else self.clean_file(upload)


class PhotoField(_CheckedFileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}))
        super().__init__(*args, **kwargs)


# --- short videos (a technician's evidence for a finding) ------------------------------------------------------------
# A video is kept as uploaded (no re-encoding on this server); it is accepted only when its first bytes are those of an
# ISO-BMFF file (MP4/MOV: an ``ftyp`` box at offset 4) or of a Matroska/WebM file (the EBML header 1A 45 DF A3), and
# refused above VIDEO_MAX_BYTES or, for MP4/MOV whose movie header says so, above VIDEO_MAX_SECONDS.
EBML_MAGIC = b"\x1a\x45\xdf\xa3"
_NOT_VIDEO = _("This is not a video we can play. Upload an MP4, MOV or WebM video.")
_TOO_LONG = _("The video is too long (at most %(max)s seconds).")


def _boxes(data: bytes, start: int, end: int):
    """(type, body start, body end) of each ISO-BMFF box between start and end."""
    at = start
    while at + 8 <= end:
        size, kind = int.from_bytes(data[at:at + 4], "big"), data[at + 4:at + 8]
        head = 8
        if size == 1 and at + 16 <= end:
            size, head = int.from_bytes(data[at + 8:at + 16], "big"), 16
        elif size == 0:
            size = end - at
        if size < head:
            return
        yield kind, at + head, min(at + size, end)
        at += size


def mp4_seconds(data: bytes) -> float | None:
    """The length given by the movie header (moov/mvhd), or None when there is none to read."""
    for kind, body, end in _boxes(data, 0, len(data)):
        if kind != b"moov":
            continue
        for inner, ibody, iend in _boxes(data, body, end):
            if inner != b"mvhd" or iend - ibody < 32:
                continue
            if data[ibody] == 1:  # version 1: 64-bit times
                scale = int.from_bytes(data[ibody + 20:ibody + 24], "big")
                length = int.from_bytes(data[ibody + 24:ibody + 32], "big")
            else:
                scale = int.from_bytes(data[ibody + 12:ibody + 16], "big")
                length = int.from_bytes(data[ibody + 16:ibody + 20], "big")
            return length / scale if scale else None
    return None


def video_clean(upload) -> ContentFile:
    """A short video kept as it is, under a name with the extension its content proves (.mp4, .mov or .webm)."""
    limit = settings.VIDEO_MAX_BYTES
    too_big = ValidationError(_TOO_BIG, code="too_big", params={"max": filesizeformat(limit)})
    if getattr(upload, "size", None) is not None and upload.size > limit:
        raise too_big
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_big
    if data[4:8] == b"ftyp":
        suffix = ".mov" if data[8:12] == b"qt  " else ".mp4"
        seconds = mp4_seconds(data)
        if seconds is not None and seconds > settings.VIDEO_MAX_SECONDS:
            raise ValidationError(_TOO_LONG, code="too_long", params={"max": settings.VIDEO_MAX_SECONDS})
    elif data.startswith(EBML_MAGIC) and b"webm" in data[:64]:
        suffix = ".webm"
    else:
        raise ValidationError(_NOT_VIDEO, code="not_video")
    return ContentFile(data, name=f"video{suffix}")


class VideoField(_CheckedFileField):
    clean_file = staticmethod(video_clean)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(
            attrs={"accept": "video/mp4,video/quicktime,video/webm", "capture": "environment"}))
        super().__init__(*args, **kwargs)


class ScanField(_CheckedFileField):
    clean_file = staticmethod(scan_clean)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*"}))
        super().__init__(*args, **kwargs)
