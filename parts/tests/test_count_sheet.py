"""The printable stocktake count sheet (盘点表): lines by bin, an empty box to count into, never the book quantity."""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from core.documents import DOCUMENTS_DIR
from parts.models import StockBalance, Stocktake
from parts.services.stocktake import stocktake_count, stocktake_create

TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "parts" / "pdf" / "count_sheet.html"
# Book quantities no date, time, phone or part number on the sheet contains.
BOOK = {"B-02-1": "7373", "A-01-1": "6464", "A-10-2": "9191", "": "8282"}


def text_of(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def fonts_of(path: Path) -> list[str]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split()[0] for line in out.splitlines()[2:] if line.strip()]


def get_pdf(client, url: str, tmp_path: Path, name: str = "sheet") -> Path:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(response.content)
    return path


@pytest.fixture
def take(stocked, clerk, warehouse) -> Stocktake:
    """A blind count over four parts created out of bin order; one of them has no bin."""
    for n, (bin_location, qty) in enumerate(BOOK.items()):
        part = stocked(qty=qty, part_number=f"04152-BIN{n}", name_zh=f"滤清器{n}", name_en=f"Filter {n}")
        StockBalance.objects.filter(part=part).update(bin_location=bin_location)
    return stocktake_create(warehouse=warehouse, by=clerk)


def _url(take, query: str = "") -> str:
    return reverse("parts:stocktake_sheet_pdf", kwargs={"pk": take.pk}) + query


def test_the_count_sheet_lists_the_parts_in_bin_order_without_a_bin_last(client_as, clerk, take, tmp_path):
    text = text_of(get_pdf(client_as(clerk), _url(take), tmp_path))
    # bins A-01-1, A-10-2, B-02-1, then the part without a bin
    order = [text.index(number) for number in ("04152-BIN1", "04152-BIN2", "04152-BIN0", "04152-BIN3")]
    assert order == sorted(order)
    assert "A-01-1" in text and "B-02-1" in text


def test_the_count_sheet_never_shows_the_book_quantity(client_as, clerk, take, tmp_path):
    line = take.lines.get(part__part_number="04152-BIN1")
    stocktake_count(stocktake=take, counts={line.pk: Decimal("4242")}, by=clerk)  # nor a count already entered
    text = text_of(get_pdf(client_as(clerk), _url(take), tmp_path))
    assert "04152-BIN1" in text
    for quantity in [*BOOK.values(), "4242"]:
        assert quantity not in text


def test_the_count_sheet_has_the_letterhead_and_the_signature_boxes_in_chinese(client_as, clerk, take, tmp_path):
    path = get_pdf(client_as(clerk), _url(take), tmp_path)
    text = text_of(path)
    assert "盘点表" in text and take.number in text
    assert "测试站A" in text and "021-12345678" in text
    assert "实盘数量" in text and "盘点人" in text and "复核人" in text
    assert "滤清器1" in text and "全部货位" in text
    # Chinese set in the bundled subset only, never a font fontconfig picked
    assert all(re.fullmatch(r"[A-Z]{6}\+NotoSansSC(-Bold)?", f) for f in fonts_of(path)), fonts_of(path)


def test_the_count_sheet_in_english_uses_the_english_names(client_as, clerk, take, tmp_path):
    text = text_of(get_pdf(client_as(clerk), _url(take, "?lang=en"), tmp_path))
    assert "Stocktake count sheet" in text and "Counted by" in text and "Checked by" in text
    assert "Filter 1" in text and "盘点表" not in text


def test_the_count_sheet_downloads_on_request(client_as, clerk, take):
    response = client_as(clerk).get(_url(take, "?download=1"))
    assert response["Content-Disposition"] == f'attachment; filename="{take.number}-count-sheet.pdf"'


def test_someone_who_does_not_count_stock_may_not_print_it(client_as, alice, take):
    assert client_as(alice).get(_url(take)).status_code == 403


def test_another_stations_count_sheet_is_not_found(client_as, other_station, make_staff, take):
    foreign_clerk = make_staff("parts_clerk", station=other_station, username="otto")
    assert client_as(foreign_clerk).get(_url(take)).status_code == 404


def test_the_stocktake_page_has_the_print_button_for_those_who_count(client_as, clerk, alice, take):
    url = reverse("parts:stocktake_detail", kwargs={"pk": take.pk})
    assert _url(take) in client_as(clerk).get(url).content.decode()
    assert _url(take) not in client_as(alice).get(url).content.decode()


def test_the_template_uses_only_elements_of_the_pdf_user_agent_stylesheet():
    ua = (DOCUMENTS_DIR / "user_agent.css").read_text(encoding="utf-8")
    known = set(re.findall(r"(?:^|[\s,{}])([a-z][a-z0-9]*)(?=[\s,{:])", re.sub(r"/\*.*?\*/", "", ua, flags=re.S)))
    used = set(re.findall(r"<([a-z][a-z0-9]*)", TEMPLATE.read_text(encoding="utf-8")))
    assert used - {"span"} <= known, sorted(used - known)
