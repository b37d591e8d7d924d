"""Serving a document kept as issued: the first print stores it, a download serves the stored bytes unchanged, a
later print is the stored pages with the reprint stamp (settlement.services.issued)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from core import documents
from reception.models import WorkOrder
from settlement.services.issued import Issued, document_issue, document_mark_printed, document_reprint


def issued_pdf(request: HttpRequest, *, kind: str, obj, order: WorkOrder, filename: str, template: str,
               context: Callable[[str], dict]) -> bytes:
    """The bytes to send for one issued document: the issue itself, the stored file, or a stamped reprint."""
    issued = _issued(request, kind=kind, obj=obj, order=order, filename=filename, template=template,
                     context=context)
    if request.GET.get("download") == "1" or document_mark_printed(document=issued.document):
        return issued.pdf  # a download, or the first print (just stored, or stored at the issue by the task)
    return document_reprint(document=issued.document, by=request.user, order=order)


def _issued(request, *, kind, obj, order, filename, template, context) -> Issued:
    language = documents.document_language(request, order.customer)

    def render() -> bytes:
        with translation.override(language):
            return documents.render_pdf(template=template, context=context(language), language=language,
                                        station=obj.station)

    return document_issue(kind=kind, object_id=obj.pk, language=language, station=obj.station, by=request.user,
                          filename=filename, render=render)


def issued_response(request: HttpRequest, **kwargs) -> HttpResponse:
    return documents.pdf_response(request, pdf=issued_pdf(request, **kwargs), filename=kwargs["filename"])
