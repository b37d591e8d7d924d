"""Benchmark: the work-order PDF's render time against a minimal one-page WeasyPrint document, in one run.

    .venv/bin/python bench/pdf_render.py [--runs 15]   # DATABASE_URL defaults to .../aftersales_bench_settlement

Creates its own data (one station, customer, vehicle and a 14-line order with concerns) in the given database
(migrated first), then renders, after two warm-up renders each:
  * the minimal document: one A4 page, one paragraph of Chinese and Latin text, with the same bundled NotoSansSC
    @font-face stylesheet (so both sides pay for embedding the CJK font subset — the fixed cost of any PDF of ours);
  * the minimal document without any stylesheet (system default font), for reference;
  * the work order through settlement.pdf and core.documents (template, DB queries, translation, WeasyPrint);
  * a floor, to show how much of the ratio is the text itself: the work order's own text (every text node of its
    HTML) set as a single paragraph in the bundled font, with no table and no other style.
Prints the median and best times, the ratio work order / minimal (goal ≤ 1.5×) and the floor's ratio.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
from decimal import Decimal
from html import escape, unescape

import _common

_common.configure("aftersales_bench_settlement")


def make_order(lines: int = 14):
    """The bench's order of ``lines`` lines (8 labour + 6 parts at 14; the same mix at any count), built once through
    the apps' factories (the same ones the tests use)."""
    from org.factories import DealerGroupFactory, StaffFactory, StationFactory
    from org.models import Staff
    from parts.factories import PartFactory
    from reception.factories import (
        CustomerFactory,
        LabourOperationFactory,
        VehicleFactory,
        WorkOrderFactory,
        WorkOrderLineFactory,
    )
    from reception.models import WorkOrder

    group = DealerGroupFactory(code="bench", name="基准集团")
    station = StationFactory(code="bench-st", group=group, name="上海东方丰田浦东4S店", address="上海市浦东新区龙阳路1888号",
                             phone="021-5888 6666", tax_id="91310115MA1K3XXXXA")
    number = "WOBE2026000001" if lines == 14 else f"WOBE2026{lines:06d}"
    order = WorkOrder.objects.filter(station=station, number=number).first()
    if order is not None:
        return order
    advisor = Staff.objects.filter(username="bench-advisor").first() or StaffFactory(
        username="bench-advisor", station=station, group=group, position="service_advisor", display_name="张伟")
    labour = round(lines * 8 / 14)
    tag = "" if lines == 14 else f"{lines}-"
    customer = CustomerFactory(station=station, mobile=f"138{lines:08d}", name="陈先生", email="",
                               address="上海市徐汇区漕溪北路88号")
    vehicle = VehicleFactory(station=station, owner=customer, vin=f"LVGBE40K8GG{lines:06d}", plate=f"沪A{lines:05d}", make="丰田",
                             model="凯美瑞 2.5L", year=2021, mileage=0)
    order = WorkOrderFactory(station=station, number=number, customer=customer, vehicle=vehicle,
                             advisor=advisor, status="in_progress", mileage_in=45210, fuel_level="50")
    order.concerns.create(text="冷车启动时发动机有异响，持续约30秒")
    order.concerns.create(text="空调制冷效果差，出风有异味")
    for i in range(labour):
        op = LabourOperationFactory(
            station=station, code=f"B{tag}{i:03d}", name_zh=f"保养项目{i}：检查并调整", name_en=f"Service item {i}",
            category="", standard_hours=Decimal("0.8"), rate_customer=Decimal("300"), rate_warranty=Decimal("180"),
            rate_insurance=Decimal("280"), rate_internal=Decimal("120"))
        WorkOrderLineFactory(order=order, labour=True, labour_operation=op, description=op.name_zh,
                             hours=Decimal("0.8"), unit_price=Decimal("300"), position=i,
                             payer="warranty" if i == 3 else "customer", is_additional=i == labour - 1)
    for i in range(lines - labour):
        part = PartFactory(station=station, part_number=f"90915-YZZ{tag}{i:03d}", name_zh=f"机油滤清器{i}",
                           name_en=f"Oil filter {i}", cost=Decimal("0"), list_price=Decimal("68.00"))
        WorkOrderLineFactory(order=order, spare=True, part=part, description=part.name_zh, quantity=Decimal("2"),
                             unit_price=Decimal("68.00"), position=labour + 2 + i)
    return order


def setup() -> None:
    """Create and migrate the bench database, set Django up, and silence WeasyPrint's per-step INFO lines (they would
    be timed too); the PDF benches share it."""
    _common.ensure_database()
    import django

    django.setup()
    import logging

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def floor(html: str, font_config):
    """The text floor of a document: every text node of its HTML set as one paragraph in the bundled font, no table,
    no other style. Returns (the number of texts, a function that renders it)."""
    from weasyprint import CSS, HTML

    from core import documents

    texts = [escape(unescape(t).strip()) for t in re.findall(r">([^<>]+)<", html.split("<body", 1)[1])]
    texts = [t for t in texts if t]
    paragraph = "<p>" + " ".join(texts) + "</p>"
    font_only = CSS(string=documents.font_face_css() + f"html {{ font-family: '{documents.FONT_FAMILY}'; }}",
                    font_config=font_config)
    return len(texts), lambda: HTML(string=paragraph).write_pdf(stylesheets=[font_only], font_config=font_config)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--save", metavar="DIR", help="also write the 14- and 40-line work orders as PDF files there")
    args = parser.parse_args()
    setup()
    from django.utils import translation
    from weasyprint import HTML

    from core import documents
    from settlement import pdf

    order = make_order()
    order40 = make_order(40)
    font_config, stylesheet, _document = documents._weasy()
    minimal_html = "<p>任务委托书 Work order — 上海东方丰田浦东4S店 ¥1,234.50</p>"

    def minimal_with_font():
        return HTML(string=minimal_html).write_pdf(stylesheets=[stylesheet], font_config=font_config)

    def minimal_plain():
        return HTML(string=minimal_html).write_pdf()

    def work_order(order=order):
        with translation.override("zh-hans"):
            context = pdf.work_order_context(order, "zh-hans")
            return documents.render_pdf(template="settlement/pdf/work_order.html", context=context, language="zh-hans",
                                  station=order.station)

    if args.save:
        os.makedirs(args.save, exist_ok=True)
        for name, o in (("work_order_14.pdf", order), ("work_order_40.pdf", order40)):
            with open(os.path.join(args.save, name), "wb") as fh:
                fh.write(work_order(o))

    with translation.override("zh-hans"):
        from django.template.loader import render_to_string

        html = render_to_string("settlement/pdf/work_order.html", {
            **pdf.work_order_context(order, "zh-hans"), "station": order.station, "lang": "zh-hans"})
    n_texts, text_floor = floor(html, font_config)
    results = {
        "minimal page, bundled font": _common.timed(minimal_with_font, args.runs, warmup=2),
        "minimal page, default font": _common.timed(minimal_plain, args.runs, warmup=2),
        "work order (14 lines)": _common.timed(work_order, args.runs, warmup=2),
        "work order (40 lines)": _common.timed(lambda: work_order(order40), args.runs, warmup=2),
        f"its {n_texts} texts, one paragraph": _common.timed(text_floor, args.runs, warmup=2),
    }
    for name, times in results.items():
        print(f"{name:30s} median {statistics.median(times):7.1f} ms   best {min(times):7.1f} ms")
    work, minimal = results["work order (14 lines)"], results["minimal page, bundled font"]
    print(f"ratio work order / minimal (bundled font): median {statistics.median(work) / statistics.median(minimal):.1f}×, "
          f"best {min(work) / min(minimal):.1f}×  (goal ≤ 1.5×)  runs={args.runs}  "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    floor_times = results[list(results)[4]]
    print(f"work order (14 lines) / floor: median {statistics.median(work) / statistics.median(floor_times):.1f}× "
          "(goal ≤ 3×); 40 lines / 14 lines: median "
          f"{statistics.median(results['work order (40 lines)']) / statistics.median(work):.2f}× (goal ≤ 2×)")
    print(f"floor: the work order's text alone as one paragraph / minimal: median "
          f"{statistics.median(floor_times) / statistics.median(minimal):.1f}× (no tables, no style: below this no layout of "
          "that text can go)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
