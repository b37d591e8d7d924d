import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import DomainError
from core.factories import PNG
from reception.models import ChecklistItem
from reception.services import inspections


def test_a_station_starts_with_the_default_checklist(station):
    items = inspections.checklist_for(station)
    assert {i.area for i in items} >= {"exterior", "interior", "lights", "tyres", "valuables", "warning_lights"}
    assert len(inspections.checklist_for(station)) == len(items)


def test_a_stations_own_checklist_is_used(station):
    ChecklistItem.objects.create(station=station, area="other", label="行车记录仪")
    assert [i.label for i in inspections.checklist_for(station)] == ["行车记录仪"]


def test_the_pre_inspection_keeps_items_and_damage_marks(order, alice):
    results = [{"area": "exterior", "label": "车身漆面", "ok": False, "note": "左前门划痕"},
               {"area": "tyres", "label": "轮胎", "ok": True, "note": ""}]
    inspection = inspections.pre_inspection_save(order=order, by=alice, results=results,
                                                 marks=[{"x": 12.5, "y": 40, "note": "划痕"}])
    assert inspection.items.count() == 2 and inspection.mileage == 21000
    mark = inspection.damage_marks.get()
    assert (float(mark.x_pct), float(mark.y_pct), mark.note) == (12.5, 40.0, "划痕")


def test_a_point_that_is_not_ok_needs_a_note(order, alice):
    with pytest.raises(DomainError):
        inspections.pre_inspection_save(order=order, by=alice,
                                        results=[{"area": "exterior", "label": "车身", "ok": False, "note": ""}])


def test_a_mark_outside_the_diagram_is_refused(order, alice):
    with pytest.raises(DomainError):
        inspections.pre_inspection_save(order=order, by=alice, results=[], marks=[{"x": 120, "y": 5}])


def test_saving_again_replaces_the_previous_walk_around(order, alice):
    inspections.pre_inspection_save(order=order, by=alice, results=[], marks=[{"x": 1, "y": 1}])
    inspection = inspections.pre_inspection_save(order=order, by=alice, results=[], marks=[])
    assert inspection.damage_marks.count() == 0


def test_a_photo_is_kept_with_the_order(order, alice):
    image = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    inspections.order_photo_add(order=order, by=alice, image=image, caption="左前门")
    assert order.photos.get().caption == "左前门"
