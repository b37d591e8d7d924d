"""The claim exchange with the carmaker: file layouts per carmaker, batches of submitted claims sent out, and the
carmaker's decision file imported (core.imports)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import import_views
from core.formflow import act, submit
from org import permissions as perm
from org.permissions import requires
from org.selectors import get_scoped, station_or_404
from reception.views.common import form_status
from settlement.models import CLAIM_EXPORT_FIELDS, ClaimBatch, OemProfile
from settlement.services import claim_exchange as services


class OemProfileForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("carmaker"), max_length=60)
    dealer_code = forms.CharField(label=gettext_lazy("dealer code"), max_length=20)
    file_format = forms.ChoiceField(label=gettext_lazy("file format"), choices=OemProfile.Format.choices)
    columns = forms.CharField(label=gettext_lazy("columns"), widget=forms.Textarea(attrs={"rows": 8}),
                              help_text=gettext_lazy("One per line, in the carmaker's order: our field = their "
                                                     "header, e.g. claim_number=索赔单号."))


def _columns_text(columns) -> str:
    return "\n".join(f"{field}={header}" for field, header in columns)


@requires(perm.WARRANTY_MANAGE)
def claim_exchange(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    form = OemProfileForm(request.POST or None, initial={"columns": _columns_text(services.DEFAULT_COLUMNS),
                                                         "file_format": "csv"})
    if request.method == "POST" and submit(form, lambda d: services.oem_profile_save(
            station=station, by=request.user, **d)):
        messages.success(request, _("Carmaker profile saved."))
        return redirect("settlement:claim_exchange")
    return render(request, "settlement/claim_exchange.html", {
        "form": form, "profiles": OemProfile.objects.filter(station=station),
        "batches": ClaimBatch.objects.filter(station=station).select_related("profile", "created_by")[:20],
        "waiting": len(services.claims_to_send(station)), "fields": CLAIM_EXPORT_FIELDS,
    }, status=form_status(form))


@requires(perm.WARRANTY_MANAGE)
def claim_batch_create(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_scoped(request, OemProfile.objects.all(), pk=pk)
    if request.method == "POST":
        act(request, lambda: services.claim_batch_create(station=profile.station, profile=profile, by=request.user),
            lambda batch: _("Batch %(number)s made: download its file and send it to the carmaker.")
            % {"number": batch.number})
    return redirect("settlement:claim_exchange")


@requires(perm.WARRANTY_MANAGE)
def claim_batch_file(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_scoped(request, ClaimBatch.objects.select_related("profile"), pk=pk)
    data, name, content_type = services.batch_file(batch)
    response = HttpResponse(data, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@requires(perm.WARRANTY_MANAGE)
def claim_decision_import(request: HttpRequest) -> HttpResponse:
    """The carmaker's decision file: the upload page; checked and applied on the workers."""
    return import_views.upload(request, kind="claim_decisions", station=station_or_404(request))
