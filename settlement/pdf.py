"""Settlement's printed documents: the context builders of the work order, pre-inspection, pick list, statements,
delivery note, warranty claim form and receipt. ``core.documents`` renders them (fonts, stylesheets, A4 PDF).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ObjectDoesNotExist

from core.files import data_uri
from core.money import amount_in_capitals, to_cents
from parts.selectors import bin_locations, order_part_receivers
from reception.models import Payer, WorkOrder, WorkOrderLine
from reception.services.pricing import amount_of, order_totals
from settlement.models import Delivery
from settlement.services.invoices import prices_include_vat
from settlement.services.payments import statement_balance
from settlement.services.reconcile import deductible_note, issued_quantities, reconcile

PDF_DIR = Path(__file__).resolve().parent / "templates" / "settlement" / "pdf"


# --- document contexts ------------------------------------------------------------------------------------------


def _name(row_or_line, language: str) -> str:
    if isinstance(row_or_line, dict):
        return (row_or_line.get("name_en") if language == "en" and row_or_line.get("name_en")
                else row_or_line.get("description", ""))
    line = row_or_line
    if language == "en":
        if line.labour_operation_id and line.labour_operation.name_en:
            return line.labour_operation.name_en
        if line.part_id and line.part.name_en:
            return line.part.name_en
    return line.description


def _row(line: WorkOrderLine, language: str) -> dict:
    code = ""
    if line.labour_operation_id:
        code = line.labour_operation.code
    elif line.part_id:
        code = line.part.part_number
    labour = line.kind == WorkOrderLine.Kind.LABOUR
    return {
        "kind": line.kind, "kind_label": line.get_kind_display(), "code": code, "name": _name(line, language),
        "quantity": line.hours if labour else line.quantity, "unit_price": line.unit_price,
        "discount_pct": line.discount_pct, "amount": amount_of(line), "payer": line.payer,
        "payer_label": line.get_payer_display(), "approval": line.approval,
        "approval_label": line.get_approval_display(), "is_additional": line.is_additional,
    }


KIND_ORDER = (WorkOrderLine.Kind.LABOUR, WorkOrderLine.Kind.PART, WorkOrderLine.Kind.SUBLET)


def line_table(rows: list[dict], *, payer: bool = True) -> dict:
    """Rows grouped labour / parts / sublet under one heading row each (as the desk's 委托书 lists 工时 and 配件
    apart), numbered through; the discount column only when a row has a discount."""
    groups = []
    for kind in KIND_ORDER:
        members = [row for row in rows if row["kind"] == kind]
        if members:
            groups.append({"label": WorkOrderLine.Kind(kind).label, "rows": members})
    number = 0
    for group in groups:
        for row in group["rows"]:
            number += 1
            row["n"] = number
    discount = any(row.get("discount_pct") for row in rows)
    return {"groups": groups, "payer": payer, "discount": discount, "columns": 3 + payer + discount,
            "empty": not rows}


def signed_version(order: WorkOrder):
    """The estimate version the customer signed (on the pad or as a scan), if one was."""
    return order.estimate_versions.filter(approved_at__isnull=False,
                                          approval_channel__in=["signature", "scan"]).order_by("number").first()


def work_order_context(order: WorkOrder, language: str) -> dict:
    lines = list(order.lines.select_related("labour_operation", "part").order_by("position", "id"))
    signed = signed_version(order)
    signed_ids = {row.get("id") for row in (signed.lines if signed else [])}
    if signed:
        base = [line for line in lines if line.pk in signed_ids and not line.is_additional]
        extra = [line for line in lines if line not in base]
    else:
        base = [line for line in lines if not line.is_additional]
        extra = [line for line in lines if line.is_additional]
    counted = [line for line in lines if line.approval == WorkOrderLine.Approval.APPROVED]
    return {
        "order": order, "customer": order.customer, "vehicle": order.vehicle,
        "concerns": list(order.concerns.all()),
        "base_table": line_table([_row(line, language) for line in base
                                  if line.approval != WorkOrderLine.Approval.DECLINED]),
        "extra_table": line_table([_row(line, language) for line in extra]),
        "declined_table": line_table([_row(line, language) for line in base
                                      if line.approval == WorkOrderLine.Approval.DECLINED], payer=False),
        "totals": order_totals(counted, vat_rate=order.station.vat_rate),
        "payer_labels": dict(Payer.choices),
        "signed": signed,
        "signature_uri": data_uri(getattr(signed, "signature", None)) if signed else "",
    }


def pre_inspection_context(order: WorkOrder, language: str) -> dict:
    try:
        inspection = order.pre_inspection
    except ObjectDoesNotExist:
        inspection = None
    items, marks = [], []
    if inspection is not None:
        items = list(inspection.items.all())
        marks = [{"x": m.x_pct, "y": m.y_pct, "note": m.note, "n": i + 1}
                 for i, m in enumerate(inspection.damage_marks.all())]
    return {"order": order, "customer": order.customer, "vehicle": order.vehicle, "inspection": inspection,
            "items": items, "marks": marks, "concerns": list(order.concerns.all())}


def pick_list_context(order: WorkOrder, language: str) -> dict:
    """The part lines with their bin (where to pick them), and who receives them (领料人: the technicians who asked
    the counter for them; empty, the line is left to sign)."""
    issued = issued_quantities(order=order)
    lines = list(order.lines.filter(kind=WorkOrderLine.Kind.PART).exclude(
        approval=WorkOrderLine.Approval.DECLINED).select_related("part").order_by("position", "id"))
    bins = bin_locations(station_id=order.station_id, part_ids={line.part_id for line in lines if line.part_id})
    rows = []
    for line in lines:
        row = _row(line, language)
        row["unit"] = line.part.unit if line.part_id else ""
        row["issued"] = issued.get(line.pk, Decimal("0"))
        row["bin"] = bins.get(line.part_id, "")
        rows.append(row)
    return {"order": order, "customer": order.customer, "vehicle": order.vehicle, "rows": rows,
            "receivers": order_part_receivers(order=order)}


def statements_context(order: WorkOrder, language: str, statements=None) -> dict:
    """Settled: the frozen statements. Not yet settled: a provisional one per payer, marked as such."""
    pages = []
    if statements is None:
        statements = list(order.statements.select_related("original").order_by("issued_at", "id"))
    insurance = order.insurance_claim if hasattr(order, "insurance_claim") else None
    if statements:
        for st in statements:
            note = st.adjustment_note
            if st.adjustment and insurance is not None and st.kind == st.Kind.STATEMENT:
                note = deductible_note(insurance)  # in the language of this printout
            pages.append({
                "statement": st, "provisional": False, "payer": st.payer, "payer_label": st.get_payer_display(),
                "table": line_table([{**r, "name": _name(r, language),
                                      "quantity": Decimal(r["hours"]) if r["kind"] == "labour" else Decimal(r["quantity"]),
                                      "unit_price": Decimal(r["unit_price"]), "discount_pct": Decimal(r["discount_pct"]),
                                      "amount": Decimal(r["amount"])} for r in st.lines], payer=False),
                "labour": st.labour, "parts": st.parts, "sublet": st.sublet, "discount": st.discount,
                "net": st.net, "vat": st.vat, "gross": st.gross, "vat_rate": st.vat_rate,
                "adjustment": st.adjustment, "adjustment_note": note, "due": st.due,
                "payments": list(st.payments.all()), "balance": statement_balance(st),
            })
    else:
        result = reconcile(order=order)
        lines = [*result.labour, *(p.line for p in result.parts), *result.sublet]
        for payer, totals, adjustment, due in result.payers:
            pages.append({
                "statement": None, "provisional": True, "payer": payer, "payer_label": dict(Payer.choices)[payer],
                "table": line_table([_row(line, language) for line in lines if line.payer == payer], payer=False),
                "labour": totals.labour, "parts": totals.parts, "sublet": totals.sublet,
                "discount": totals.discount, "net": totals.net, "vat": totals.vat, "gross": totals.gross,
                "vat_rate": order.station.vat_rate, "adjustment": adjustment,
                "adjustment_note": result.adjustment_note if adjustment else "", "due": due,
                "payments": [], "balance": due,
            })
    with_vat = prices_include_vat(order.station)
    for page in pages:
        page["due_words"] = amount_in_capitals(page["due"]) if language == "zh-hans" else ""
        page["prices_incl_vat"] = with_vat
        if with_vat:  # consumer prices in China are quoted with VAT: the lines show it, the totals stay as they are
            factor = 1 + Decimal(page["vat_rate"])
            for group in page["table"]["groups"]:
                for row in group["rows"]:
                    row["unit_price"] = to_cents(Decimal(row["unit_price"]) * factor)
                    row["amount"] = to_cents(Decimal(row["amount"]) * factor)
    return {"order": order, "customer": order.customer, "vehicle": order.vehicle, "pages": pages}


def delivery_context(order: WorkOrder, language: str) -> dict:
    delivery = Delivery.objects.filter(order=order).first()
    lines = order.lines.filter(approval=WorkOrderLine.Approval.APPROVED).select_related("labour_operation", "part")
    return {"order": order, "customer": order.customer, "vehicle": order.vehicle, "delivery": delivery,
            "table": line_table([_row(line, language) for line in lines.order_by("position", "id")]),
            "statements": list(order.statements.order_by("id")),
            # the customer's signature taken at hand-over (交车签字), read through the storage API
            "signature_uri": data_uri(delivery.signature) if delivery is not None and delivery.signature else ""}


def claim_context(claim, language: str) -> dict:
    order = claim.order
    photos = [{"uri": data_uri(p.image), "caption": p.caption} for p in claim.photos.all()]
    return {"order": order, "customer": order.customer, "vehicle": order.vehicle, "claim": claim,
            "lines": list(claim.lines.all()), "photos": [p for p in photos if p["uri"]]}


def receipt_context(payment, language: str) -> dict:
    statement = payment.statement
    order = statement.order
    return {"order": order, "customer": order.customer, "vehicle": order.vehicle, "payment": payment,
            "statement": statement, "amount_words": amount_in_capitals(payment.amount) if language == "zh-hans" else ""}
