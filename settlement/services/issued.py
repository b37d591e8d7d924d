"""Documents kept as issued: a statement, credit note, receipt, warranty claim form or signed work order is rendered
once, when first printed after it was issued, and its PDF stored through the storage API with its SHA-256 on an
``IssuedDocument`` row (one per document and language). Later downloads serve those bytes unchanged; later prints
are those pages with a reprint stamp (补打, who, when) laid over them with pypdf — never a fresh render, so a
customer renamed, a price changed or a template edited later never changes an issued document.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter

from core import documents
from org.models import Staff, Station
from reception.models import WorkOrder
from reception.services.workflow import record_event
from settlement.models import IssuedDocument

K = IssuedDocument.Kind


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stored_bytes(doc: IssuedDocument) -> bytes:
    with doc.file.storage.open(doc.file.name, "rb") as handle:  # local disk or the bucket, never a path
        return handle.read()


@dataclass
class Issued:
    document: IssuedDocument
    pdf: bytes
    first: bool  # rendered and stored just now (the issue itself)


def document_issue(*, kind: str, object_id: int, language: str, station: Station, by: Staff, filename: str,
                   render: Callable[[], bytes]) -> Issued:
    """The stored document, or ``render()`` stored now as the issued one. Two first prints at once: the second
    finds the first one's row (unique per kind, object and language) and uses its bytes."""
    existing = IssuedDocument.objects.filter(kind=kind, object_id=object_id, language=language).first()
    if existing is not None:
        return Issued(existing, stored_bytes(existing), first=False)
    pdf = render()
    doc = IssuedDocument(kind=kind, object_id=object_id, language=language, station=station, issued_by=by,
                         sha256=sha256_of(pdf), filename=filename[:80])
    try:
        with transaction.atomic():
            doc.file.save("issued.pdf", ContentFile(pdf), save=False)
            doc.save()
    except IntegrityError:
        doc.file.delete(save=False)
        existing = IssuedDocument.objects.get(kind=kind, object_id=object_id, language=language)
        return Issued(existing, stored_bytes(existing), first=False)
    return Issued(doc, pdf, first=True)


def _stamp_page(width: float, height: float, text: str, detail: str):
    """One transparent page of the given size with the reprint stamp at its top."""
    font_config, _stylesheet, document_class = documents._weasy()
    from weasyprint import CSS  # noqa: PLC0415 - heavy third-party import, only when a reprint is made

    html = (
        "<html><body><div class='stamp'><b>" + escape(text) + "</b><br>" + escape(detail) + "</div></body></html>"
    )
    css = CSS(string=documents.font_face_css() + (
        f"@page {{ size: {width}pt {height}pt; margin: 0; }} body {{ margin: 0; }}"
        # top centre, where the letterhead leaves room (the station on the left, the title on the right)
        ".stamp { position: absolute; top: 5mm; left: 50%; border: 1.5pt solid #c62828; color: #c62828;"
        " padding: 1.5mm 3mm; font-family: NotoSansSC; font-size: 9pt; line-height: 1.35; text-align: center;"
        " transform: translateX(-50%) rotate(-4deg); }"
    ), font_config=font_config)
    pdf = document_class(string=html).write_pdf(stylesheets=[css], font_config=font_config)
    return PdfReader(io.BytesIO(pdf)).pages[0]


def reprint_stamped(pdf: bytes, *, by: Staff, at, language: str) -> bytes:
    """The stored pages with the stamp laid over each one; the pages themselves are not touched."""
    with translation.override(language):
        text = _("Reprint 补打") if language == "en" else "补打"
        detail = _("reprinted by %(who)s, %(when)s") % {
            "who": by.get_full_name() or by.get_username(),
            "when": date_format(timezone.localtime(at), "Y-m-d H:i")}
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    stamps: dict[tuple[float, float], object] = {}
    for page in writer.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        if size not in stamps:
            stamps[size] = _stamp_page(*size, text, detail)
        page.merge_page(stamps[size])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def stored_copy(*, kind: str, object_id: int, language: str) -> bytes | None:
    """The stored issued document (in ``language`` if kept in it, else in the language it was issued in), or None."""
    found = {doc.language: doc for doc in IssuedDocument.objects.filter(kind=kind, object_id=object_id)}
    doc = found.get(language) or next(iter(found.values()), None)
    return stored_bytes(doc) if doc is not None else None


def document_mark_printed(*, document: IssuedDocument) -> bool:
    """True for the document's first print (then marked): it is the original, unstamped; every later one is a
    reprint. One UPDATE, so of two first prints at once only one is the original."""
    return bool(IssuedDocument.objects.filter(pk=document.pk, first_printed_at__isnull=True)
                .update(first_printed_at=timezone.now()))


@transaction.atomic
def document_reprint(*, document: IssuedDocument, by: Staff, order: WorkOrder | None = None) -> bytes:
    """A print of an issued document: its stored pages with the reprint stamp; counted and written to the order's
    history (who and when)."""
    at = timezone.now()
    pdf = reprint_stamped(stored_bytes(document), by=by, at=at, language=document.language)
    IssuedDocument.objects.filter(pk=document.pk).update(reprints=F("reprints") + 1)
    if order is not None:
        record_event(order=order, by=by, kind="document_reprinted",
                     note=f"{document.get_kind_display()} {document.filename}")
    return pdf


def documents_verify(*, queryset=None):
    """Each stored document whose bytes no longer hash to its SHA-256 (or cannot be read): (document, reason)."""
    bad = []
    for doc in (queryset if queryset is not None else IssuedDocument.objects.order_by("id")).iterator():
        try:
            data = stored_bytes(doc)
        except (FileNotFoundError, OSError) as exc:
            bad.append((doc, f"missing: {exc}"))
            continue
        digest = sha256_of(data)
        if digest != doc.sha256:
            bad.append((doc, f"sha256 {digest} != {doc.sha256}"))
    return bad


def merged(pdfs: list[bytes]) -> bytes:
    """Several documents as one PDF (the order's statements, one per payer, printed together)."""
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(PdfReader(io.BytesIO(pdf)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
