"""Documents kept as issued: the first print stores the PDF with its SHA-256; a download serves those bytes; a later
print is the stored pages with the 补打 stamp, so a customer renamed since still reads as issued; the verify command
catches a file changed in the storage."""

from __future__ import annotations

import hashlib
import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from reception.models import WorkOrderEvent
from settlement.models import IssuedDocument
from settlement.services.payments import payment_record
from settlement.services.settle import order_settle

pytestmark = pytest.mark.django_db


@pytest.fixture
def memory_storage(settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _stored(doc: IssuedDocument) -> bytes:
    with doc.file.open("rb") as handle:
        return handle.read()


def test_a_statement_reprinted_after_a_rename_shows_the_name_as_issued(memory_storage, client_as, cashier,
                                                                        ready_order):
    ready_order.customer.name = "王建国"
    ready_order.customer.save()
    statement = order_settle(order=ready_order, by=cashier)[0]
    url = reverse("settlement:statement_pdf", kwargs={"pk": ready_order.pk, "statement_pk": statement.pk})
    client = client_as(cashier)
    first = client.get(url + "?lang=zh-hans").content
    doc = IssuedDocument.objects.get(kind="statement", object_id=statement.pk)
    assert doc.sha256 == hashlib.sha256(first).hexdigest() == hashlib.sha256(_stored(doc)).hexdigest()
    text = _text(first)
    assert "王建国" in text and "补打" not in text
    assert "壹仟贰佰贰拾柒元壹角捌分" in text  # 1,227.18 in capitals

    ready_order.customer.name = "王建军"  # renamed after the statement was issued
    ready_order.customer.save()
    reprint = client.get(url + "?lang=zh-hans").content
    reprinted = _text(reprint)
    assert "王建国" in reprinted and "王建军" not in reprinted
    assert "补打" in reprinted and (cashier.get_full_name() or cashier.get_username()) in reprinted
    doc.refresh_from_db()
    assert doc.reprints == 1 and doc.sha256 == hashlib.sha256(first).hexdigest()
    assert hashlib.sha256(_stored(doc)).hexdigest() == doc.sha256  # the stored file itself never changes
    assert WorkOrderEvent.objects.filter(order=ready_order, kind="document_reprinted").count() == 1
    # a download is the stored file, byte for byte
    assert client.get(url + "?lang=zh-hans&download=1").content == first
    assert IssuedDocument.objects.count() == 1


def test_the_whole_settlement_printout_is_made_of_the_issued_statements(memory_storage, client_as, cashier,
                                                                         ready_order):
    order_settle(order=ready_order, by=cashier)
    client = client_as(cashier)
    url = reverse("settlement:settlement_pdf", kwargs={"pk": ready_order.pk})
    first = client.get(url).content
    assert IssuedDocument.objects.filter(kind="statement").count() == 1
    ready_order.customer.name = "改过的名字"
    ready_order.customer.save()
    again = _text(client.get(url).content)
    assert "改过的名字" not in again and "补打" in again and _text(first).split("\n")[0] in again


def test_a_reprinted_receipt_keeps_its_a5_page(memory_storage, client_as, cashier, ready_order):
    statement = order_settle(order=ready_order, by=cashier)[0]
    payment = payment_record(statement=statement, by=cashier, method="cash", amount=statement.due,
                             tendered=Decimal("1300"))
    url = reverse("settlement:receipt_pdf", kwargs={"pk": payment.pk})
    client_as(cashier).get(url)
    reprint = PdfReader(io.BytesIO(client_as(cashier).get(url).content))
    assert len(reprint.pages) == 1
    assert (round(float(reprint.pages[0].mediabox.width)), round(float(reprint.pages[0].mediabox.height))) == (595, 420)
    assert "补打" in reprint.pages[0].extract_text()


def test_the_verify_command_catches_a_tampered_file(memory_storage, client_as, cashier, ready_order):
    statement = order_settle(order=ready_order, by=cashier)[0]
    client_as(cashier).get(reverse("settlement:statement_pdf", kwargs={"pk": ready_order.pk,
                                                                       "statement_pk": statement.pk}))
    out = io.StringIO()
    call_command("verify_issued_documents", stdout=out)
    assert "1 issued documents verified" in out.getvalue()
    doc = IssuedDocument.objects.get()
    storage = doc.file.storage
    data = _stored(doc).replace(b"%PDF-", b"%PDF-", 1) + b"\n% changed afterwards\n"
    storage.delete(doc.file.name)
    storage.save(doc.file.name, ContentFile(data))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 of 1 issued documents"):
        call_command("verify_issued_documents", stdout=io.StringIO(), stderr=err)
    assert statement.number in err.getvalue()


def test_a_signed_work_order_is_kept_as_issued_once_settled(memory_storage, client_as, alice, cashier, ready_order):
    from django.utils import timezone

    from reception.models import EstimateVersion

    url = reverse("settlement:work_order_pdf", kwargs={"pk": ready_order.pk})
    client_as(alice).get(url)  # not signed, not settled: a fresh print each time, nothing kept
    EstimateVersion.objects.create(order=ready_order, number=1, lines=[{"id": line.pk} for line in
                                                                         ready_order.lines.all()],
                                   created_by=alice, approval_channel="signature", approved_by=alice,
                                   approved_at=timezone.now())
    client_as(alice).get(url)
    assert not IssuedDocument.objects.exists()
    order_settle(order=ready_order, by=cashier)
    first = client_as(alice).get(url).content
    ready_order.customer.name = "后来改的名字"
    ready_order.customer.save()
    again = client_as(alice).get(url).content
    doc = IssuedDocument.objects.get(kind="work_order", object_id=ready_order.pk)
    assert doc.sha256 == hashlib.sha256(first).hexdigest()
    assert "后来改的名字" not in _text(again) and "补打" in _text(again) and "补打" not in _text(first)


def test_with_documents_kept_at_the_issue_a_rename_before_the_first_print_does_not_reach_it(
        memory_storage, settings, client_as, cashier, ready_order, django_capture_on_commit_callbacks):
    settings.ISSUED_DOCUMENTS_ON_ISSUE = True
    ready_order.customer.name = "王建国"
    ready_order.customer.save()
    with django_capture_on_commit_callbacks(execute=True):
        statement = order_settle(order=ready_order, by=cashier)[0]
    doc = IssuedDocument.objects.get(kind="statement", object_id=statement.pk)  # stored by the task, not a print
    assert doc.first_printed_at is None and doc.issued_by_id == cashier.pk
    with django_capture_on_commit_callbacks(execute=True):
        payment = payment_record(statement=statement, by=cashier, method="cash", amount=Decimal("100.00"))
    assert IssuedDocument.objects.filter(kind="receipt", object_id=payment.pk).exists()

    ready_order.customer.name = "王建军"  # renamed after the issue, before anyone printed
    ready_order.customer.save()
    client = client_as(cashier)
    url = reverse("settlement:statement_pdf", kwargs={"pk": ready_order.pk, "statement_pk": statement.pk})
    first = client.get(url).content
    text = _text(first)
    assert "王建国" in text and "王建军" not in text and "补打" not in text  # the original, as issued
    assert hashlib.sha256(first).hexdigest() == doc.sha256
    doc.refresh_from_db()
    assert doc.first_printed_at is not None and doc.reprints == 0
    assert "补打" in _text(client.get(url).content)  # every later print is a reprint
    assert IssuedDocument.objects.filter(kind="statement").count() == 1


def test_without_the_setting_nothing_is_rendered_at_the_issue(memory_storage, settings, cashier, ready_order,
                                                               django_capture_on_commit_callbacks):
    settings.ISSUED_DOCUMENTS_ON_ISSUE = False
    with django_capture_on_commit_callbacks(execute=True):
        order_settle(order=ready_order, by=cashier)
    assert not IssuedDocument.objects.exists()
