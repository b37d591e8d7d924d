"""The parts catalogue: prices per payer, supersession, min/max and bins, CSV import (all or nothing)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import Payer
from core.numbers import MAX_PRICE, MAX_QUANTITY, NumberError, parse_decimal
from parts.models import Part, PricePolicy, StockBalance, Warehouse
from parts.services.stock import event_record, locked_balance, warehouse_main

CENT = Decimal("0.01")


def sale_price(*, part: Part, payer: str) -> Decimal:
    """The price for this payer: OEM list price (or cost) plus the station's markup for the payer.

    Without a policy for the payer the OEM list price applies.
    """
    policy = PricePolicy.objects.filter(station_id=part.station_id, payer=payer).first()
    if policy is None:
        return part.list_price
    base = part.list_price if policy.basis == PricePolicy.Basis.LIST else part.cost
    return (base * (1 + policy.markup_pct / 100)).quantize(CENT, rounding=ROUND_HALF_UP)


MARKUP_MIN, MARKUP_MAX = Decimal("-50"), Decimal("300")


@transaction.atomic
def price_policy_set(*, station, payer: str, basis: str, markup_pct: Decimal, by) -> PricePolicy:
    """The station's price for one payer: the OEM list price or the cost, plus a markup in per cent.

    A markup below zero is a discount on the list price (a fleet account, say); on cost it would sell below cost.
    """
    if payer not in Payer.values:
        raise DomainError(_("Unknown payer."), field="payer")
    if basis not in PricePolicy.Basis.values:
        raise DomainError(_("Choose the list price or the cost as the basis."), field="basis")
    markup_pct = Decimal(markup_pct)
    if not MARKUP_MIN <= markup_pct <= MARKUP_MAX:
        raise DomainError(_("The markup must be between %(low)s%% and %(high)s%%.")
                          % {"low": MARKUP_MIN, "high": MARKUP_MAX}, field="markup_pct")
    if basis == PricePolicy.Basis.COST and markup_pct < 0:
        raise DomainError(_("On cost the markup cannot be negative: the parts would be sold below cost."),
                          field="markup_pct")
    policy = PricePolicy.objects.select_for_update().filter(station=station, payer=payer).first()
    before = f"{PricePolicy.Basis(policy.basis).label} {policy.markup_pct:+}%" if policy else "—"
    if policy is None:
        policy = PricePolicy(station=station, payer=payer)
    elif (policy.basis, policy.markup_pct) == (basis, markup_pct):
        return policy  # nothing changed, nothing to record
    policy.basis, policy.markup_pct = basis, markup_pct
    policy.save()
    event_record(station_id=station.pk, kind="price_policy", by=by, reference=payer,
                 note=f"{before} → {PricePolicy.Basis(basis).label} {markup_pct:+}%")
    return policy


@transaction.atomic
def part_supersede(*, old: Part, new: Part, by) -> Part:
    """Old number → new number. Searching and ordering the old number lead to the new one."""
    if old.pk == new.pk or old.station_id != new.station_id:
        raise DomainError(_("A part can only be superseded by another part of the same station."), field="superseded_by")
    cursor, seen = new, {old.pk}
    while cursor is not None:
        if cursor.pk in seen:
            raise DomainError(_("This supersession would make a loop."), field="superseded_by")
        seen.add(cursor.pk)
        cursor = cursor.superseded_by
    old.superseded_by = new
    old.save(update_fields=["superseded_by", "updated_at"])
    event_record(station_id=old.station_id, kind="supersession", by=by, part=old, note=f"→ {new.part_number}")
    return old


@transaction.atomic
def part_set_location(*, part: Part, warehouse: Warehouse, by, bin_location: str, min_qty: Decimal,
                      max_qty: Decimal) -> None:
    if min_qty < 0 or max_qty < 0:
        raise DomainError(_("Minimum and maximum cannot be negative."), field="min_qty")
    if max_qty and max_qty < min_qty:
        raise DomainError(_("The maximum must not be below the minimum."), field="max_qty")
    balance = locked_balance(warehouse=warehouse, part=part)
    balance.bin_location, balance.min_qty, balance.max_qty = bin_location.strip().upper(), min_qty, max_qty
    balance.save(update_fields=["bin_location", "min_qty", "max_qty"])
    event_record(station_id=warehouse.station_id, kind="location", by=by, part=part,
                 note=f"{balance.bin_location} {min_qty}/{max_qty}")


# --- CSV import ------------------------------------------------------------------------------------------------
CSV_COLUMNS = ["part_number", "brand", "name_zh", "name_en", "genuine", "unit", "list_price", "bin", "min", "max",
               "superseded_by"]
REQUIRED = {"part_number", "name_zh", "list_price"}
TRUE = {"1", "y", "yes", "true", "是", "原厂"}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row number as in the file, message)

    @property
    def ok(self) -> bool:
        return not self.errors


def _decimal(value: str, *, row: int, name: str, errors: list, limit: Decimal = MAX_QUANTITY) -> Decimal | None:
    """The cell as a number: NaN, Infinity and values above ``limit`` are a row error (PostgreSQL would refuse
    them)."""
    value = (value or "").strip().replace(",", "")
    if not value:
        return Decimal("0")
    try:
        number = parse_decimal(value, name=name, max_value=limit)
    except NumberError as exc:
        errors.append((row, str(exc)))
        return None
    if number < 0:
        errors.append((row, _("%(column)s cannot be negative.") % {"column": name}))
        return None
    return number


def parts_import_csv(*, station, text: str, by) -> ImportResult:
    """Create or update parts from CSV text (header row with CSV_COLUMNS names, in any order).

    All or nothing: every row is checked first; if any row has an error nothing is saved and the errors are
    returned with their row numbers.
    """
    result = ImportResult()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = {h.strip() for h in (reader.fieldnames or [])}
    missing = REQUIRED - header
    if missing:
        result.errors.append((1, _("Missing columns: %(columns)s") % {"columns": ", ".join(sorted(missing))}))
        return result
    rows: list[dict] = []
    seen: dict[tuple[str, str], int] = {}
    for number, raw in enumerate(reader, start=2):
        raw = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        errors = result.errors
        before = len(errors)
        part_number = raw.get("part_number", "").upper()
        brand = (raw.get("brand") or "TOYOTA").upper()
        if not part_number:
            errors.append((number, _("The part number is missing.")))
        elif len(part_number) > 40:
            errors.append((number, _("The part number is too long.")))
        if not raw.get("name_zh"):
            errors.append((number, _("The Chinese name is missing.")))
        key = (brand, part_number)
        if part_number and key in seen:
            errors.append((number, _("Part number %(number)s repeats row %(row)s.") % {"number": part_number,
                                                                                     "row": seen[key]}))
        seen[key] = number
        price = _decimal(raw.get("list_price", ""), row=number, name="list_price", errors=errors, limit=MAX_PRICE)
        min_qty = _decimal(raw.get("min", ""), row=number, name="min", errors=errors)
        max_qty = _decimal(raw.get("max", ""), row=number, name="max", errors=errors)
        if min_qty is not None and max_qty is not None and max_qty and max_qty < min_qty:
            errors.append((number, _("The maximum must not be below the minimum.")))
        if len(errors) == before:
            rows.append({
                "row": number, "part_number": part_number, "brand": brand, "name_zh": raw["name_zh"][:120],
                "name_en": raw.get("name_en", "")[:120], "is_genuine": (raw.get("genuine") or "1").lower() in TRUE,
                "unit": (raw.get("unit") or "个")[:10], "list_price": price, "bin": raw.get("bin", "").upper()[:20],
                "min": min_qty, "max": max_qty, "superseded_by": raw.get("superseded_by", "").upper(),
            })
    # Successors must exist in the catalogue or in the file.
    in_file = {(r["brand"], r["part_number"]) for r in rows}
    for r in rows:
        succ = r["superseded_by"]
        if succ and (r["brand"], succ) not in in_file and not Part.objects.filter(
            station=station, brand=r["brand"], part_number=succ
        ).exists():
            result.errors.append((r["row"], _("Superseding part %(number)s is unknown.") % {"number": succ}))
    if result.errors:
        result.errors.sort()
        return result
    try:
        with transaction.atomic():
            _import_rows(station=station, rows=rows, by=by, result=result)
            event_record(station_id=station.pk, kind="import", by=by,
                         note=f"{result.created} created, {result.updated} updated")
    except DomainError as exc:
        result.created = result.updated = 0
        result.errors.append((0, exc.message))
    return result


def _import_rows(*, station, rows: list[dict], by, result: ImportResult) -> None:
    warehouse = warehouse_main(station=station)
    parts: dict[tuple[str, str], Part] = {}
    for r in rows:
        part, created = Part.objects.update_or_create(
            station=station, brand=r["brand"], part_number=r["part_number"],
            defaults={"name_zh": r["name_zh"], "name_en": r["name_en"], "is_genuine": r["is_genuine"],
                      "unit": r["unit"], "list_price": r["list_price"]},
        )
        parts[(r["brand"], r["part_number"])] = part
        result.created += created
        result.updated += not created
        if created or r["bin"] or r["min"] or r["max"]:  # every catalogue part has a row in the main warehouse
            current = StockBalance.objects.filter(warehouse=warehouse, part=part).first()
            # Columns left empty on an update keep what the part had.
            part_set_location(
                part=part, warehouse=warehouse, by=by,
                bin_location=r["bin"] or (current.bin_location if current else ""),
                min_qty=r["min"] if r["min"] or current is None else current.min_qty,
                max_qty=r["max"] if r["max"] or current is None else current.max_qty,
            )
    for r in rows:
        if r["superseded_by"]:
            new = parts.get((r["brand"], r["superseded_by"])) or Part.objects.get(
                station=station, brand=r["brand"], part_number=r["superseded_by"]
            )
            part_supersede(old=parts[(r["brand"], r["part_number"])], new=new, by=by)
