from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from aftersales import permissions as perm
from aftersales.exceptions import DomainError
from aftersales.permissions import requires
from aftersales.selectors import get_scoped
from reception.forms import PhotoForm
from reception.models import WorkOrder
from reception.services import inspections


@requires(perm.RECEPTION_EDIT)
def order_inspection(request: HttpRequest, pk: int) -> HttpResponse:
    """The walk-around with the customer: checklist (OK or a note), marks on the diagram, photos."""
    order = get_scoped(request, WorkOrder.objects.select_related("vehicle", "customer"), pk=pk)
    checklist = inspections.checklist_for(order.station)
    existing = getattr(order, "pre_inspection", None) if hasattr(order, "pre_inspection") else None
    previous = {(i.area, i.label): i for i in existing.items.all()} if existing else {}
    rows = []
    for item in checklist:
        before = previous.get((item.area, item.label))
        rows.append({"item": item, "ok": before.ok if before else True, "note": before.note if before else ""})
    marks = [{"x": float(m.x_pct), "y": float(m.y_pct), "note": m.note}
             for m in (existing.damage_marks.all() if existing else [])]
    error = None
    if request.method == "POST":
        results = []
        for item in checklist:
            results.append({
                "area": item.area, "label": item.label,
                "ok": request.POST.get(f"ok-{item.pk}") == "1",
                "note": request.POST.get(f"note-{item.pk}", "").strip(),
            })
        try:
            marks = json.loads(request.POST.get("marks") or "[]")
            if not isinstance(marks, list):
                raise ValueError
        except ValueError:
            marks = []
        try:
            inspections.pre_inspection_save(order=order, by=request.user, results=results, marks=marks,
                                            notes=request.POST.get("notes", ""))
        except DomainError as exc:
            error = exc.message
            rows = [{"item": item, "ok": r["ok"], "note": r["note"]} for item, r in zip(checklist, results,
                                                                                         strict=True)]
        else:
            messages.success(request, _("Pre-inspection saved. Now build the estimate."))
            return redirect("reception:order_detail", pk=pk)
    return render(request, "reception/order_inspection.html", {
        "order": order, "rows": rows, "marks_json": json.dumps(marks), "error": error,
        "inspection": existing, "photo_form": PhotoForm(), "photos": order.photos.all(),
    })
