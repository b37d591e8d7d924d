"""Printed parts documents: the stocktake count sheet as an A4 PDF (inline, or ?download=1; ?lang=zh-hans|en)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.clickjacking import xframe_options_sameorigin

from core import documents
from org import permissions as perm
from org.permissions import requires
from org.selectors import get_scoped
from parts.models import Stocktake
from parts.pdf import count_sheet_context


@xframe_options_sameorigin
@requires(perm.PARTS_STOCKTAKE)
def stocktake_sheet_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """盘点表: the lines by bin with an empty box for the count, never the book quantity (blind count)."""
    take = get_scoped(request, Stocktake.objects.select_related("station", "warehouse", "created_by"), pk=pk)
    language = documents.document_language(request)
    with translation.override(language):
        data = documents.render_pdf(template="parts/pdf/count_sheet.html", context=count_sheet_context(take, language),
                              language=language, station=take.station)
    return documents.pdf_response(request, pdf=data, filename=f"{take.number}-count-sheet.pdf")
