"""Printed documents: the expected text (pdftotext), Chinese set in the bundled NotoSansSC only (pdffonts), A4,
inline or download, in the customer's language or the one chosen at print time."""

from __future__ import annotations

import os
import re
import subprocess
from decimal import Decimal
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.urls import reverse

from reception.factories import labour_line, part_line
from settlement.models import Delivery
from settlement.services.claims import claim_create_from_order
from settlement.services.settle import order_settle

pytestmark = pytest.mark.django_db
SAVE_DIR = os.environ.get("SETTLEMENT_PDF_DIR")  # set to keep the PDFs and look at them


def _save(pdf: bytes, tmp_path: Path, name: str) -> Path:
    path = Path(SAVE_DIR or tmp_path) / f"{name}.pdf"
    path.write_bytes(pdf)
    return path


def text_of(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def fonts_of(path: Path) -> list[str]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split()[0] for line in out.splitlines()[2:] if line.strip()]


def get_pdf(client, url: str, tmp_path: Path, name: str) -> Path:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return _save(response.content, tmp_path, name)


def assert_bundled_font_only(path: Path) -> None:
    fonts = fonts_of(path)
    assert fonts, "no fonts in the PDF"
    # subset names look like ABCDEF+NotoSansSC / ABCDEF+NotoSansSC-Bold: nothing from fontconfig
    assert all(re.fullmatch(r"[A-Z]{6}\+NotoSansSC(-Bold)?", f) for f in fonts), fonts
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert all(" yes yes " in line for line in out.splitlines()[2:] if line.strip()), "fonts must be embedded subsets"


def test_work_order_pdf_is_chinese_for_a_chinese_customer_and_uses_only_the_bundled_font(
        client_as, alice, ready_order, tmp_path):
    url = reverse("settlement:work_order_pdf", kwargs={"pk": ready_order.pk})
    path = get_pdf(client_as(alice), url, tmp_path, "work-order-zh")
    text = text_of(path)
    assert "任务委托书" in text
    assert ready_order.number in text
    assert "测试站A" in text and "上海市浦东新区测试路1号" in text and "021-12345678" in text
    assert "更换机油及机滤" in text and "客户签字" in text
    assert_bundled_font_only(path)


def test_work_order_pdf_in_english_when_chosen_at_print_time(client_as, alice, ready_order, tmp_path):
    url = reverse("settlement:work_order_pdf", kwargs={"pk": ready_order.pk}) + "?lang=en"
    text = text_of(get_pdf(client_as(alice), url, tmp_path, "work-order-en"))
    assert "Work order" in text and "Customer's signature" in text
    assert "Oil and filter change" in text  # the catalogue's English name
    assert "任务委托书" not in text


def test_an_english_speaking_customer_gets_english_by_default(client_as, alice, ready_order, tmp_path):
    ready_order.customer.preferred_language = "en"
    ready_order.customer.save()
    url = reverse("settlement:work_order_pdf", kwargs={"pk": ready_order.pk})
    assert "Work order" in text_of(get_pdf(client_as(alice), url, tmp_path, "wo-en-default"))


def test_additional_work_is_printed_apart_from_the_agreed_work(client_as, alice, ready_order, tmp_path):
    labour_line(ready_order, hours="0.50", price="300.00", is_additional=True, description="更换雨刮片")
    text = text_of(get_pdf(client_as(alice), reverse("settlement:work_order_pdf", kwargs={"pk": ready_order.pk}),
                           tmp_path, "wo-additional"))
    agreed, _sep, additional = text.partition("增项")
    assert "更换雨刮片" in additional and "更换雨刮片" not in agreed


def test_pdf_is_inline_for_the_preview_and_an_attachment_for_download(client_as, alice, ready_order):
    client = client_as(alice)
    url = reverse("settlement:work_order_pdf", kwargs={"pk": ready_order.pk})
    inline = client.get(url)
    assert inline["Content-Disposition"].startswith("inline")
    assert inline["X-Frame-Options"] == "SAMEORIGIN"
    download = client.get(url + "?download=1")
    assert download["Content-Disposition"].startswith("attachment")
    assert f"{ready_order.number}-work-order.pdf" in download["Content-Disposition"]


def test_pdf_pages_are_a4(client_as, alice, ready_order, tmp_path):
    from pypdf import PdfReader

    path = get_pdf(client_as(alice), reverse("settlement:work_order_pdf", kwargs={"pk": ready_order.pk}),
                   tmp_path, "a4")
    box = PdfReader(str(path)).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)


def test_settlement_pdf_before_settlement_is_provisional(client_as, cashier, ready_order, tmp_path):
    text = text_of(get_pdf(client_as(cashier), reverse("settlement:settlement_pdf", kwargs={"pk": ready_order.pk}),
                           tmp_path, "settlement-provisional"))
    assert "结算单" in text and "暂定" in text


def test_settlement_pdf_prints_one_statement_per_payer_with_its_number_and_totals(
        client_as, cashier, ready_order, tmp_path, issued):
    warranty = part_line(ready_order, qty="1", price="420.00", payer="warranty", description="水泵总成")
    issued({warranty: 1})
    statements = order_settle(order=ready_order, by=cashier)
    path = get_pdf(client_as(cashier), reverse("settlement:settlement_pdf", kwargs={"pk": ready_order.pk}),
                   tmp_path, "settlement")
    text = text_of(path)
    for st in statements:
        assert st.number in text
    customer = next(s for s in statements if s.payer == "customer")
    assert f"{customer.due:,.2f}" in text
    assert "客户付费" in text and "索赔" in text and "水泵总成" in text
    assert_bundled_font_only(path)
    from pypdf import PdfReader

    assert len(PdfReader(str(path)).pages) == 2


def test_pre_inspection_sheet_prints_concerns_and_a_checklist(client_as, alice, ready_order, tmp_path):
    ready_order.concerns.create(text="发动机异响，冷车启动时明显")
    path = get_pdf(client_as(alice), reverse("settlement:pre_inspection_pdf", kwargs={"pk": ready_order.pk}),
                   tmp_path, "pre-inspection")
    text = text_of(path)
    assert "预检单" in text and "发动机异响" in text and "客户签字" in text
    assert_bundled_font_only(path)


def test_pick_list_delivery_note_and_claim_form_render(client_as, carol, ready_order, tmp_path, issued, clerk):
    warranty = labour_line(ready_order, hours="2.00", price="240.00", payer="warranty", description="更换水泵")
    order_settle(order=ready_order, by=carol)
    Delivery.objects.create(order=ready_order, work_explained=True, invoice_explained=True, old_parts="returned",
                            next_service_km=40000)
    client = client_as(carol)
    pick = text_of(get_pdf(client, reverse("settlement:pick_list_pdf", kwargs={"pk": ready_order.pk}), tmp_path,
                           "pick-list"))
    assert "领料单" in pick and "机油滤清器" in pick
    note = text_of(get_pdf(client, reverse("settlement:delivery_note_pdf", kwargs={"pk": ready_order.pk}),
                           tmp_path, "delivery-note"))
    assert "交车单" in note and "40000 km" in note
    claim = ready_order.warranty_claims.get()
    form = get_pdf(client, reverse("settlement:claim_pdf", kwargs={"pk": claim.pk}), tmp_path, "claim")
    assert claim.number in text_of(form) and "索赔申请" in text_of(form) and warranty.description in text_of(form)
    assert_bundled_font_only(form)
    assert claim_create_from_order  # the claim came from settlement's after-hook


def test_print_preview_embeds_the_pdf_with_a_print_button(client_as, alice, ready_order):
    response = client_as(alice).get(reverse("settlement:print_preview", kwargs={"pk": ready_order.pk,
                                                                              "doc": "work-order"}))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'src="/settlement/orders/{ready_order.pk}/work-order.pdf?lang=zh-hans"' in html
    assert 'id="print-button"' in html and "download=1" in html


def test_another_stations_order_is_not_printed(client_as, mallory, ready_order):
    assert client_as(mallory).get(reverse("settlement:work_order_pdf", kwargs={"pk": ready_order.pk})).status_code == 404


def test_amounts_print_as_money(client_as, cashier, ready_order, tmp_path):
    order_settle(order=ready_order, by=cashier)
    text = text_of(get_pdf(client_as(cashier), reverse("settlement:settlement_pdf", kwargs={"pk": ready_order.pk}),
                           tmp_path, "money"))
    # 1.5 h × 300 + 2 × 68 + 500 = 1086.00 net; VAT 141.18; gross 1227.18
    assert "¥1,086.00" in text and "¥141.18" in text and "¥1,227.18" in text
    assert Decimal("1227.18")


def test_the_signed_version_is_printed_with_later_lines_apart(client_as, alice, ready_order, tmp_path):
    from django.utils import timezone

    from reception.models import EstimateVersion

    rows = [{"id": line.pk} for line in ready_order.lines.all()]
    EstimateVersion.objects.create(order=ready_order, number=1, lines=rows, created_by=alice,
                                   approval_channel="signature", approved_by=alice, approved_at=timezone.now())
    labour_line(ready_order, hours="0.30", price="300.00", description="清洗节气门")  # after the signature
    text = text_of(get_pdf(client_as(alice), reverse("settlement:work_order_pdf", kwargs={"pk": ready_order.pk}),
                           tmp_path, "wo-signed"))
    agreed, _sep, additional = text.partition("增项")
    assert "客户签字版本 1" in agreed and "更换机油及机滤" in agreed
    assert "清洗节气门" in additional and "清洗节气门" not in agreed


def test_the_pre_inspection_sheet_prints_checklist_results_and_numbered_damage_marks(
        client_as, alice, ready_order, tmp_path):
    from reception.models import DamageMark, PreInspection, PreInspectionItem

    inspection = PreInspection.objects.create(order=ready_order, done_by=alice, mileage=32000, fuel_level="50")
    PreInspectionItem.objects.create(inspection=inspection, area="exterior", label="前保险杠", ok=False,
                                     note="右前角刮擦")
    DamageMark.objects.create(inspection=inspection, x_pct=D("20"), y_pct=D("40"), note="左前门凹陷")
    path = get_pdf(client_as(alice), reverse("settlement:pre_inspection_pdf", kwargs={"pk": ready_order.pk}),
                   tmp_path, "pre-inspection-marks")
    text = text_of(path)
    assert "前保险杠" in text and "右前角刮擦" in text and "左前门凹陷" in text
    assert_bundled_font_only(path)


def test_a_receipt_prints_the_payment_with_the_amount_in_words(client_as, cashier, ready_order, tmp_path):
    from settlement.services.payments import payment_record

    statement = order_settle(order=ready_order, by=cashier)[0]
    payment = payment_record(statement=statement, by=cashier, method="cash", amount=statement.due,
                             tendered=Decimal("1300"))
    path = get_pdf(client_as(cashier), reverse("settlement:receipt_pdf", kwargs={"pk": payment.pk}), tmp_path,
                   "receipt")
    text = text_of(path)
    assert "收据" in text and payment.receipt_number in text and "壹仟贰佰贰拾柒元壹角捌分" in text
    assert "¥72.82" in text
    assert_bundled_font_only(path)


def test_line_tables_group_labour_parts_and_sublet_and_number_through():
    from settlement.pdf import line_table

    rows = [{"kind": "part", "discount_pct": D("0")}, {"kind": "labour", "discount_pct": D("0")},
            {"kind": "sublet", "discount_pct": D("0")}, {"kind": "labour", "discount_pct": D("0")}]
    table = line_table(rows)
    assert [g["label"] for g in table["groups"]] == ["labour", "part", "sublet"]
    assert [[r["n"] for r in g["rows"]] for g in table["groups"]] == [[1, 2], [3], [4]]
    assert table["discount"] is False and table["columns"] == 4  # code·description, payer, qty × price, amount
    rows[0]["discount_pct"] = D("10")
    assert line_table(rows, payer=False)["discount"] is True and line_table(rows, payer=False)["columns"] == 4
    assert line_table([])["empty"] is True


def test_the_discount_column_is_printed_only_when_a_line_has_a_discount(client_as, alice, ready_order, tmp_path):
    url = reverse("settlement:work_order_pdf", kwargs={"pk": ready_order.pk})
    assert "折扣" not in text_of(get_pdf(client_as(alice), url, tmp_path, "wo-no-discount"))
    labour_line(ready_order, hours="1.00", price="300.00", discount_pct=D("10"), description="空调系统清洗")
    text = text_of(get_pdf(client_as(alice), url, tmp_path, "wo-discount"))
    assert "折扣" in text and "10%" in text


def test_a_fourteen_line_work_order_prints_on_one_page(client_as, alice, ready_order, tmp_path):
    from pypdf import PdfReader

    for i in range(6):
        labour_line(ready_order, hours="0.80", price="300.00", description=f"保养项目{i}：检查并调整")
        part_line(ready_order, qty="2", price="68.00")
    path = get_pdf(client_as(alice), reverse("settlement:work_order_pdf", kwargs={"pk": ready_order.pk}),
                   tmp_path, "wo-fourteen")
    assert ready_order.lines.count() == 15
    assert len(PdfReader(str(path)).pages) == 1
    assert "客户签字" in text_of(path)


def test_every_element_of_the_pdf_templates_has_a_user_agent_rule():
    """core/documents.py replaces WeasyPrint's HTML stylesheet with user_agent.css: an element without a rule there
    would print as an unstyled inline box."""
    from core.documents import DOCUMENTS_DIR
    from settlement.pdf import PDF_DIR

    ua = (DOCUMENTS_DIR / "user_agent.css").read_text(encoding="utf-8")
    selectors = set(re.findall(r"(?:^|[\s,{}])([a-z][a-z0-9]*)(?=[\s,{:])", re.sub(r"/\*.*?\*/", "", ua, flags=re.S)))
    used = set()
    for template in [*PDF_DIR.glob("*.html"), *DOCUMENTS_DIR.glob("*.html")]:
        used |= set(re.findall(r"<([a-z][a-z0-9]*)", template.read_text(encoding="utf-8")))
    svg_children = {"circle", "line", "rect", "path", "ellipse", "polyline", "polygon", "g", "text"}
    inline_by_default = {"span"}  # inline is CSS's initial display: no rule needed
    assert used - svg_children - inline_by_default <= selectors, sorted(used - svg_children - selectors)
