"""The station's bays (工位): a step of the first-run set-up checklist, and where the manager adds or switches off a
bay later."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.formflow import submit
from org import permissions as perm
from org.permissions import requires
from org.selectors import get_scoped, station_or_404
from workshop.forms import BayForm
from workshop.models import Bay
from workshop.services.bays import bay_create, bay_update
from workshop.views._common import form_status


@requires(perm.SETUP)
def bay_list(request: HttpRequest) -> HttpResponse:
    """The bays of the station worked in, and a form to add one."""
    station = station_or_404(request)
    form = BayForm(request.POST or None)
    if request.method == "POST" and submit(form, lambda data: bay_create(station=station, by=request.user, **data)):
        messages.success(request, _("Bay %(bay)s added.") % {"bay": form.result})
        return redirect("workshop:bays")
    bays = Bay.objects.filter(station=station).order_by("-is_active", "code")
    return render(request, "workshop/bays.html", {"bays": bays, "form": form, "station": station},
                  status=form_status(form))


@requires(perm.SETUP)
def bay_edit(request: HttpRequest, pk: int) -> HttpResponse:
    bay = get_scoped(request, Bay.objects.select_related("station"), pk=pk)
    initial = {"code": bay.code, "name": bay.name, "kind": bay.kind, "is_active": bay.is_active}
    form = BayForm(request.POST or None, initial=initial, editing=bay)
    if request.method == "POST" and submit(form, lambda data: bay_update(bay=bay, by=request.user, **data)):
        messages.success(request, _("Bay %(bay)s saved.") % {"bay": form.result})
        return redirect("workshop:bays")
    return render(request, "workshop/bay_form.html", {"bay": bay, "form": form}, status=form_status(form))
