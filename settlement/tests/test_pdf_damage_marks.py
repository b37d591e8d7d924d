"""The printed pre-inspection sheet (预检单) draws the walk-around page's own diagram, upright, so a damage mark lands
on the same part of the car on paper as on the screen (#16 item 1).

The check is on pixels: the PDF is rendered to PNG with pdftoppm, the car body is found by its fill colour, the mark
by its colour, and the mark's centre is mapped back to the diagram's coordinates (reception/_car_top.svg, 200 × 400)."""

from __future__ import annotations

import subprocess
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db

# reception/_car_top.svg: the body's fill and its extent in the diagram's coordinates
BODY_FILL = (0xE9, 0xEE, 0xF5)
BODY_X, BODY_Y = (28.0, 172.0), (12.5, 392.5)
RIGHT_REAR_DOOR = (158.0, 240.0)  # between the B-pillar line (y 200) and the rear wheel arch, right side


def _near(pixel, colour, tolerance=6) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def _regions(points: set) -> list[list]:
    """The 8-connected groups of pixels, largest first."""
    found: list = []
    left = set(points)
    while left:
        seed = left.pop()
        region, todo = [seed], [seed]
        while todo:
            x, y = todo.pop()
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    q = (x + dx, y + dy)
                    if q in left:
                        left.remove(q)
                        region.append(q)
                        todo.append(q)
        found.append(region)
    return sorted(found, key=len, reverse=True)


def mark_position_on_paper(pdf: bytes, tmp_path: Path) -> tuple[float, float, bool]:
    """Where the (single) damage mark is printed, in the diagram's own coordinates; and whether the printed body
    pixel under the mark's centre belongs to the car (the body's box)."""
    pdf_path = tmp_path / "sheet.pdf"
    pdf_path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(pdf_path), str(tmp_path / "page")],
                   check=True)
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("RGB")
    width, height = image.size
    pixels = image.load()
    # The body's fill is cut into a few parts by the windows and door lines; their union is the body.
    regions = _regions({(x, y) for y in range(height) for x in range(width) if _near(pixels[x, y], BODY_FILL, 3)})
    body = [p for region in regions if len(region) > 200 for p in region]
    assert len(body) > 2000, "no car body (the walk-around page's diagram) on the printed sheet"
    xs, ys = [p[0] for p in body], [p[1] for p in body]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    assert (y1 - y0) > 1.8 * (x1 - x0), "the car is printed sideways, not upright as on the screen"
    # the mark: the dark red disc (#b02a37), not the tail lights (#e06666)
    red = [(x, y) for y in range(height) for x in range(width)
           if pixels[x, y][0] > 140 and pixels[x, y][1] < 70 and pixels[x, y][2] < 90]
    assert red, "no damage mark printed"
    cx, cy = sum(p[0] for p in red) / len(red), sum(p[1] for p in red) / len(red)
    sx = BODY_X[0] + (cx - x0) / (x1 - x0) * (BODY_X[1] - BODY_X[0])
    sy = BODY_Y[0] + (cy - y0) / (y1 - y0) * (BODY_Y[1] - BODY_Y[0])
    return sx, sy, x0 < cx < x1 and y0 < cy < y1


def test_a_mark_on_the_right_rear_door_prints_on_the_right_rear_door(client_as, alice, ready_order, tmp_path):
    from reception.models import DamageMark, PreInspection

    inspection = PreInspection.objects.create(order=ready_order, done_by=alice)
    x_pct, y_pct = RIGHT_REAR_DOOR[0] / 200 * 100, RIGHT_REAR_DOOR[1] / 400 * 100
    DamageMark.objects.create(inspection=inspection, x_pct=D(str(x_pct)), y_pct=D(str(y_pct)), note="右后门凹陷")
    response = client_as(alice).get(reverse("settlement:pre_inspection_pdf", kwargs={"pk": ready_order.pk}))
    assert response.status_code == 200
    sx, sy, inside = mark_position_on_paper(response.content, tmp_path)
    assert inside, "the mark is printed outside the car"
    assert abs(sx - RIGHT_REAR_DOOR[0]) < 6 and abs(sy - RIGHT_REAR_DOOR[1]) < 8, (sx, sy)
    assert 145 < sx < 172 and 200 < sy < 280, "not on the right rear door"


def test_the_screen_and_the_paper_draw_the_same_diagram(client_as, alice, ready_order):
    """One outline: the walk-around page and the sheet both carry reception/_car_top.svg's geometry."""
    from django.template.loader import get_template

    from reception.services.inspections import checklist_for  # noqa: F401 - the page needs its checklist

    svg = get_template("reception/_car_top.svg").render({}).strip()
    page = client_as(alice).get(reverse("reception:order_inspection", kwargs={"pk": ready_order.pk}))
    body = svg[svg.index("<path"):svg.index("/>", svg.index("<path")) + 2]
    assert body in page.content.decode()
