"""core.documents renders a template to an A4 PDF set only in the bundled NotoSansSC, in the language asked."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from django.test import RequestFactory, override_settings

from core import documents

TEMPLATES_HERE = Path(__file__).resolve().parent / "templates"


def _fonts(path: Path) -> list[str]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split()[0] for line in out.splitlines()[2:] if line.strip()]


def _text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _dirs_with_test_templates(settings_templates):
    return [{**settings_templates[0], "DIRS": [*settings_templates[0]["DIRS"], TEMPLATES_HERE]}]


def test_a_document_renders_in_the_bundled_font_only(settings, tmp_path):
    with override_settings(TEMPLATES=_dirs_with_test_templates(settings.TEMPLATES)):
        pdf = documents.render_pdf(template="core_test/receipt.html", context={"amount": "壹仟零伍元伍角"},
                                   language="zh-hans")
    assert pdf.startswith(b"%PDF-")
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    assert "壹仟零伍元伍角" in _text(path) and "收据" in _text(path)
    fonts = _fonts(path)
    assert fonts and all(re.fullmatch(r"[A-Z]{6}\+NotoSansSC(-Bold)?", f) for f in fonts), fonts


def test_the_font_face_points_at_the_bundled_files():
    css = documents.font_face_css()
    assert css.count("@font-face") == 2
    for weight in ("Regular", "Bold"):
        assert (documents.FONT_DIR / f"NotoSansSC-{weight}.woff2").exists()
        assert f"NotoSansSC-{weight}.woff2" in css


# Rare characters of Chinese names (all in GB 18030, all in the BMP) and the minus sign: none was in the GB 2312
# subset we shipped before, or printed in our font.
RARE_NAMES = ("喆堃赟珺玥祎旻垚璟昇彧琤翀淼犇羴鑫燚芃昉頔龑䶮禤赑沄湉祐璠瑀琇浛玙珣昊晗婧瑾璐翊煜晟暄骁瀚祺睿邗亓"
              "珏琰璇赜喾昕焱堇炜玮琛晔琬瑭甯骞昀")
MINUS = "\u2212"


def test_rare_name_characters_and_the_minus_sign_are_in_both_shipped_weights():
    from fontTools.ttLib import TTFont

    assert len(set(RARE_NAMES)) >= 40
    for weight in ("Regular", "Bold"):
        cmap = TTFont(str(documents.FONT_DIR / f"NotoSansSC-{weight}.woff2"))["cmap"].getBestCmap()
        missing = [c for c in RARE_NAMES + MINUS if ord(c) not in cmap]
        assert not missing, (weight, missing)
        # GB 18030 level: every hanzi of the Unified Ideographs block (to U+9FA5) and of Extension A
        hanzi = [*range(0x4E00, 0x9FA6), *range(0x3400, 0x4DB6)]
        assert [hex(c) for c in hanzi if c not in cmap] == []


def test_a_pdf_of_rare_names_uses_no_font_but_ours(settings, tmp_path):
    with override_settings(TEMPLATES=_dirs_with_test_templates(settings.TEMPLATES)):
        pdf = documents.render_pdf(template="core_test/names.html", language="zh-hans",
                                   context={"names": " ".join(RARE_NAMES), "bold": RARE_NAMES[:20], "minus": MINUS})
    path = tmp_path / "names.pdf"
    path.write_bytes(pdf)
    fonts = _fonts(path)
    assert fonts and all(re.fullmatch(r"[A-Z]{6}\+NotoSansSC(-Bold)?", f) for f in fonts), fonts
    text = _text(path)
    assert [c for c in RARE_NAMES + MINUS if c not in text] == []  # every character came out as itself


def test_the_language_is_chosen_at_print_time_else_the_customers_else_chinese():
    rf = RequestFactory()

    class Customer:
        preferred_language = "en"

    assert documents.document_language(rf.get("/", {"lang": "EN"})) == "en"
    assert documents.document_language(rf.get("/", {"lang": "fr"}), Customer()) == "en"
    assert documents.document_language(rf.get("/")) == "zh-hans"


def test_inline_unless_downloaded():
    rf = RequestFactory()
    inline = documents.pdf_response(rf.get("/"), pdf=b"%PDF-1.7", filename="a.pdf")
    assert inline["Content-Disposition"] == 'inline; filename="a.pdf"'
    assert inline["Cache-Control"] == "private, no-store"
    download = documents.pdf_response(rf.get("/", {"download": "1"}), pdf=b"%PDF-1.7", filename="a.pdf")
    assert download["Content-Disposition"].startswith("attachment")
