from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.formflow import submit
from org import permissions as perm
from org.permissions import requires
from org.selectors import get_scoped, station_or_404
from reception.forms import CatalogueImportForm, LabourOperationForm
from reception.models import LabourOperation
from reception.services import catalogue as services
from reception.views.common import form_status


@requires(perm.RECEPTION_VIEW)
def catalogue(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    qs = LabourOperation.objects.filter(station=station).order_by("category", "code")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name_zh__icontains=q) | Q(name_en__icontains=q)
                       | Q(category__icontains=q))
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return render(request, "reception/catalogue.html", {"page": page, "q": q})


@requires(perm.CATALOGUE_MANAGE)
def catalogue_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    station = station_or_404(request)
    operation = get_scoped(request, LabourOperation.objects.all(), pk=pk) if pk else None
    form = LabourOperationForm(request.POST or None, instance=operation)
    if request.method == "POST" and submit(form, lambda data: services.labour_operation_save(
            station=operation.station if operation else station, by=request.user, operation=operation, **data)):
        messages.success(request, _("Labour operation saved."))
        return redirect("reception:catalogue")
    return render(request, "reception/catalogue_form.html", {"form": form, "operation": operation},
                  status=form_status(form))


@requires(perm.CATALOGUE_MANAGE)
def catalogue_import(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            form.add_error("file", _("The file is not UTF-8 text."))
        else:
            result = services.catalogue_import_csv(station=station, by=request.user, data=data)
            if result.ok:
                messages.success(request, _("Imported: %(created)d new, %(updated)d updated.")
                                 % {"created": result.created, "updated": result.updated})
                return redirect("reception:catalogue")
            form.add_error(None, _("Nothing was imported: correct the rows below and try again."))
    return render(request, "reception/catalogue_import.html", {"form": form, "result": result},
                  status=form_status(form))
