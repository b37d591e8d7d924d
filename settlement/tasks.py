"""Settlement's background work: keeping each document as issued right after its issue (settlement.issued_render).
Routed to the reports queue (``*.tasks.render_*``)."""

from __future__ import annotations

from celery import shared_task

from settlement import issued_render


@shared_task(name="settlement.tasks.render_issued_document", acks_late=True)  # idempotent: one row per document
def render_issued_document(kind: str, object_id: int, by_id: int) -> int:
    return issued_render.document_store(kind=kind, object_id=object_id, by_id=by_id).pk


def _enqueue(kind: str, object_id: int, by_id: int) -> None:
    render_issued_document.delay(kind, object_id, by_id)


def on_statement_saved(statement, *, deleted: bool = False) -> None:
    issued_render.statement_saved(statement, enqueue=_enqueue, deleted=deleted)


def on_payment_saved(payment, *, deleted: bool = False) -> None:
    issued_render.payment_saved(payment, enqueue=_enqueue, deleted=deleted)
