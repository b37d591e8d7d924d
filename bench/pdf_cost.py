"""Where the work-order PDF's time goes: the same rendered HTML through WeasyPrint with one part taken away at a time,
in CPU milliseconds of this process (steadier than the wall clock on a shared machine), variants interleaved.

    .venv/bin/python bench/pdf_cost.py [--lines 14] [--runs 8]   # data of bench/pdf_render.py (same database)

What each variant removes or changes is in VARIANTS; "text floor" is the work order's own texts as one paragraph
(what bench/pdf_render.py calls the floor). A variant that does not move the figure beyond the run-to-run spread
is not worth a change to the template.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time

import _common
import pdf_render

_common.configure("aftersales_bench_settlement")

VARIANTS = {  # name: (extra CSS appended to print.css, HTML rewrite)
    "work order as printed": ("", None),
    "no line rows (tbody hidden)": ("table.lines tbody { display: none; }", None),
    "no letterhead, facts, totals, signatures": (
        ".factbox, .sum, .letterhead, .sign-blocks { display: none; }", None),
    "no borders or backgrounds": ("* { border: none !important; background: none !important; }", None),
    "no page footer (margin boxes)": ("@page { @bottom-left { content: none; } @bottom-right { content: none; } }",
                                      None),
    "1 cell fewer per line (payer)": ("", lambda h: re.sub(r'<td>[^<]{1,12}</td>(?=<td class="num">)', "", h)),
    "no spans in the line cells (number, code)": ("", lambda h: re.sub(r'<span class="(n|code)">([^<]*)</span>',
                                                                       r"\2 ", h)),
    "no whitespace between tags": ("", lambda h: re.sub(r">\s+<", "><", h)),
    "no cell classes (.num, .code, .muted)": ("", lambda h: re.sub(r' class="(num|code|muted)"', "", h)),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=14)
    parser.add_argument("--runs", type=int, default=8)
    args = parser.parse_args()
    pdf_render.setup()
    from django.conf import settings
    from django.template.loader import render_to_string
    from django.utils import timezone, translation
    from weasyprint import CSS

    from core import documents
    from settlement import pdf

    order = pdf_render.make_order(args.lines)
    with translation.override("zh-hans"):
        html = render_to_string("settlement/pdf/work_order.html", {
            **pdf.work_order_context(order, "zh-hans"), "station": order.station, "lang": "zh-hans",
            "printed_at": timezone.localtime(), "station_name": order.station.name,
            "station_address": order.station.address})
    font_config, _sheet, document_class = documents._weasy()
    print_css = (documents.DOCUMENTS_DIR / "print.css").read_text(encoding="utf-8")
    calls = {}
    for name, (css, rewrite) in VARIANTS.items():
        sheet = CSS(string=documents.font_face_css() + print_css + css, font_config=font_config)
        source = rewrite(html) if rewrite else html
        calls[name] = (lambda source=source, sheet=sheet: document_class(
            string=source, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=[sheet], font_config=font_config))
    calls["text floor (one paragraph)"] = pdf_render.floor(html, font_config)[1]
    times: dict[str, list[float]] = {name: [] for name in calls}
    for call in calls.values():
        call()
    for _ in range(args.runs):
        for name, call in calls.items():
            start = time.process_time()
            call()
            times[name].append((time.process_time() - start) * 1000)
    full = statistics.median(times["work order as printed"])
    print(f"{args.lines}-line work order, CPU ms, {args.runs} interleaved runs, load average {os.getloadavg()[0]:.1f}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:48} median {median:6.1f}  best {min(values):6.1f}  ({median - full:+6.1f})")


if __name__ == "__main__":
    main()
