"""In Chromium (#16 items 1 and 2): a mark placed on the walk-around diagram is saved at the percentages of the spot
clicked, and prints on that spot of the car on the 预检单; a photo uploaded in the middle of the walk-around keeps
the notes and marks typed so far, and they are saved by the final save."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from core.factories import image_bytes
from reception.models import OrderPhoto, PreInspection
from settlement.tests.test_pdf_damage_marks import RIGHT_REAR_DOOR, mark_position_on_paper

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _click_on_the_car(page, svg_x: float, svg_y: float) -> None:
    """Click the diagram at a point of the outline's own coordinates (200 × 400)."""
    box = page.locator("#diagram svg").bounding_box()
    page.mouse.click(box["x"] + svg_x / 200 * box["width"], box["y"] + svg_y / 400 * box["height"])


def test_a_mark_on_the_right_rear_door_is_saved_and_printed_there(browser_page, browser_login, alice, order,
                                                                  tmp_path):
    page = browser_login(browser_page, alice)
    page.goto(page.base_url + reverse("reception:order_inspection", args=[order.pk]))
    _click_on_the_car(page, *RIGHT_REAR_DOOR)
    page.locator("#mark-list input").first.fill("右后门凹陷")
    page.locator("#inspection-save").click()
    page.wait_for_selector("#order-status")
    mark = PreInspection.objects.get(order=order).damage_marks.get()
    assert abs(float(mark.x_pct) - RIGHT_REAR_DOOR[0] / 2) < 1 and abs(float(mark.y_pct) - RIGHT_REAR_DOOR[1] / 4) < 1
    # the same spot on paper: fetch the sheet in the browser's session and read its pixels
    response = page.request.get(page.base_url + reverse("settlement:pre_inspection_pdf", args=[order.pk]))
    assert response.status == 200
    sx, sy, inside = mark_position_on_paper(response.body(), tmp_path)
    assert inside and abs(sx - RIGHT_REAR_DOOR[0]) < 6 and abs(sy - RIGHT_REAR_DOOR[1]) < 8, (sx, sy)


def test_a_photo_in_the_middle_of_the_walk_around_keeps_the_notes_and_marks(browser_page, browser_login, alice,
                                                                            order, tmp_path):
    page = browser_login(browser_page, alice)
    page.goto(page.base_url + reverse("reception:order_inspection", args=[order.pk]))
    first_note = page.locator("#inspection-form input[name^=note-]").first
    first_note.fill("左前门划痕")  # flags the point "Note" by itself
    page.fill("#id_notes", "车内有贵重物品已提醒")
    _click_on_the_car(page, 40, 120)
    page.locator("#mark-list input").first.fill("左前翼子板凹陷")

    photo = Path(tmp_path) / "door.jpg"
    photo.write_bytes(image_bytes("JPEG", (80, 60)))
    page.set_input_files("#id_image", str(photo))
    page.fill("#id_caption", "左前门")
    page.locator("#photo-upload").click()
    page.wait_for_selector("#photo-saved")
    page.wait_for_selector("#photo-list img")

    assert OrderPhoto.objects.filter(order=order, caption="左前门").exists()
    assert first_note.input_value() == "左前门划痕"
    assert page.input_value("#id_notes") == "车内有贵重物品已提醒"
    assert page.locator("#mark-list input").first.input_value() == "左前翼子板凹陷"
    assert page.locator("#diagram .dmg").count() == 1

    # a second, bad "photo": refused at the field, still nothing lost
    bad = Path(tmp_path) / "bad.jpg"
    bad.write_bytes(b"not a picture")
    page.set_input_files("#id_image", str(bad))
    page.locator("#photo-upload").click()
    page.wait_for_selector("#photos .invalid-feedback, #photos .is-invalid")
    assert first_note.input_value() == "左前门划痕" and page.locator("#diagram .dmg").count() == 1

    page.locator("#inspection-save").click()
    page.wait_for_selector("#order-status")
    inspection = PreInspection.objects.get(order=order)
    assert inspection.notes == "车内有贵重物品已提醒"
    assert inspection.items.get(ok=False).note == "左前门划痕"
    assert inspection.damage_marks.get().note == "左前翼子板凹陷"
    assert OrderPhoto.objects.filter(order=order).count() == 1
