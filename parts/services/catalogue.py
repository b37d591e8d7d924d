"""The parts catalogue: prices per payer, supersession, min/max and bins, CSV import (all or nothing)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.imports import Column, Importer, Row, RowError, batched, bulk_update, errors_by_row, import_now
from core.money import Payer
from core.numbers import MAX_PRICE, MAX_QUANTITY
from org import permissions as perm
from parts.models import Part, PartsEvent, PricePolicy, StockBalance, Warehouse
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


# --- CSV/xlsx import (core.imports; runs on the reports queue) ---------------------------------------------------
COLUMNS = (
    Column("part_number", gettext_lazy("part number"), "零件号", ("配件编号", "配件号", "零件编号", "零件编码", "配件代码", "part no"),
           required=True),
    Column("brand", gettext_lazy("brand"), "品牌", ("厂牌",)),
    Column("name_zh", gettext_lazy("Chinese name"), "中文名称", ("配件名称", "零件名称", "名称"), required=True),
    Column("name_en", gettext_lazy("English name"), "英文名称", ("english name",)),
    Column("genuine", gettext_lazy("genuine part"), "原厂件", ("是否原厂", "原厂", "is_genuine")),
    Column("unit", gettext_lazy("unit"), "单位", ("计量单位",)),
    Column("list_price", gettext_lazy("list price"), "零售价", ("销售价", "建议零售价", "单价", "price"), required=True),
    Column("bin", gettext_lazy("bin"), "货位", ("库位", "仓位", "bin_location")),
    Column("min", gettext_lazy("minimum"), "最低库存", ("最小库存", "安全库存", "min_qty")),
    Column("max", gettext_lazy("maximum"), "最高库存", ("最大库存", "max_qty")),
    Column("superseded_by", gettext_lazy("superseded by"), "替代零件号", ("新零件号", "替换为")),
)
BATCH = 1000


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row number as in the file, message)

    @property
    def ok(self) -> bool:
        return not self.errors


def _prepare(station) -> dict:
    """What the check needs from the catalogue: which (brand, number) exist already (for successors)."""
    return {"station": station, "existing": set(Part.objects.filter(station=station).values_list("brand", "part_number")),
            "seen": {}}


def _clean(row: Row, context: dict) -> dict | None:
    part_number = row.text("part_number", max_length=40, required=True, upper=True)
    brand = row.text("brand", max_length=40, upper=True, default="TOYOTA")
    name_zh = row.text("name_zh", max_length=120, required=True)
    key = (brand, part_number)
    if part_number and key in context["seen"]:
        row.error("part_number", _("Part number %(number)s repeats row %(row)s.")
                  % {"number": part_number, "row": context["seen"][key]})
    elif part_number:
        context["seen"][key] = row.number
    price = row.decimal("list_price", limit=MAX_PRICE, required=True)
    min_qty = row.decimal("min", limit=MAX_QUANTITY)
    max_qty = row.decimal("max", limit=MAX_QUANTITY)
    if min_qty is not None and max_qty is not None and max_qty and max_qty < min_qty:
        row.error("max", _("The maximum must not be below the minimum."))
    values = {
        "part_number": part_number, "brand": brand, "name_zh": name_zh,
        "name_en": row.text("name_en", max_length=120), "genuine": row.boolean("genuine", default=True),
        "unit": row.text("unit", max_length=10, default="个"), "list_price": price,
        "bin": row.text("bin", max_length=20, upper=True), "min": min_qty, "max": max_qty,
        "superseded_by": row.text("superseded_by", max_length=40, upper=True),
        # an empty cell keeps what the part has on an update
        "has_min": bool(row["min"]), "has_max": bool(row["max"]),
    }
    if values["superseded_by"] == part_number and part_number:
        row.error("superseded_by", _("A part cannot supersede itself."))
    return values


def _finish(rows: list[tuple[int, dict]], context: dict, report) -> None:
    """Successors must exist in the catalogue or in the file."""
    known = context["existing"] | set(context["seen"])
    for number, r in rows:
        if r["superseded_by"] and (r["brand"], r["superseded_by"]) not in known:
            report(number, "superseded_by", _("Superseding part %(number)s is unknown.") % {"number": r["superseded_by"]})


def _apply(*, station, by, rows: list[tuple[int, dict]], context: dict, progress) -> dict:
    """Create or update every part, its main-warehouse balance (bin, min/max) and its successor, with bulk
    operations in batches (a 20,000-part catalogue in seconds, not one service call per row). Audit: one
    ``location`` and ``supersession`` event per changed part and one ``import`` event for the file."""
    warehouse = warehouse_main(station=station)
    now = timezone.now()
    parts = {(p.brand, p.part_number): p for p in Part.objects.filter(station=station)}
    balances = {b.part_id: b for b in StockBalance.objects.filter(warehouse=warehouse)}
    created = updated = 0
    events: list[PartsEvent] = []
    part_fields = ["name_zh", "name_en", "is_genuine", "unit", "list_price", "is_active", "updated_at"]
    for batch in batched(rows, BATCH):
        new_parts, changed = [], []
        for _number, r in batch:
            part = parts.get((r["brand"], r["part_number"]))
            if part is None:
                part = Part(station=station, brand=r["brand"], part_number=r["part_number"])
                parts[(r["brand"], r["part_number"])] = part
                new_parts.append(part)
            else:
                changed.append(part)
            part.name_zh, part.name_en, part.is_genuine = r["name_zh"], r["name_en"], r["genuine"]
            part.unit, part.list_price, part.is_active, part.updated_at = r["unit"], r["list_price"], True, now
        Part.objects.bulk_create(new_parts, batch_size=BATCH)
        bulk_update(changed, part_fields, batch_size=BATCH)
        created, updated = created + len(new_parts), updated + len(changed)
        new_balances, changed_balances = [], []
        for number, r in batch:
            part = parts[(r["brand"], r["part_number"])]
            balance = balances.get(part.pk)
            if balance is None:  # every catalogue part has a row in the main warehouse
                balance = StockBalance(warehouse=warehouse, part=part, station_id=station.pk)
                balances[part.pk] = balance
                new_balances.append(balance)
            elif not (r["bin"] or r["has_min"] or r["has_max"]):
                continue
            else:
                changed_balances.append(balance)
            balance.bin_location = r["bin"] or balance.bin_location
            balance.min_qty = r["min"] if r["has_min"] else balance.min_qty
            balance.max_qty = r["max"] if r["has_max"] else balance.max_qty
            if balance.max_qty and balance.max_qty < balance.min_qty:
                raise RowError(_("The maximum must not be below the minimum."), row=number, column="max")
            if r["bin"] or r["has_min"] or r["has_max"]:
                events.append(PartsEvent(station_id=station.pk, kind="location", by=by, part=part, at=now,
                                         note=f"{balance.bin_location} {balance.min_qty}/{balance.max_qty}"[:200]))
        StockBalance.objects.bulk_create(new_balances, batch_size=BATCH)
        bulk_update(changed_balances, ["bin_location", "min_qty", "max_qty"], batch_size=BATCH)
        progress.add(len(batch))
    # Successors, once every part of the file exists; a chain that loops is refused (nothing is imported).
    successors = dict(Part.objects.filter(station=station, superseded_by__isnull=False)
                      .values_list("pk", "superseded_by_id"))
    superseded = []
    for number, r in rows:
        if not r["superseded_by"]:
            continue
        old, new = parts[(r["brand"], r["part_number"])], parts[(r["brand"], r["superseded_by"])]
        if old.superseded_by_id == new.pk:
            continue
        old.superseded_by, old.updated_at = new, now
        successors[old.pk] = new.pk
        superseded.append((number, old, new))
    for number, old, _new in superseded:
        cursor, seen = old.pk, set()
        while cursor is not None:
            if cursor in seen:
                raise RowError(_("This supersession would make a loop."), row=number, column="superseded_by")
            seen.add(cursor)
            cursor = successors.get(cursor)
    bulk_update([old for _n, old, _new in superseded], ["superseded_by", "updated_at"], batch_size=BATCH)
    events += [PartsEvent(station_id=station.pk, kind="supersession", by=by, part=old, at=now,
                          note=f"→ {new.part_number}") for _n, old, new in superseded]
    events.append(PartsEvent(station_id=station.pk, kind="import", by=by, at=now,
                             note=f"{created} created, {updated} updated"))
    PartsEvent.objects.bulk_create(events, batch_size=BATCH)
    return {"created": created, "updated": updated, "details": [
        (_("parts created"), created), (_("parts updated"), updated), (_("parts superseded"), len(superseded)),
    ]}


def parts_importer() -> Importer:
    return Importer(
        kind="parts", label=gettext_lazy("parts catalogue"), app="parts", action=perm.PARTS_MANAGE, columns=COLUMNS,
        clean=_clean, apply=_apply, prepare=_prepare, finish=_finish, upload_url="parts:part_import",
        back_url="parts:stock_list",
        description=gettext_lazy("New part numbers are added, known ones updated (name, price; bin and min/max when the cell "
                          "is filled). Brand defaults to TOYOTA, unit to 个."),
    )


def parts_import_csv(*, station, text: str, by) -> ImportResult:
    """Create or update parts from CSV text in this process, all or nothing (demo data, tests). Pages go through
    an import job on the workers instead (core.imports)."""
    counts, errors = import_now(kind="parts", station=station, by=by, data=text)
    result = ImportResult(created=counts.get("created", 0), updated=counts.get("updated", 0))
    result.errors = errors_by_row(errors)
    return result
