from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.formflow import submit
from org import permissions as perm
from org.permissions import requires
from org.selectors import get_scoped, station_or_404
from reception.forms import ChecklistItemForm
from reception.models import ChecklistItem
from reception.services import inspections
from reception.views.common import form_status


@requires(perm.RECEPTION_SETUP)
def checklist(request: HttpRequest) -> HttpResponse:
    """The station manager or the front-desk lead sets the station's walk-around checklist."""
    station = station_or_404(request)
    inspections.checklist_for(station)  # the defaults, the first time
    form = ChecklistItemForm(request.POST or None)
    if request.method == "POST":
        if "toggle" in request.POST:
            item = get_scoped(request, ChecklistItem.objects.all(), pk=request.POST.get("toggle") or 0)
            inspections.checklist_item_toggle(item=item, by=request.user)
            return redirect("reception:checklist")
        if submit(form, lambda data: inspections.checklist_item_add(station=station, by=request.user, **data)):
            messages.success(request, _("Checklist point added."))
            return redirect("reception:checklist")
    items = ChecklistItem.objects.filter(station=station).order_by("-is_active", "position", "id")
    return render(request, "reception/checklist.html", {"items": items, "form": form}, status=form_status(form))
