"""The first-run set-up (``/setup/``): the checklist, the dealer group and its stations.

The station's own sections (bays, warehouses, suppliers) are pages of the apps that own those rows; they register
themselves with ``core.registry.setup_add`` and the checklist lists them (``org.selectors.setup_checklist``).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.access import not_found
from core.formflow import submit
from org import permissions as perm
from org import selectors, services
from org.forms import DealerGroupForm, StationForm
from org.models import Station
from org.permissions import requires


def _status(form) -> int:
    return 400 if form.is_bound else 200


@requires(perm.SETUP)
def index(request: HttpRequest) -> HttpResponse:
    """The checklist: each step done or not, with counts, and a link to the first step still to do."""
    steps = selectors.setup_checklist(request.user)
    next_step = next((s for s in steps if not s.done and s.url), None)
    return render(request, "org/setup/index.html", {
        "steps": steps, "next_step": next_step, "all_done": all(s.done for s in steps),
        "station": selectors.current_station(request),
    })


@requires(perm.SETUP_GROUP_CREATE)
def group_create(request: HttpRequest) -> HttpResponse:
    form = DealerGroupForm(request.POST or None)
    if request.method == "POST" and submit(form, lambda data: services.dealer_group_create(by=request.user, **data)):
        messages.success(request, _("The dealer group %(name)s has been saved.") % {"name": form.result})
        return redirect("setup:index")
    return render(request, "org/setup/group_form.html", {"form": form, "group": None}, status=_status(form))


@requires(perm.SETUP_GROUP)
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.setup_groups(request.user).filter(pk=pk).first()
    if group is None:
        not_found(request, what="aftersales.dealergroup")
    initial = {"code": group.code, "name": group.name, "name_en": group.name_en}
    form = DealerGroupForm(request.POST or None, initial=initial, editing=group)
    if request.method == "POST" and submit(form, lambda data: services.dealer_group_update(
            by=request.user, group=group, name=data["name"], name_en=data["name_en"])):
        messages.success(request, _("The dealer group %(name)s has been saved.") % {"name": form.result})
        return redirect("setup:index")
    return render(request, "org/setup/group_form.html", {"form": form, "group": group}, status=_status(form))


def _station_details(data: dict) -> dict:
    return {k: v for k, v in data.items() if k not in ("group", "code", "name", "region")}


@requires(perm.SETUP_GROUP)
def station_create(request: HttpRequest) -> HttpResponse:
    groups = selectors.setup_groups(request.user)
    if not groups.exists():
        messages.error(request, _("Set up the dealer group first."))
        return redirect("setup:index")
    form = StationForm(request.POST or None, groups=groups)
    if request.method == "POST" and submit(form, lambda data: services.station_create(
            by=request.user, group=data["group"], code=data["code"], name=data["name"], region=data["region"],
            **_station_details(data))):
        messages.success(request, _("The station %(name)s has been saved.") % {"name": form.result})
        return redirect("setup:index")
    return render(request, "org/setup/station_form.html", {"form": form, "station": None}, status=_status(form))


@requires(perm.SETUP_GROUP)
def station_edit(request: HttpRequest, pk: int) -> HttpResponse:
    groups = selectors.setup_groups(request.user)
    station = selectors.scope(Station.objects.select_related("group", "region"), request.user, "id").filter(
        pk=pk, group__in=groups).first()
    if station is None:
        not_found(request, what="aftersales.station")
    form = StationForm(request.POST or None, groups=groups, editing=station)
    if request.method == "POST" and submit(form, lambda data: services.station_update(
            by=request.user, station=station, region=data["region"], **_station_details(data))):
        messages.success(request, _("The station %(name)s has been saved.") % {"name": form.result})
        return redirect("setup:index")
    return render(request, "org/setup/station_form.html", {"form": form, "station": station}, status=_status(form))
