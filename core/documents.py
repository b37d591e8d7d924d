"""Printed documents: one renderer (template → A4 PDF bytes), its fonts and stylesheets, and the HTTP response.

Chinese is set in the bundled NotoSansSC (static/fonts: the whole Simplified Chinese face of Noto Sans CJK as WOFF2,
GB 18030 coverage, built by tools/build_font.py), loaded by @font-face from its absolute file path. Every PDF style names only that family, so fontconfig never substitutes a Japanese or
Traditional face, and the output is the same on every machine.

The skeleton every document extends (``documents/base.html``, the letterhead, ``print.css``) and the small
user-agent stylesheet live in ``core/templates/documents``; each app keeps its own document templates and the
context builders that fill them (settlement's work order, statement, receipt…; parts' stocktake count sheet).
"""

from __future__ import annotations

import atexit
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
FONT_FAMILY = "NotoSansSC"
FONT_FORMAT = "woff2"  # the whole SC face, brotli-compressed (fonttools + brotli read it)
LANGUAGES = ("zh-hans", "en")
DOCUMENTS_DIR = Path(__file__).resolve().parent / "templates" / "documents"


def font_face_css() -> str:
    regular = (FONT_DIR / f"{FONT_FAMILY}-Regular.{FONT_FORMAT}").as_uri()
    bold = (FONT_DIR / f"{FONT_FAMILY}-Bold.{FONT_FORMAT}").as_uri()
    return (
        f"@font-face {{ font-family: '{FONT_FAMILY}'; src: url('{regular}') format('{FONT_FORMAT}'); font-weight: 400; "
        f"font-style: normal; }}\n"
        f"@font-face {{ font-family: '{FONT_FAMILY}'; src: url('{bold}') format('{FONT_FORMAT}'); font-weight: 700; "
        f"font-style: normal; }}\n"
    )


@lru_cache(maxsize=1)
def _weasy():
    """Font configuration, the shared stylesheet and the document class, built once per process."""
    from weasyprint import CSS, HTML  # noqa: PLC0415 - heavy import (a third-party library), only when a PDF is made
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415

    font_config = FontConfiguration()
    stylesheet = CSS(string=font_face_css() + (DOCUMENTS_DIR / "print.css").read_text(encoding="utf-8"),
                     font_config=font_config)
    user_agent = CSS(string=(DOCUMENTS_DIR / "user_agent.css").read_text(encoding="utf-8"))

    class Document(HTML):
        """Our templates use a handful of elements: a user-agent stylesheet of just those (user_agent.css) instead
        of WeasyPrint's full HTML one saves matching ~250 rules against every element (a tenth of a render)."""

        def _ua_stylesheets(self, forms=False):
            return [user_agent]

    return font_config, stylesheet, Document


# Drop the cached font configuration before interpreter shutdown: its __del__ needs modules that are gone by then.
atexit.register(_weasy.cache_clear)


def document_language(request, customer=None) -> str:
    """?lang=zh-hans|en chosen at print time, else the customer's preferred language, else Chinese."""
    chosen = (request.GET.get("lang") or "").lower() if request is not None else ""
    if chosen in LANGUAGES:
        return chosen
    preferred = getattr(customer, "preferred_language", "") or ""
    return preferred if preferred in LANGUAGES else LANGUAGES[0]


def render_pdf(*, template: str, context: dict, language: str, station=None) -> bytes:
    """Render a document template to A4 PDF bytes in the given language, with the station's letterhead."""
    font_config, stylesheet, document_class = _weasy()
    with translation.override(language):
        html = render_to_string(
            template,
            {**context, "station": station, "lang": language, "printed_at": timezone.localtime(),
             "station_name": station.display_name(language) if station else "",
             "station_address": (station.address_en if language == "en" and station and station.address_en
                                 else getattr(station, "address", ""))},
        )
    document = document_class(string=html, base_url=str(settings.BASE_DIR))
    return document.write_pdf(stylesheets=[stylesheet], font_config=font_config)


def pdf_response(request, *, pdf: bytes, filename: str) -> HttpResponse:
    """Inline by default (the print preview embeds it); ?download=1 saves it."""
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "attachment" if request.GET.get("download") == "1" else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
