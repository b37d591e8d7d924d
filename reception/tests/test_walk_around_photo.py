"""#16 item 2: a photo taken in the middle of the walk-around does not throw away what was typed and marked so far."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.factories import image_bytes
from reception.models import OrderPhoto, PreInspection
from reception.services.inspections import checklist_for

pytestmark = pytest.mark.django_db


def _walk_around(order, **extra) -> dict:
    items = list(checklist_for(order.station))
    data = {f"ok-{item.pk}": "1" for item in items}
    data.update({f"ok-{items[0].pk}": "0", f"note-{items[0].pk}": "左前门划痕", "notes": "车内有贵重物品已提醒",
                 "marks": json.dumps([{"x": 79, "y": 60, "note": "右后门凹陷"}])})
    data.update(extra)
    return data


def _photo(name="door.jpg", content=None):
    return SimpleUploadedFile(name, content or image_bytes("JPEG", (40, 30)), content_type="image/jpeg")


def test_uploading_a_photo_from_the_walk_around_keeps_the_unsaved_notes_and_marks(client_as, alice, order):
    """Without the page's script the whole form goes with the photo: the page comes back with all of it."""
    response = client_as(alice).post(reverse("reception:order_photo", args=[order.pk]),
                                     _walk_around(order, image=_photo(), caption="右后门"))
    assert response.status_code == 200
    body = response.content.decode()
    assert OrderPhoto.objects.filter(order=order, caption="右后门").exists()
    assert 'value="左前门划痕"' in body and "车内有贵重物品已提醒" in body
    assert "右后门凹陷" in json.loads(response.context["marks_json"])[0]["note"]
    assert not PreInspection.objects.filter(order=order).exists()  # not saved behind the advisor's back


def test_a_bad_photo_is_refused_at_the_photo_and_the_notes_are_kept(client_as, alice, order):
    response = client_as(alice).post(reverse("reception:order_photo", args=[order.pk]),
                                     _walk_around(order, image=_photo(content=b"not a picture"), caption="右后门"))
    assert response.status_code == 400
    body = response.content.decode()
    photos = body[body.index('id="photos"'):body.index('id="photo-upload"')]
    assert response.context["photo_form"].errors["image"] and "is-invalid" in photos
    assert 'value="左前门划痕"' in body and "车内有贵重物品已提醒" in body and "右后门凹陷" == json.loads(response.context["marks_json"])[0]["note"]
    assert not OrderPhoto.objects.exists()


def test_the_page_script_gets_only_the_photos_box_back(client_as, alice, order):
    client = client_as(alice)
    response = client.post(reverse("reception:order_photo", args=[order.pk]), {"image": _photo(), "caption": "前挡"},
                           headers={"X-Requested-With": "fetch"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="photo-saved"' in body and "<html" not in body and 'alt="前挡"' in body
    refused = client.post(reverse("reception:order_photo", args=[order.pk]),
                          {"image": _photo(content=b"nope"), "caption": "后挡"}, headers={"X-Requested-With": "fetch"})
    assert refused.status_code == 400 and 'value="后挡"' in refused.content.decode()
    assert OrderPhoto.objects.filter(order=order).count() == 1


def test_saving_the_walk_around_with_a_photo_chosen_keeps_both(client_as, alice, order):
    response = client_as(alice).post(reverse("reception:order_inspection", args=[order.pk]),
                                     _walk_around(order, image=_photo(), caption="右后门"))
    assert response.status_code == 302
    inspection = PreInspection.objects.get(order=order)
    assert inspection.notes == "车内有贵重物品已提醒" and inspection.damage_marks.get().note == "右后门凹陷"
    assert OrderPhoto.objects.get(order=order).caption == "右后门"


def test_saving_with_a_bad_photo_saves_nothing_and_keeps_everything(client_as, alice, order):
    response = client_as(alice).post(reverse("reception:order_inspection", args=[order.pk]),
                                     _walk_around(order, image=_photo(content=b"nope"), caption="右后门"))
    assert response.status_code == 400
    assert response.context["photo_form"].errors["image"]
    assert 'value="左前门划痕"' in response.content.decode()
    assert not PreInspection.objects.filter(order=order).exists() and not OrderPhoto.objects.exists()
