"""Customer care's retention lists: due for service, win-back (lost / at-risk customers), insurance renewal (续保).

Each row takes the outcome of a call (complaints.services.retention); a refused outcome comes back at the field on a
small page of its own (400, input kept).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from complaints import retention_selectors as selectors
from complaints.models import RetentionCall
from complaints.services import reminders, retention
from core.formflow import submit
from core.paging import keyset_page
from org import permissions as perm
from org.permissions import requires
from org.selectors import get_scoped, station_or_404
from reception.models import Customer, Vehicle

K = RetentionCall.Kind
LIST_URL = {K.SERVICE: "complaints:due_service", K.WIN_BACK: "complaints:win_back", K.INSURANCE: "complaints:insurance"}
DAYS = 30  # the insurance list's default horizon


class CallForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("outcome"))
    note = forms.CharField(label=gettext_lazy("note"), max_length=255, required=False)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [("", "—"), *retention.outcome_choices(kind)]


def _list(request: HttpRequest, kind: str, page, **extra) -> HttpResponse:
    return render(request, "complaints/retention_list.html", {
        "kind": kind, "page": page, "form": CallForm(kind=kind), "outcomes": RetentionCall.Outcome.choices, **extra})


@requires(perm.CALLS_WORK)
def due_service(request: HttpRequest) -> HttpResponse:
    page = keyset_page(selectors.due_for_service(station_or_404(request)), request.GET, key="id")
    return _list(request, K.SERVICE, page)


@requires(perm.CALLS_WORK)
def win_back(request: HttpRequest) -> HttpResponse:
    page = keyset_page(selectors.win_back(station_or_404(request)), request.GET, key="name")
    return _list(request, K.WIN_BACK, page)


@requires(perm.CALLS_WORK)
def insurance(request: HttpRequest) -> HttpResponse:
    try:
        days = max(1, min(int(request.GET.get("days") or DAYS), 366))
    except ValueError:
        days = DAYS
    page = keyset_page(selectors.insurance_due(station_or_404(request), days=days), request.GET,
                       key="insurance_expiry")
    return _list(request, K.INSURANCE, page, days=days)


def _record(request: HttpRequest, kind: str, *, customer=None, vehicle=None) -> HttpResponse:
    form = CallForm(request.POST, kind=kind)
    if submit(form, lambda data: retention.retention_call_record(kind=kind, by=request.user, customer=customer,
                                                                 vehicle=vehicle, **data)):
        messages.success(request, _("Call outcome recorded."))
        return redirect(LIST_URL[kind])
    return render(request, "complaints/retention_call.html", {"form": form, "kind": kind, "customer": customer,
                                                              "vehicle": vehicle}, status=400)


@require_POST
@requires(perm.CALLS_WORK)
def due_service_call(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(request, K.SERVICE, vehicle=get_scoped(request, Vehicle.objects.select_related("owner"), pk=pk))


@require_POST
@requires(perm.CALLS_WORK)
def win_back_call(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(request, K.WIN_BACK, customer=get_scoped(request, Customer.objects.all(), pk=pk))


@require_POST
@requires(perm.CALLS_WORK)
def insurance_call(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(request, K.INSURANCE, vehicle=get_scoped(request, Vehicle.objects.select_related("owner"), pk=pk))


@require_POST
@requires(perm.CALLS_WORK)
def insurance_sms(request: HttpRequest, pk: int) -> HttpResponse:
    vehicle = get_scoped(request, Vehicle.objects.select_related("owner", "station"), pk=pk)
    if reminders.insurance_remind(vehicle=vehicle) is None:
        messages.error(request, _("No text message: the owner has no mobile, does not agree to be contacted, "
                                  "or the expiry date is missing."))
    else:
        messages.success(request, _("Text message queued (sent outside quiet hours, once per expiry date)."))
    return redirect("complaints:insurance")
