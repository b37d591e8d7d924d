"""The work-order PDF of two versions of the print templates, interleaved in one process: before and after a layout
change, measured in the same conditions (on a shared machine two separate runs are not comparable).

    .venv/bin/python bench/pdf_ab.py --before 05af845 [--runs 10]   # data of bench/pdf_render.py (same database)

The "before" templates and print.css are read from the given commit with ``git show`` and rendered through a Django
template engine that looks in them first; "after" is the working tree. For each side and each size (14 and 40 lines):
WeasyPrint's render of that side's HTML (CPU ms of this process and wall ms, median of the interleaved runs), and the
side's text floor (every text node of its HTML as one paragraph in the bundled font, as bench/pdf_render.py does).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import _common
import pdf_render

_common.configure("aftersales_bench_settlement")

TEMPLATES = ["core/templates/documents/_letterhead.html", "core/templates/documents/_facts_cols.html",
             "core/templates/documents/base.html", "settlement/templates/settlement/pdf/_lines.html",
             "settlement/templates/settlement/pdf/_order_facts.html",
             "settlement/templates/settlement/pdf/_signatures.html",
             "settlement/templates/settlement/pdf/work_order.html"]
PRINT_CSS = "core/templates/documents/print.css"


def _show(commit: str, path: str, root: Path) -> str:
    return subprocess.run(["git", "show", f"{commit}:{path}"], cwd=root, check=True, capture_output=True,
                          text=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", required=True, help="the commit whose print templates are 'before'")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    pdf_render.setup()
    from django.conf import settings
    from django.template import engines
    from django.template.backends.django import DjangoTemplates
    from django.utils import timezone, translation
    from pypdf import PdfReader
    from weasyprint import CSS

    from core import documents
    from settlement import pdf

    root = Path(settings.BASE_DIR)
    old = Path(tempfile.mkdtemp(prefix="pdf_ab_"))
    for path in TEMPLATES:
        target = old / path.split("/templates/", 1)[1]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_show(args.before, path, root), encoding="utf-8")
    base = engines["django"]
    before_engine = DjangoTemplates({"NAME": "before", "DIRS": [str(old), *base.dirs], "APP_DIRS": True,
                                     "OPTIONS": {"builtins": base.engine.builtins, "libraries": {
                                         name: lib for name, lib in base.engine.libraries.items()}}})
    font_config, _sheet, document_class = documents._weasy()
    sheets = {"before": CSS(string=documents.font_face_css() + _show(args.before, PRINT_CSS, root),
                            font_config=font_config),
              "after": CSS(string=documents.font_face_css() + (root / PRINT_CSS).read_text(encoding="utf-8"),
                           font_config=font_config)}
    calls = {}
    for lines in (14, 40):
        order = pdf_render.make_order(lines)
        with translation.override("zh-hans"):
            context = {**pdf.work_order_context(order, "zh-hans"), "station": order.station, "lang": "zh-hans",
                       "printed_at": timezone.localtime(), "station_name": order.station.name,
                       "station_address": order.station.address}
            after_html = base.get_template("settlement/pdf/work_order.html").render(context)
            for key in ("base_table", "extra_table", "declined_table"):  # the old line table had 7 columns
                context[key] = {**context[key], "columns": 6 + context[key]["payer"] + context[key]["discount"]}
            before_html = before_engine.get_template("settlement/pdf/work_order.html").render(context)
        for side, html in (("before", before_html), ("after", after_html)):
            calls[f"{side}, {lines} lines"] = (lambda html=html, sheet=sheets[side]: document_class(
                string=html, base_url=str(root)).write_pdf(stylesheets=[sheet], font_config=font_config))
            calls[f"{side}, {lines} lines: text floor"] = pdf_render.floor(html, font_config)[1]
    cpu: dict[str, list[float]] = {name: [] for name in calls}
    wall: dict[str, list[float]] = {name: [] for name in calls}
    pages = {}
    for name, call in calls.items():
        call()
        pages[name] = len(PdfReader(io.BytesIO(call())).pages)
    load_before = os.getloadavg()[0]
    for _ in range(args.runs):
        for name, call in calls.items():
            started, wall_started = time.process_time(), time.perf_counter()
            call()
            cpu[name].append((time.process_time() - started) * 1000)
            wall[name].append((time.perf_counter() - wall_started) * 1000)
    print(f"{args.runs} interleaved runs; load average {load_before:.1f} → {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} CPUs; before = {args.before}")
    for name in calls:
        print(f"{name:32} CPU median {statistics.median(cpu[name]):6.1f} best {min(cpu[name]):6.1f}   wall median "
              f"{statistics.median(wall[name]):6.1f} ms   pages {pages[name]}")
    for side in ("before", "after"):
        c14, c40 = statistics.median(cpu[f"{side}, 14 lines"]), statistics.median(cpu[f"{side}, 40 lines"])
        floor = statistics.median(cpu[f"{side}, 14 lines: text floor"])
        print(f"{side}: 14 lines / its text floor {c14 / floor:.2f}× (goal ≤ 3×); 40 lines / 14 lines "
              f"{c40 / c14:.2f}× (goal ≤ 2×)  [CPU]")


if __name__ == "__main__":
    main()
