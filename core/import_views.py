"""The pages of an import (``core.imports``), the same for every kind: upload → preview → import → progress → result.

Thin: each department's upload page is its own view (declaring its permission with ``@requires``) that calls
:func:`upload` with the kind and the station; the job pages here are login-only at the middleware and check the
job's kind's permission (403) and the job's station (404, logged) themselves, through the registry (core imports
no app). Nothing is read or written row by row in a request: the upload stores the file and queues the check, the
progress endpoint reads one row.
"""

from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from core import imports, tasks
from core.access import deny, not_found
from core.exports import XLSX_TYPE
from core.models import ImportJob
from core.registry import registry

logger = logging.getLogger("core.imports")
MAX_UPLOAD_BYTES = getattr(settings, "IMPORT_MAX_BYTES", 20 * 1024 * 1024)
POLL_FIELDS = ("id", "kind", "station_id", "status", "total_rows", "processed_rows")


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("file (CSV or Excel .xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".txt", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large (at most %(size)s).")
                                        % {"size": filesizeformat(MAX_UPLOAD_BYTES)})
        if not upload.size:
            raise forms.ValidationError(_("The file is empty."))
        return upload


def upload(request: HttpRequest, *, kind: str, station) -> HttpResponse:
    """The upload page of one kind, for the caller's station (the caller has checked the permission)."""
    importer = imports.importer_for(kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = imports.job_create(importer=importer, station=station, by=request.user, upload=form.cleaned_data["file"],
                                 language=get_language())
        if _queue(tasks.import_validate, job):
            return redirect("imports:job", pk=job.pk)
        imports.job_not_queued(job, was_started=False)
        form.add_error("file", _unreachable())
    recent = ImportJob.objects.filter(station=station, kind=kind).select_related("created_by")[:10]
    return render(request, "core/imports/upload.html", {
        "importer": importer, "form": form, "recent": recent, "station": station,
    }, status=400 if form.is_bound else 200)


def _allowed(request: HttpRequest, importer: imports.Importer) -> None:
    if not registry.call("org.has_action", request.user, importer.action):
        deny(request, action=importer.action, reason="position")


def _job(request: HttpRequest, pk: int, *, fields: tuple[str, ...] = ()) -> ImportJob:
    """The job, if the user sees its station (404 otherwise) and may import its kind (403 otherwise)."""
    station_ids = registry.call("org.visible_station_ids", request.user)
    queryset = ImportJob.objects.filter(pk=pk, station_id__in=station_ids)
    job = (queryset.only(*fields) if fields else queryset.select_related("created_by", "station")).first()
    if job is None:
        not_found(request, what="core.importjob")
    try:
        importer = imports.importer_for(job.kind)
    except LookupError:
        raise Http404 from None
    _allowed(request, importer)
    job.importer = importer
    return job


def job(request: HttpRequest, pk: int) -> HttpResponse:
    """One job's page: checking (polls), the preview with every error, importing (progress bar), the result."""
    job = _job(request, pk)
    importer = job.importer
    columns = [c.label for c in importer.columns]
    return render(request, "core/imports/job.html", {
        "job": job, "importer": importer, "columns": columns, "Status": ImportJob.Status,
        "upload_url": reverse(importer.upload_url) if importer.upload_url else "",
        "back_url": reverse(importer.back_url) if importer.back_url else "",
    })


def start(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: import a checked file without errors (queues the apply task), then show its progress."""
    job = _job(request, pk)
    if request.method != "POST":
        return redirect("imports:job", pk=job.pk)
    if imports.job_start(job) and not _queue(tasks.import_apply, job):
        imports.job_not_queued(job, was_started=True)
        messages.error(request, _unreachable())
    return redirect("imports:job", pk=job.pk)


def _unreachable() -> str:
    return _("The background workers cannot be reached: nothing was imported. Try again in a few minutes.")


def _queue(task, job: ImportJob) -> bool:
    """Queue ``task`` for the job; False (logged) when the broker cannot be reached."""
    try:
        task.delay(job.pk)
    except OperationalError:
        logger.exception("import %s: cannot queue %s", job.pk, task.name)
        return False
    return True


def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar, polled by htmx every second: one row read. When the job has moved on (checked, imported,
    failed) htmx is told to reload the job's page."""
    job = _job(request, pk, fields=POLL_FIELDS)
    waiting = request.GET.get("while", ImportJob.Status.RUNNING)
    if job.status != waiting:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("imports:job", kwargs={"pk": job.pk})
        return response
    return render(request, "core/imports/_progress.html", {"job": job})


def template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """An empty file with the kind's headers (Chinese headers in Chinese, English ones otherwise)."""
    try:
        importer = imports.importer_for(kind)
    except LookupError:
        raise Http404 from None
    if fmt not in imports.FORMATS:
        raise Http404
    _allowed(request, importer)
    data = imports.template_bytes(importer, fmt, get_language() or settings.LANGUAGE_CODE)
    content_type = XLSX_TYPE if fmt == "xlsx" else "text/csv; charset=utf-8"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="import-{kind}.{fmt}"'
    return response
