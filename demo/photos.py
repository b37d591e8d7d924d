"""Small generated photos for the demo (walk-around, findings, warranty parts), uploaded like a phone's picture: the
JPEG goes through ``core.uploads.photo_clean`` (decoded, checked, re-encoded) and is saved by the services through
the storage API (local disk or the S3 bucket), never as a local path."""

from __future__ import annotations

import io
from functools import cache

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from core.uploads import photo_clean
from demo import data as D

SIZE = (320, 240)
# (background, body) colours of the pictures: white, black, silver, grey, blue, red, pearl white and brown cars in a
# bright bay, in the order of the demo's vehicle colours.
PALETTE = [((214, 218, 222), (245, 245, 245)), ((200, 204, 210), (30, 30, 34)), ((222, 224, 226), (170, 174, 180)),
           ((190, 196, 204), (110, 114, 120)), ((210, 214, 220), (40, 70, 140)), ((216, 216, 214), (170, 30, 36)),
           ((200, 206, 212), (238, 234, 226)), ((214, 216, 220), (110, 74, 50))]


@cache
def _jpeg(kind: str, variant: int) -> bytes:
    """A 320×240 picture: a car side (walk-around), a close-up with a marked spot (finding, damage) or a part on the
    bench (warranty), with a date stamp like a phone camera's."""
    background, body = PALETTE[variant % len(PALETTE)]
    image = Image.new("RGB", SIZE, background)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 180, 320, 240), fill=(120, 122, 126))  # the floor of the bay
    if kind == "part":
        draw.rectangle((0, 150, 320, 240), fill=(96, 80, 64))  # the bench
        draw.ellipse((90, 70, 230, 190), fill=(60, 60, 64), outline=(20, 20, 20), width=4)
        draw.ellipse((135, 110, 185, 150), fill=background)
    else:
        draw.rounded_rectangle((30, 95, 290, 175), radius=18, fill=body, outline=(20, 20, 20), width=2)
        draw.polygon([(85, 95), (120, 55), (215, 55), (250, 95)], fill=body, outline=(20, 20, 20))
        draw.polygon([(98, 92), (125, 62), (165, 62), (165, 92)], fill=(150, 180, 200))
        draw.polygon([(172, 92), (172, 62), (210, 62), (237, 92)], fill=(150, 180, 200))
        for x in (75, 245):
            draw.ellipse((x - 24, 152, x + 24, 200), fill=(25, 25, 25))
            draw.ellipse((x - 10, 166, x + 10, 186), fill=(160, 160, 160))
        if kind == "close":
            spot = (60 + variant * 37 % 180, 105 + variant * 13 % 50)
            draw.ellipse((spot[0] - 18, spot[1] - 12, spot[0] + 18, spot[1] + 12), outline=(230, 40, 30), width=4)
    draw.text((8, 222), f"IMG_{4810 + variant:04d}.JPG", fill=(255, 200, 0))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def photo(kind: str, variant: int, colour: str = "") -> ContentFile:
    """A fresh upload (a file can be saved once), checked and re-encoded by the upload service; a car of ``colour``
    (one of the demo's vehicle colours) when given."""
    if colour in D.COLOURS:
        variant = D.COLOURS.index(colour) + len(PALETTE) * (variant % 3)
    variant %= 3 * len(PALETTE)
    return photo_clean(ContentFile(_jpeg(kind, variant), name=f"IMG_{4810 + variant:04d}.jpg"))
