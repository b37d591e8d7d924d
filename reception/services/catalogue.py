"""The labour operation catalogue (工时目录): single edits and an all-or-nothing CSV import."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.numbers import MAX_HOURS, MAX_PRICE
from org.models import Staff, Station
from reception.models import LabourOperation

CSV_COLUMNS = ("code", "name_zh", "name_en", "category", "standard_hours", "rate_customer", "rate_warranty",
               "rate_insurance", "rate_internal")
REQUIRED = ("code", "name_zh", "standard_hours", "rate_customer")
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


def _decimal(raw: str, *, name: str, default: Decimal | None = None) -> Decimal:
    raw = (raw or "").strip()
    if not raw:
        if default is None:
            raise ValueError(_("%(column)s is empty") % {"column": name})
        return default
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(_("%(column)s is not a number: “%(value)s”") % {"column": name, "value": raw}) from None
    if not value.is_finite():
        raise ValueError(_("%(column)s is not a number: “%(value)s”") % {"column": name, "value": raw})
    if value < 0:
        raise ValueError(_("%(column)s cannot be negative") % {"column": name})
    limit = MAX_HOURS if name == "standard_hours" else MAX_PRICE
    if value > limit:
        raise ValueError(_("%(column)s is too large (at most %(max)s)") % {"column": name, "max": limit})
    return value


def catalogue_import_csv(*, station: Station, by: Staff, data: bytes | str) -> ImportResult:
    """Import or update operations from CSV (UTF-8, with a header row of CSV_COLUMNS; missing rates default to the
    customer rate). Every row is checked first; when any row is wrong, nothing is imported and every wrong row is
    reported with its line number."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    reader = csv.DictReader(io.StringIO(text))
    result = ImportResult()
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        result.errors.append((1, _("Missing columns: %(columns)s") % {"columns": ", ".join(missing)}))
        return result
    rows: list[dict] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        problems = []
        code = row.get("code", "").upper()
        if not code:
            problems.append(_("code is empty"))
        elif len(code) > 20:
            problems.append(_("code is longer than 20 characters"))
        elif code in seen:
            problems.append(_("code %(code)s appears again (first on line %(line)d)") % {"code": code, "line": seen[code]})
        else:
            seen[code] = line
        if not row.get("name_zh"):
            problems.append(_("name_zh is empty"))
        values = {}
        try:
            values["standard_hours"] = _decimal(row.get("standard_hours", ""), name="standard_hours")
            values["rate_customer"] = _decimal(row.get("rate_customer", ""), name="rate_customer")
            for name in MONEY_FIELDS[1:]:
                values[name] = _decimal(row.get(name, ""), name=name, default=values["rate_customer"])
        except ValueError as exc:
            problems.append(str(exc))
        if problems:
            result.errors.append((line, "; ".join(problems)))
            continue
        rows.append({"code": code, "name_zh": row["name_zh"][:120], "name_en": row.get("name_en", "")[:120],
                     "category": row.get("category", "")[:40], **values})
    if not rows and not result.errors:
        result.errors.append((1, _("The file has no rows.")))
    if result.errors:
        return result
    with transaction.atomic():
        existing = {op.code: op for op in LabourOperation.objects.filter(station=station, code__in=seen)}
        for row in rows:
            op = existing.get(row["code"])
            if op is None:
                LabourOperation.objects.create(station=station, **row)
                result.created += 1
            else:
                for key, value in row.items():
                    setattr(op, key, value)
                op.is_active = True
                op.save()
                result.updated += 1
    return result
