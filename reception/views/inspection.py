from __future__ import annotations

import json

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.formflow import submit
from org import permissions as perm
from org.permissions import requires
from org.selectors import get_scoped
from reception.forms import PhotoForm
from reception.models import WorkOrder
from reception.services import inspections


def _order(request: HttpRequest, pk: int) -> WorkOrder:
    return get_scoped(request, WorkOrder.objects.select_related("vehicle", "customer"), pk=pk)


def _inspection_page(request: HttpRequest, order: WorkOrder, *, posted: list[dict] | None = None,
                     marks: list | None = None, notes: str | None = None, error: DomainError | None = None,
                     photo_form: PhotoForm | None = None, photo_saved: bool = False) -> HttpResponse:
    """The walk-around page: what was saved before, or — after a post — what was posted (a photo taken in the middle
    of the walk-around keeps the unsaved checklist, remarks and marks), with the error at the point, the diagram or
    the photo it belongs to (400)."""
    checklist = inspections.checklist_for(order.station)
    existing = getattr(order, "pre_inspection", None) if hasattr(order, "pre_inspection") else None
    if posted is None:
        previous = {(i.area, i.label): i for i in existing.items.all()} if existing else {}
        posted = [{"ok": previous[key].ok, "note": previous[key].note} if key in previous else {"ok": True, "note": ""}
                  for key in ((item.area, item.label) for item in checklist)]
    if marks is None:
        marks = [{"x": float(m.x_pct), "y": float(m.y_pct), "note": m.note}
                 for m in (existing.damage_marks.all() if existing else [])]
    rows, first_missing = [], True
    for item, row in zip(checklist, posted, strict=True):
        missing = error is not None and error.field == "items" and not row["ok"] and not row["note"]
        rows.append({"item": item, "ok": row["ok"], "note": row["note"], "missing": missing,
                     "error": error.message if missing and first_missing else None})
        first_missing = first_missing and not missing
    photo_refused = photo_form is not None and bool(photo_form.errors)
    return render(request, "reception/order_inspection.html", {
        "order": order, "rows": rows, "marks_json": json.dumps(marks), "error": error.message if error else None,
        "marks_error": error.message if error is not None and error.field == "marks" else None,
        "notes": existing.notes if notes is None and existing else notes or "",
        "inspection": existing, "photo_form": photo_form if photo_refused else PhotoForm(), "photos": order.photos.all(),
        "photo_saved": photo_saved,
    }, status=400 if error is not None or photo_refused else 200)


def _posted(request: HttpRequest, order: WorkOrder) -> tuple[list[dict], list, str]:
    """The checklist results, the damage marks and the remarks as posted from the walk-around page."""
    checklist = inspections.checklist_for(order.station)
    results = [{"area": item.area, "label": item.label, "ok": request.POST.get(f"ok-{item.pk}") == "1",
                "note": request.POST.get(f"note-{item.pk}", "").strip()} for item in checklist]
    try:
        marks = json.loads(request.POST.get("marks") or "[]")
        if not isinstance(marks, list):
            raise ValueError
    except ValueError:
        marks = []
    return results, marks, request.POST.get("notes", "")


@requires(perm.RECEPTION_EDIT)
def order_inspection(request: HttpRequest, pk: int) -> HttpResponse:
    """The walk-around with the customer: checklist (OK or a note), marks on the diagram, photos. A photo chosen
    and not yet uploaded is kept with the rest when the pre-inspection is saved."""
    order = _order(request, pk)
    if request.method != "POST":
        return _inspection_page(request, order)
    results, marks, notes = _posted(request, order)
    photo_form = PhotoForm(request.POST, request.FILES) if request.FILES.get("image") else None
    if photo_form is not None and not photo_form.is_valid():  # refused at the photo; nothing typed is lost
        return _inspection_page(request, order, posted=results, marks=marks, notes=notes, photo_form=photo_form)
    try:
        with transaction.atomic():
            inspections.pre_inspection_save(order=order, by=request.user, results=results, marks=marks, notes=notes)
            if photo_form is not None:
                inspections.order_photo_add(order=order, by=request.user, **photo_form.cleaned_data)
    except DomainError as exc:
        return _inspection_page(request, order, posted=results, marks=marks, notes=notes, error=exc)
    messages.success(request, _("Pre-inspection saved. Now build the estimate."))
    return redirect("reception:order_detail", pk=pk)


@requires(perm.RECEPTION_EDIT)
def order_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A photo of the walk-around, taken in the middle of it. From the page's script (``X-Requested-With: fetch``):
    the photos box alone, the page stays as it is. From the page without script: the page again with everything
    typed and marked so far (not saved yet). A refused photo comes back at the photo field (400)."""
    order = _order(request, pk)
    if request.method != "POST":
        return redirect("reception:order_detail", pk=pk)
    form = PhotoForm(request.POST, request.FILES)
    saved = submit(form, lambda data: inspections.order_photo_add(order=order, by=request.user, **data))
    if request.headers.get("X-Requested-With") == "fetch":
        return render(request, "reception/_photos.html", {
            "order": order, "photos": order.photos.all(), "photo_form": PhotoForm() if saved else form,
            "photo_saved": saved,
        }, status=200 if saved else 400)
    if "marks" in request.POST:  # the whole walk-around form came with the photo: keep what it holds
        results, marks, notes = _posted(request, order)
        return _inspection_page(request, order, posted=results, marks=marks, notes=notes, photo_form=form,
                                photo_saved=saved)
    if not saved:
        return _inspection_page(request, order, photo_form=form)
    messages.success(request, _("Photo kept with the order."))
    return redirect("reception:order_detail", pk=pk)
