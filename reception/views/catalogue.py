from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core import import_views
from core.formflow import submit
from org import permissions as perm
from org.permissions import requires
from org.selectors import get_scoped, station_or_404
from reception.forms import LabourOperationForm
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
    """The catalogue import's upload page: the file is stored and checked on the workers (core.imports), never here."""
    return import_views.upload(request, kind="labour", station=station_or_404(request))
