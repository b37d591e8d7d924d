"""The claim exchange with the carmaker (索赔数据交换): submitted claims go out in a batch file laid out as the
carmaker's profile says (CSV or XML), and the carmaker's decision file comes back through core.imports
(kind ``claim_decisions``) and is applied to the claims by the ordinary claim transitions — approved, partly
approved (with the amount) or rejected (with the reason). What the carmaker did not accept then waits on the claim
for the existing re-billing path (``claims.claim_bill_rejected_to_customer``, with the customer's consent).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.exports import csv_bytes
from core.imports import Column, Importer, Row, RowError
from core.money import to_cents
from core.numbering import next_number
from org import permissions as perm
from org.models import Staff
from settlement.models import CLAIM_EXPORT_FIELDS, ClaimBatch, OemProfile, WarrantyClaim
from settlement.services.claims import claim_transition

S = WarrantyClaim.Status
BATCH_PREFIX = "SP"
DEFAULT_COLUMNS = [[key, key] for key in ("dealer_code", "claim_number", "vin", "mileage", "repair_date",
                                          "symptom_code", "cause_code", "claimed_labour", "claimed_parts",
                                          "claimed_amount")]


# --- profiles ---------------------------------------------------------------------------------------------------
def parse_columns(text: str) -> list[list[str]]:
    """``field=header`` per line (a line with a field alone uses the field's name as header)."""
    columns = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        field, _sep, header = line.partition("=")
        field, header = field.strip(), (header.strip() or field.strip())
        if field not in CLAIM_EXPORT_FIELDS:
            raise DomainError(_("Line %(n)d: unknown field %(field)s (known: %(known)s).") % {
                "n": number, "field": field, "known": ", ".join(CLAIM_EXPORT_FIELDS)}, field="columns")
        columns.append([field, header])
    if not columns:
        raise DomainError(_("List at least one column."), field="columns")
    return columns


@transaction.atomic
def oem_profile_save(*, station, by: Staff, name: str, dealer_code: str, file_format: str, columns: str,
                     profile: OemProfile | None = None) -> OemProfile:
    name, dealer_code = name.strip(), dealer_code.strip()
    if not name:
        raise DomainError(_("Name the carmaker."), field="name")
    if file_format not in OemProfile.Format.values:
        raise DomainError(_("Choose CSV or XML."), field="file_format")
    if OemProfile.objects.filter(station=station, name=name).exclude(pk=getattr(profile, "pk", None)).exists():
        raise DomainError(_("There is already a profile of this carmaker."), field="name")
    profile = profile or OemProfile(station=station)
    profile.name, profile.dealer_code, profile.file_format = name, dealer_code, file_format
    profile.columns = parse_columns(columns)
    profile.save()
    return profile


# --- export -----------------------------------------------------------------------------------------------------
def _value(claim: WarrantyClaim, field: str, profile: OemProfile) -> str:
    order = claim.order
    values = {
        "dealer_code": profile.dealer_code, "claim_number": claim.number, "order_number": order.number,
        "vin": order.vehicle.vin, "model": order.vehicle.model, "mileage": order.mileage_in or "",
        "repair_date": timezone.localtime(order.opened_at).date().isoformat(),
        "symptom_code": claim.symptom_code, "cause_code": claim.cause_code,
        "fault_description": claim.fault_description, "repair_description": claim.repair_description,
        "claimed_labour": claim.claimed_labour, "claimed_parts": claim.claimed_parts,
        "claimed_amount": claim.claimed_amount,
    }
    return str(values[field])


def batch_file(batch: ClaimBatch) -> tuple[bytes, str, str]:
    """The batch's file in its profile's layout: (content, file name, content type)."""
    profile = batch.profile
    claims = list(batch.claims.select_related("order__vehicle").order_by("number"))
    columns = profile.columns or DEFAULT_COLUMNS
    if profile.file_format == OemProfile.Format.XML:
        root = ET.Element(profile.xml_root, {"dealer": profile.dealer_code, "batch": batch.number})
        for claim in claims:
            item = ET.SubElement(root, profile.xml_item)
            for field, header in columns:
                ET.SubElement(item, header).text = _value(claim, field, profile)
        data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
        return data, f"{batch.number}.xml", "application/xml"
    data = csv_bytes([h for _f, h in columns], ([_value(c, f, profile) for f, _h in columns] for c in claims))
    return data, f"{batch.number}.csv", "text/csv"


def claims_to_send(station) -> list[WarrantyClaim]:
    """Submitted claims not yet in a batch."""
    return list(WarrantyClaim.objects.filter(station=station, status=S.SUBMITTED, batches__isnull=True)
                .order_by("number"))


@transaction.atomic
def claim_batch_create(*, station, profile: OemProfile, by: Staff) -> ClaimBatch:
    """One batch of every submitted claim not sent yet."""
    if not perm.has_action(by, perm.WARRANTY_MANAGE):
        raise DomainError(_("Your position may not make this change."))
    claims = claims_to_send(station)
    if not claims:
        raise DomainError(_("No submitted claim is waiting to be sent."))
    batch = ClaimBatch.objects.create(station=station, profile=profile, created_by=by,
                                      number=next_number(station=station, kind="claim_batch", prefix=BATCH_PREFIX))
    batch.claims.set(claims)
    return batch


# --- the carmaker's decision file ---------------------------------------------------------------------------------
DECISIONS = {"approved": S.APPROVED, "通过": S.APPROVED, "批准": S.APPROVED, "全额通过": S.APPROVED,
             "partly_approved": S.PARTLY_APPROVED, "partly approved": S.PARTLY_APPROVED, "部分通过": S.PARTLY_APPROVED,
             "部分批准": S.PARTLY_APPROVED, "rejected": S.REJECTED, "拒绝": S.REJECTED, "驳回": S.REJECTED}
LIMIT = Decimal("10000000")

DECISION_COLUMNS = (
    Column("claim_number", gettext_lazy("claim number"), "索赔单号", ("索赔编号", "claim"), required=True),
    Column("decision", gettext_lazy("decision"), "审核结果", ("结果", "状态", "status"), required=True),
    Column("approved_amount", gettext_lazy("approved amount"), "批准金额", ("核准金额", "amount")),
    Column("reason", gettext_lazy("reason"), "原因", ("拒绝原因", "审核意见", "备注")),
    Column("reference", gettext_lazy("manufacturer reference"), "厂家单号", ("厂家编号", "reference")),
)


def _prepare(station) -> dict:
    return {"claims": {c.number: c for c in WarrantyClaim.objects.filter(station=station).only(
        "pk", "number", "status", "claimed_amount")}, "seen": {}}


def _clean(row: Row, context: dict) -> dict | None:
    number = row.text("claim_number", max_length=24, required=True, upper=True)
    claim = context["claims"].get(number)
    values = {"claim_number": number, "reason": row.text("reason", max_length=1000),
              "reference": row.text("reference", max_length=40)}
    if number and claim is None:
        row.error("claim_number", _("No claim %(number)s at this station.") % {"number": number})
    elif claim is not None and claim.status != S.SUBMITTED:
        row.error("claim_number", _("Claim %(number)s is not waiting for a decision (%(status)s).") % {
            "number": number, "status": claim.get_status_display()})
    if number in context["seen"]:
        row.error("claim_number", _("Claim %(number)s repeats row %(row)s.") % {
            "number": number, "row": context["seen"][number]})
    context["seen"].setdefault(number, row.number)
    decision = DECISIONS.get(row["decision"].strip().lower())
    if decision is None:
        row.error("decision", _("Write 通过 (approved), 部分通过 (partly approved) or 拒绝 (rejected)."))
    values["decision"] = decision
    amount = row.decimal("approved_amount", limit=LIMIT, default=None)
    values["approved_amount"] = to_cents(amount) if amount is not None else None
    if decision == S.PARTLY_APPROVED and claim is not None and not (
            amount is not None and 0 < amount < claim.claimed_amount):
        row.error("approved_amount", _("A partly approved amount is more than zero and less than the claimed "
                                       "%(claimed)s.") % {"claimed": claim.claimed_amount})
    if decision == S.APPROVED and claim is not None and amount is not None and amount != claim.claimed_amount:
        row.error("approved_amount", _("Approved in full is the claimed %(claimed)s; write 部分通过 for less.")
                  % {"claimed": claim.claimed_amount})
    if decision in (S.PARTLY_APPROVED, S.REJECTED) and not values["reason"]:
        row.error("reason", _("Please give the manufacturer's reason."))
    return values


def _apply(*, station, by, rows: list[tuple[int, dict]], context: dict, progress) -> dict:
    claims = {c.number: c for c in WarrantyClaim.objects.select_for_update().filter(
        station=station, number__in=[r["claim_number"] for _n, r in rows])}
    counts = dict.fromkeys(S.values, 0)
    to_rebill = 0
    for number, r in rows:
        claim = claims[r["claim_number"]]
        try:
            claim = claim_transition(claim=claim, to=r["decision"], by=by, note=r["reason"],
                                     amount=r["approved_amount"], reference=r["reference"])
        except DomainError as exc:
            raise RowError(exc.message, row=number, column=exc.field) from exc
        counts[r["decision"]] += 1
        to_rebill += claim.rejected_amount > 0
        progress.add(1)
    return {"created": 0, "updated": len(rows),
            "details": [(_("approved"), counts[S.APPROVED]), (_("partly approved"), counts[S.PARTLY_APPROVED]),
                        (_("rejected"), counts[S.REJECTED]),
                        (_("claims with an amount not accepted (bill it to the customer from the claim, with their consent)"),
                         to_rebill)]}


def decisions_importer() -> Importer:
    return Importer(
        kind="claim_decisions", label=gettext_lazy("carmaker's claim decisions"), app="settlement",
        action=perm.WARRANTY_MANAGE, columns=DECISION_COLUMNS, clean=_clean, apply=_apply, prepare=_prepare,
        upload_url="settlement:claim_decision_import", back_url="settlement:claim_exchange",
        description=gettext_lazy("The carmaker's answer to submitted claims: one row per claim with the decision "
                                 "(通过, 部分通过 or 拒绝), the approved amount for a partial approval, the reason and "
                                 "the carmaker's reference. What was not accepted can then be billed to the customer "
                                 "from the claim, with their consent."),
    )
