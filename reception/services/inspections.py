"""The walk-around pre-inspection (环车预检): the station's checklist, damage marks on the diagram, photos."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.errors import DomainError
from org.models import Staff, Station
from reception.models import ChecklistItem, DamageMark, OrderPhoto, PreInspection, PreInspectionItem, WorkOrder
from reception.services.workflow import record_event

A = ChecklistItem.Area
# The checklist a station starts with; each station can change its own (labels are stored in the station's words).
DEFAULT_CHECKLIST = [
    (A.EXTERIOR, gettext_noop("Body and paint")),
    (A.EXTERIOR, gettext_noop("Glass and mirrors")),
    (A.INTERIOR, gettext_noop("Seats and trim")),
    (A.INTERIOR, gettext_noop("Dashboard and controls")),
    (A.LIGHTS, gettext_noop("Headlights, indicators, brake lights")),
    (A.TYRES, gettext_noop("Tyre tread and pressure")),
    (A.TYRES, gettext_noop("Spare wheel and tools")),
    (A.VALUABLES, gettext_noop("Valuables left in the vehicle")),
    (A.WARNING_LIGHTS, gettext_noop("Warning lights on the dashboard")),
]


def checklist_for(station: Station) -> list[ChecklistItem]:
    items = list(ChecklistItem.objects.filter(station=station, is_active=True))
    if not items:
        # a station's checklist is written in the station's words: Chinese, whatever the language of this request
        with transaction.atomic(), translation.override("zh-hans"):
            ChecklistItem.objects.bulk_create(
                [ChecklistItem(station=station, area=area, label=_(label), position=i)
                 for i, (area, label) in enumerate(DEFAULT_CHECKLIST)]
            )
        items = list(ChecklistItem.objects.filter(station=station, is_active=True))
    return items


@transaction.atomic
def pre_inspection_save(
    *,
    order: WorkOrder,
    by: Staff,
    results: list[dict],
    marks: list[dict] | None = None,
    notes: str = "",
) -> PreInspection:
    """Save the checklist results ({"area", "label", "ok", "note"}) and damage marks ({"x", "y", "note"}).
    A point that is not OK needs a note."""
    for row in results:
        if not row.get("ok") and not (row.get("note") or "").strip():
            raise DomainError(_("“%(label)s” is not OK: please write what you saw.") % {"label": row["label"]},
                              field="items")
    inspection, _created = PreInspection.objects.update_or_create(
        order=order,
        defaults={"done_by": by, "mileage": order.mileage_in, "fuel_level": order.fuel_level, "notes": notes},
    )
    inspection.items.all().delete()
    PreInspectionItem.objects.bulk_create(
        [PreInspectionItem(inspection=inspection, area=row["area"], label=row["label"][:120], ok=bool(row.get("ok")),
                           note=(row.get("note") or "")[:255], position=i) for i, row in enumerate(results)]
    )
    if marks is not None:
        inspection.damage_marks.all().delete()
        cleaned = []
        for mark in marks:
            try:
                x, y = Decimal(str(mark["x"])), Decimal(str(mark["y"]))
            except Exception:  # noqa: BLE001 - any malformed mark is refused the same way
                raise DomainError(_("A damage mark is malformed."), field="marks") from None
            if not (0 <= x <= 100 and 0 <= y <= 100):
                raise DomainError(_("A damage mark lies outside the diagram."), field="marks")
            cleaned.append(DamageMark(inspection=inspection, x_pct=x.quantize(Decimal("0.01")),
                                      y_pct=y.quantize(Decimal("0.01")), note=(mark.get("note") or "")[:200]))
        DamageMark.objects.bulk_create(cleaned)
    record_event(order=order, by=by, kind="pre_inspection", note=_("Walk-around pre-inspection recorded"))
    return inspection


@transaction.atomic
def order_photo_add(*, order: WorkOrder, by: Staff, image, caption: str = "") -> OrderPhoto:
    photo = OrderPhoto.objects.create(order=order, image=image, caption=caption[:200], uploaded_by=by)
    record_event(order=order, by=by, kind="photo", note=caption or photo.image.name)
    return photo


@transaction.atomic
def checklist_item_add(*, station: Station, by: Staff, area: str, label: str, position: int = 0) -> ChecklistItem:
    if not label.strip():
        raise DomainError(_("Please describe the check."), field="label")
    return ChecklistItem.objects.create(station=station, area=area, label=label.strip()[:120], position=position)


@transaction.atomic
def checklist_item_toggle(*, item: ChecklistItem, by: Staff) -> ChecklistItem:
    """Switch a point off (kept for the inspections that used it) or on again."""
    item.is_active = not item.is_active
    item.save(update_fields=["is_active"])
    return item
