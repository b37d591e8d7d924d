"""Storing a document as issued at the moment it is issued, out of the request: a settlement statement, a credit note,
a supplement, a receipt, and the signed work order of a settled order are rendered by the task
``settlement.tasks.render_issued_document`` (reports queue) right after the transaction that issued them commits, in
the customer's language, and kept through ``settlement.services.issued.document_issue``. So a customer renamed or a
price changed between the issue and the first print never reaches the stored copy.

On when ``settings.ISSUED_DOCUMENTS_ON_ISSUE`` is (by default: with a broker, outside the tests); without it — the
quick start with tasks run in-process, most tests — a document is stored at its first print instead, as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import translation

from core import documents
from org.models import Staff
from reception.models import WorkOrder
from settlement import pdf
from settlement.models import IssuedDocument, Payment, Statement
from settlement.services.issued import document_issue

K = IssuedDocument.Kind


@dataclass(frozen=True)
class Source:
    template: str
    load: object  # pk -> the object
    order: object  # object -> its work order
    context: object  # (object, language) -> template context
    filename: object  # object -> file name


SOURCES = {
    K.STATEMENT: Source("settlement/pdf/statement.html",
                        lambda pk: Statement.objects.select_related("order__customer", "station").get(pk=pk),
                        lambda s: s.order, lambda s, lang: pdf.statements_context(s.order, lang, statements=[s]),
                        lambda s: f"{s.number}.pdf"),
    K.RECEIPT: Source("settlement/pdf/receipt.html",
                      lambda pk: Payment.objects.select_related("statement__order__customer", "station").get(pk=pk),
                      lambda p: p.statement.order, lambda p, lang: pdf.receipt_context(p, lang),
                      lambda p: f"{p.receipt_number}.pdf"),
    K.WORK_ORDER: Source("settlement/pdf/work_order.html",
                         lambda pk: WorkOrder.objects.select_related("customer", "station").get(pk=pk),
                         lambda o: o, pdf.work_order_context, lambda o: f"{o.number}-work-order.pdf"),
}
SOURCES[K.CREDIT_NOTE] = SOURCES[K.STATEMENT]


def document_store(*, kind: str, object_id: int, by_id: int) -> IssuedDocument:
    """Render one issued document in its customer's language and keep it (a second call finds the kept one)."""
    source = SOURCES[kind]
    obj = source.load(object_id)
    order = source.order(obj)
    language = documents.document_language(None, order.customer)

    def render() -> bytes:
        with translation.override(language):
            return documents.render_pdf(template=source.template, context=source.context(obj, language),
                                        language=language, station=obj.station)

    return document_issue(kind=kind, object_id=obj.pk, language=language, station=obj.station,
                          by=Staff.objects.get(pk=by_id), filename=source.filename(obj), render=render).document


def _schedule(kind: str, object_id: int, by_id: int | None, enqueue) -> None:
    if not settings.ISSUED_DOCUMENTS_ON_ISSUE or by_id is None:
        return
    transaction.on_commit(lambda: enqueue(kind, object_id, by_id), robust=True)  # a broker down: stored at 1st print


def statement_saved(statement: Statement, *, enqueue, deleted: bool = False) -> None:
    """A statement, supplement or credit note just issued (its first save): keep it; a settlement statement also keeps
    the order's signed work order, whose lines can no longer change."""
    if deleted or getattr(statement, "_issued_scheduled", False) or statement.issued_at is None:
        return
    statement._issued_scheduled = True
    kind = K.CREDIT_NOTE if statement.kind == Statement.Kind.CREDIT_NOTE else K.STATEMENT
    _schedule(kind, statement.pk, statement.issued_by_id, enqueue)
    if statement.kind == Statement.Kind.STATEMENT and pdf.signed_version(statement.order) is not None:
        _schedule(K.WORK_ORDER, statement.order_id, statement.issued_by_id, enqueue)


def payment_saved(payment: Payment, *, enqueue, deleted: bool = False) -> None:
    if deleted or getattr(payment, "_issued_scheduled", False):
        return
    payment._issued_scheduled = True
    _schedule(K.RECEIPT, payment.pk, payment.received_by_id, enqueue)
