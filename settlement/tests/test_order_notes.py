"""Issue 13 (Low): the work order's notes are shown on the order page and printed on the work-order PDF."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse
from pypdf import PdfReader

NOTES = "客户自带机油，旧件带走"


def test_the_order_notes_are_on_the_order_page(client_as, alice, ready_order):
    ready_order.notes = NOTES
    ready_order.save(update_fields=["notes"])
    response = client_as(alice).get(reverse("reception:order_detail", args=[ready_order.pk]))
    assert response.status_code == 200
    assert NOTES in response.content.decode()


def test_the_order_notes_are_printed_on_the_work_order(client_as, alice, ready_order, tmp_path: Path):
    ready_order.notes = NOTES
    ready_order.save(update_fields=["notes"])
    response = client_as(alice).get(reverse("settlement:work_order_pdf", kwargs={"pk": ready_order.pk}))
    assert response.status_code == 200
    path = tmp_path / "wo.pdf"
    path.write_bytes(response.content)
    text = "".join(page.extract_text() for page in PdfReader(str(path)).pages).replace(" ", "").replace("\n", "")
    assert "备注" in text
    assert NOTES.replace("，", "") in text.replace("，", "")


def test_an_order_without_notes_prints_no_notes_heading(client_as, alice, ready_order, tmp_path: Path):
    response = client_as(alice).get(reverse("settlement:work_order_pdf", kwargs={"pk": ready_order.pk}))
    path = tmp_path / "wo.pdf"
    path.write_bytes(response.content)
    text = "".join(page.extract_text() for page in PdfReader(str(path)).pages)
    assert "备注" not in text
