"""Printed documents: inline PDF (or ?download=1), and a print preview page that embeds it with a print button."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from core import documents
from org import permissions as perm
from org.permissions import requires
from org.selectors import get_scoped
from reception.models import WorkOrder
from settlement import pdf
from settlement.models import IssuedDocument, Payment, Statement, WarrantyClaim
from settlement.selectors import claim_for, order_for
from settlement.services.issued import merged
from settlement.views.issued import issued_pdf, issued_response

FINAL = (WorkOrder.Status.SETTLED, WorkOrder.Status.DELIVERED)


def _order_pdf(request: HttpRequest, pk: int, *, template: str, builder: Callable, name: str) -> HttpResponse:
    order = order_for(request, pk)
    language = documents.document_language(request, order.customer)
    with translation.override(language):
        context = builder(order, language)
        data = documents.render_pdf(template=template, context=context, language=language, station=order.station)
    return documents.pdf_response(request, pdf=data, filename=f"{order.number}-{name}.pdf")


@xframe_options_sameorigin
@requires(perm.RECEPTION_VIEW)
def work_order_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The work order (任务委托书). Signed by the customer and settled (its lines can no longer change): kept as
    issued from its first print on."""
    order = order_for(request, pk)
    if order.status in FINAL and pdf.signed_version(order) is not None:
        return issued_response(request, kind=IssuedDocument.Kind.WORK_ORDER, obj=order, order=order,
                               filename=f"{order.number}-work-order.pdf", template="settlement/pdf/work_order.html",
                               context=lambda language: pdf.work_order_context(order, language))
    return _order_pdf(request, pk, template="settlement/pdf/work_order.html", builder=pdf.work_order_context,
                      name="work-order")


def _pre_inspection_context(order, language):
    context = pdf.pre_inspection_context(order, language)
    context["empty_checklist"] = [
        _("Exterior: scratches, dents, cracks"), _("Windscreen and glass"), _("Lights and indicators"),
        _("Tyres and wheels (tread, damage)"), _("Interior: seats, trim, mats"), _("Warning lights on the dashboard"),
        _("Valuables removed by the customer"), _("Spare wheel and tools"), _("Fuel level and mileage recorded"),
    ]
    return context


@xframe_options_sameorigin
@requires(perm.RECEPTION_VIEW)
def pre_inspection_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _order_pdf(request, pk, template="settlement/pdf/pre_inspection.html", builder=_pre_inspection_context,
                      name="pre-inspection")


@xframe_options_sameorigin
@requires(perm.SETTLEMENT_VIEW)
def settlement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """All statements of the order (one payer per page); ?payer= narrows it; before settlement: provisional.
    Settled: each statement as it was issued (kept as issued), put together."""
    payer = request.GET.get("payer", "")
    order = order_for(request, pk)
    statements = order.statements.select_related("original", "station").order_by("issued_at", "id")
    if payer:
        statements = statements.filter(payer=payer)
    statements = list(statements)
    if statements:
        return documents.pdf_response(request, pdf=merged([_statement_bytes(request, order, st) for st in statements]),
                                      filename=f"{order.number}-settlement.pdf")

    def builder(order, language):
        statements = None
        if payer:
            statements = list(order.statements.filter(payer=payer).order_by("issued_at", "id"))
        context = pdf.statements_context(order, language, statements=statements)
        if payer and not statements:
            context["pages"] = [p for p in context["pages"] if p["payer"] == payer]
        return context

    return _order_pdf(request, pk, template="settlement/pdf/statement.html", builder=builder, name="settlement")


@xframe_options_sameorigin
@requires(perm.SETTLEMENT_VIEW)
def statement_pdf(request: HttpRequest, pk: int, statement_pk: int) -> HttpResponse:
    order = order_for(request, pk)
    statement = get_scoped(request, Statement.objects.select_related("original", "station"), pk=statement_pk,
                           order=order)
    return documents.pdf_response(request, pdf=_statement_bytes(request, order, statement),
                                  filename=f"{statement.number}.pdf")


def _statement_bytes(request: HttpRequest, order, statement: Statement) -> bytes:
    """One statement or credit note as issued (stored at its first print)."""
    kind = (IssuedDocument.Kind.CREDIT_NOTE if statement.kind == Statement.Kind.CREDIT_NOTE
            else IssuedDocument.Kind.STATEMENT)
    return issued_pdf(request, kind=kind, obj=statement, order=order, filename=f"{statement.number}.pdf",
                      template="settlement/pdf/statement.html",
                      context=lambda language: pdf.statements_context(order, language, statements=[statement]))


@xframe_options_sameorigin
@requires(perm.PARTS_VIEW)
def pick_list_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _order_pdf(request, pk, template="settlement/pdf/pick_list.html", builder=pdf.pick_list_context,
                      name="pick-list")


@xframe_options_sameorigin
@requires(perm.SETTLEMENT_VIEW)
def delivery_note_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _order_pdf(request, pk, template="settlement/pdf/delivery_note.html", builder=pdf.delivery_context,
                      name="delivery-note")


@xframe_options_sameorigin
@requires(perm.SETTLEMENT_VIEW)
def claim_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    claim = claim_for(request, pk)
    if claim.status != WarrantyClaim.Status.DRAFT:  # submitted to the carmaker: the form as it was sent
        return issued_response(request, kind=IssuedDocument.Kind.CLAIM_FORM, obj=claim, order=claim.order,
                               filename=f"{claim.number}.pdf", template="settlement/pdf/claim_form.html",
                               context=lambda language: pdf.claim_context(claim, language))
    language = documents.document_language(request, claim.order.customer)
    with translation.override(language):
        data = documents.render_pdf(template="settlement/pdf/claim_form.html", context=pdf.claim_context(claim, language),
                              language=language, station=claim.station)
    return documents.pdf_response(request, pdf=data, filename=f"{claim.number}.pdf")


@xframe_options_sameorigin
@requires(perm.SETTLEMENT_VIEW)
def receipt_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The receipt (收据) of one payment."""
    payment = get_scoped(request, Payment.objects.select_related("statement__order__customer", "received_by"), pk=pk)
    return issued_response(request, kind=IssuedDocument.Kind.RECEIPT, obj=payment, order=payment.statement.order,
                           filename=f"{payment.receipt_number}.pdf", template="settlement/pdf/receipt.html",
                           context=lambda language: pdf.receipt_context(payment, language))


# document slug → (url name, action needed, title)
ORDER_DOCUMENTS = {
    "work-order": ("settlement:work_order_pdf", perm.RECEPTION_VIEW, _("Work order")),
    "pre-inspection": ("settlement:pre_inspection_pdf", perm.RECEPTION_VIEW, _("Pre-inspection sheet")),
    "pick-list": ("settlement:pick_list_pdf", perm.PARTS_VIEW, _("Parts pick list")),
    "settlement": ("settlement:settlement_pdf", perm.SETTLEMENT_VIEW, _("Settlement statement")),
    "delivery-note": ("settlement:delivery_note_pdf", perm.SETTLEMENT_VIEW, _("Delivery note")),
}


@requires(perm.RECEPTION_VIEW)
def print_preview(request: HttpRequest, pk: int, doc: str) -> HttpResponse:
    if doc not in ORDER_DOCUMENTS:
        raise Http404
    url_name, action, title = ORDER_DOCUMENTS[doc]
    if not perm.has_action(request.user, action):
        raise PermissionDenied
    order = order_for(request, pk)
    language = documents.document_language(request, order.customer)
    pdf_url = reverse(url_name, kwargs={"pk": order.pk})
    return render(request, "settlement/print_preview.html", {
        "order": order, "title": title, "pdf_url": f"{pdf_url}?lang={language}", "language": language,
        "download_url": f"{pdf_url}?lang={language}&download=1", "documents": _documents_for(request.user, order),
        "doc": doc,
    })


def _documents_for(user, order) -> list[tuple[str, str]]:
    return [(slug, title) for slug, (_u, action, title) in ORDER_DOCUMENTS.items() if perm.has_action(user, action)]
