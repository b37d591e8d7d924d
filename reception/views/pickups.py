"""Pick-up and delivery (取送车): plan a job for an order or an appointment, hand over at each end, cancel."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.files import private_file_url
from core.formflow import act, submit
from org import permissions as perm
from org.permissions import requires
from org.selectors import get_scoped, station_or_404
from reception.loaner_forms import HandOverForm, PickupForm
from reception.models import Appointment, PickupJob, WorkOrder
from reception.services import pickups
from reception.views.common import form_status

OPEN = (PickupJob.Status.PLANNED, PickupJob.Status.PICKED_UP)


@requires(perm.RECEPTION_VIEW)
def pickup_list(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    jobs = (PickupJob.objects.filter(station=station, status__in=OPEN)
            .select_related("driver", "order", "appointment").order_by("window_start")[:100])
    return render(request, "reception/pickups/list.html", {"jobs": jobs})


def _plan(request, *, order=None, appointment=None) -> HttpResponse:
    owner = order or appointment
    form = PickupForm(request.POST or None, station=owner.station)
    if request.method == "POST" and submit(form, lambda data: pickups.pickup_plan(
            by=request.user, order=order, appointment=appointment, **data)):
        messages.success(request, _("Pick-up planned."))
        return redirect("reception:pickup_detail", pk=form.result.pk)
    return render(request, "reception/pickups/plan.html", {"form": form, "order": order, "appointment": appointment},
                  status=form_status(form))


@requires(perm.RECEPTION_EDIT)
def pickup_for_order(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan(request, order=get_scoped(request, WorkOrder.objects.all(), pk=pk))


@requires(perm.RECEPTION_EDIT)
def pickup_for_appointment(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan(request, appointment=get_scoped(request, Appointment.objects.all(), pk=pk))


def _job(request, pk: int) -> PickupJob:
    return get_scoped(request, PickupJob.objects.select_related("driver", "order", "appointment"), pk=pk)


def _detail(request, job: PickupJob, form: HandOverForm | None = None) -> HttpResponse:
    photos = [(p, private_file_url(p, "image")) for p in job.photos.all()]
    return render(request, "reception/pickups/detail.html", {
        "job": job, "form": form or HandOverForm(), "photos": photos, "events": job.events.select_related("by"),
        "pickup_signature": private_file_url(job, "pickup_signature"),
        "delivery_signature": private_file_url(job, "delivery_signature"),
    }, status=form_status(form))


@requires(perm.RECEPTION_VIEW)
def pickup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _job(request, pk))


@require_POST
@requires(perm.RECEPTION_EDIT)
def pickup_hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    form = HandOverForm(request.POST, request.FILES)
    if submit(form, lambda data: pickups.pickup_hand_over(job=job, by=request.user, signature_png=data["signature"],
                                                           note=data["note"], photo=data["photo"])):
        messages.success(request, _("Hand-over recorded."))
        return redirect("reception:pickup_detail", pk=job.pk)
    return _detail(request, job, form)


@require_POST
@requires(perm.RECEPTION_EDIT)
def pickup_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    act(request, lambda: pickups.pickup_cancel(job=job, by=request.user), _("Pick-up cancelled."))
    return redirect("reception:pickup_detail", pk=job.pk)
