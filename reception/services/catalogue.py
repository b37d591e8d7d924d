"""The labour operation catalogue (工时目录): single edits and the all-or-nothing CSV/xlsx import (core.imports)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.imports import Column, Importer, Row, batched, bulk_update, errors_by_row, import_now
from core.numbers import MAX_HOURS, MAX_PRICE
from org import permissions as perm
from org.models import Staff, Station
from reception.models import LabourOperation

MONEY_FIELDS = ("rate_customer", "rate_warranty", "rate_insurance", "rate_internal")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row number as in the file, message)

    @property
    def ok(self) -> bool:
        return not self.errors


@transaction.atomic
def labour_operation_save(*, station: Station, by: Staff, operation: LabourOperation | None = None,
                          **fields) -> LabourOperation:
    code = (fields.get("code") or "").strip().upper()
    if not code:
        raise DomainError(_("Please enter a code."), field="code")
    clash = LabourOperation.objects.filter(station=station, code=code)
    if operation is not None:
        clash = clash.exclude(pk=operation.pk)
    if clash.exists():
        raise DomainError(_("The code %(code)s is already in the catalogue.") % {"code": code}, field="code")
    operation = operation or LabourOperation(station=station)
    fields["code"] = code
    for key, value in fields.items():
        setattr(operation, key, value)
    operation.save()
    return operation


# --- CSV/xlsx import (core.imports; runs on the reports queue) ---------------------------------------------------
COLUMNS = (
    Column("code", gettext_lazy("code"), "工时代码", ("工时编号", "项目代码", "代码", "编号"), required=True),
    Column("name_zh", gettext_lazy("Chinese name"), "工时名称", ("项目名称", "中文名称", "名称"), required=True),
    Column("name_en", gettext_lazy("English name"), "英文名称"),
    Column("category", gettext_lazy("category"), "类别", ("分类", "工时类别")),
    Column("standard_hours", gettext_lazy("standard hours"), "标准工时", ("工时", "工时数"), required=True),
    Column("rate_customer", gettext_lazy("labour rate, customer pay"), "客户工时单价", ("工时单价", "客户付费单价", "单价"),
           required=True),
    Column("rate_warranty", gettext_lazy("labour rate, warranty"), "保修工时单价", ("保修单价",)),
    Column("rate_insurance", gettext_lazy("labour rate, insurance"), "保险工时单价", ("保险单价",)),
    Column("rate_internal", gettext_lazy("labour rate, internal"), "内部工时单价", ("内部单价",)),
)
CSV_COLUMNS = tuple(c.key for c in COLUMNS)  # the English header row (demo data)
FIELDS = ("name_zh", "name_en", "category", "standard_hours", *MONEY_FIELDS)
BATCH = 1000


def _clean(row: Row, context: dict) -> dict | None:
    code = row.text("code", max_length=20, required=True, upper=True)
    if code in context["seen"]:
        row.error("code", _("code %(code)s appears again (first on line %(line)d)")
                  % {"code": code, "line": context["seen"][code]})
    elif code:
        context["seen"][code] = row.number
    values = {"code": code, "name_zh": row.text("name_zh", max_length=120, required=True),
              "name_en": row.text("name_en", max_length=120), "category": row.text("category", max_length=40),
              "standard_hours": row.decimal("standard_hours", limit=MAX_HOURS, required=True, places=2),
              "rate_customer": row.decimal("rate_customer", limit=MAX_PRICE, required=True, places=2)}
    for name in MONEY_FIELDS[1:]:  # an empty rate is the customer rate
        values[name] = row.decimal(name, limit=MAX_PRICE, default=values["rate_customer"], places=2)
    return values


def _apply(*, station: Station, by: Staff, rows: list[tuple[int, dict]], context: dict, progress) -> dict:
    """New codes are added, known ones updated (and made active again), with bulk operations in batches."""
    now = timezone.now()
    existing = {op.code: op for op in LabourOperation.objects.filter(station=station)}
    created = updated = 0
    for batch in batched(rows, BATCH):
        new, changed = [], []
        for _number, r in batch:
            op = existing.get(r["code"])
            if op is None:
                new.append(LabourOperation(station=station, **r))
                continue
            for key in FIELDS:
                setattr(op, key, r[key])
            op.is_active, op.updated_at = True, now
            changed.append(op)
        LabourOperation.objects.bulk_create(new, batch_size=BATCH)
        bulk_update(changed, [*FIELDS, "is_active", "updated_at"], batch_size=BATCH)
        created, updated = created + len(new), updated + len(changed)
        progress.add(len(batch))
    return {"created": created, "updated": updated}


def labour_importer() -> Importer:
    return Importer(
        kind="labour", label=gettext_lazy("labour catalogue"), app="reception", action=perm.CATALOGUE_MANAGE,
        columns=COLUMNS, clean=_clean, apply=_apply, prepare=lambda station: {"seen": {}},
        upload_url="reception:catalogue_import", back_url="reception:catalogue",
        description=gettext_lazy("Existing codes are updated, new codes added. An empty warranty, insurance or internal rate "
                          "is the customer rate."),
    )


def catalogue_import_csv(*, station: Station, by: Staff, data: bytes | str) -> ImportResult:
    """Import or update operations from CSV in this process, all or nothing (demo data, tests). Pages go through an
    import job on the workers instead (core.imports)."""
    counts, errors = import_now(kind="labour", station=station, by=by, data=data)
    return ImportResult(created=counts.get("created", 0), updated=counts.get("updated", 0),
                        errors=errors_by_row(errors))
