"""Real little pictures for tests: uploads are decoded (core.uploads), so a PNG header alone is refused."""

from __future__ import annotations

import io

from PIL import Image


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (8, 8), *, mode: str = "RGB", color=(200, 30, 30),
                exif: Image.Exif | None = None) -> bytes:
    out = io.BytesIO()
    image = Image.new(mode, size, color)
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


PNG = image_bytes()  # a valid 8×8 PNG, e.g. a signature drawn on the pad
JPEG = image_bytes("JPEG")
