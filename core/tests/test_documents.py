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
        assert (documents.FONT_DIR / f"NotoSansSC-{weight}.otf").exists()
        assert f"NotoSansSC-{weight}.otf" in css


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
