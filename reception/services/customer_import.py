"""Customers with their vehicles from an old DMS (客户车辆导入), through core.imports (on the reports queue).

One row is one vehicle with its owner; an owner with three cars is on three rows with the same mobile number (the
customer's details are taken from the first of them). A row without a VIN brings only the customer. Customers are
matched by mobile number within the station, vehicles by VIN: a known customer or vehicle is updated with the cells
that are filled (an empty cell keeps what is on file), a vehicle whose owner changed gets a new ownership, a mileage
above the one on file is recorded as a reading. All or nothing, with bulk operations in batches.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.imports import Column, Importer, Row, batched, bulk_update
from org import permissions as perm
from reception.models import Customer, MileageReading, Vehicle, VehicleOwnership
from reception.services import validation as v

BATCH = 1000
MAX_MILEAGE = 2_000_000
KINDS = {"individual": Customer.Kind.INDIVIDUAL, "个人": Customer.Kind.INDIVIDUAL, "私人": Customer.Kind.INDIVIDUAL,
         "fleet": Customer.Kind.FLEET, "单位": Customer.Kind.FLEET, "公司": Customer.Kind.FLEET,
         "企业": Customer.Kind.FLEET, "车队": Customer.Kind.FLEET}

COLUMNS = (
    Column("name", gettext_lazy("customer name"), "客户名称", ("客户姓名", "姓名", "车主", "车主姓名", "customer"), required=True),
    Column("mobile", gettext_lazy("mobile"), "手机号", ("手机", "手机号码", "移动电话", "联系电话", "phone"), required=True),
    Column("kind", gettext_lazy("type"), "客户类型", ("类型",)),
    Column("other_phone", gettext_lazy("other phone"), "其他电话", ("固定电话", "座机")),
    Column("email", gettext_lazy("email"), "邮箱", ("电子邮箱", "e-mail")),
    Column("address", gettext_lazy("address"), "地址", ("联系地址", "住址")),
    Column("company_tax_id", gettext_lazy("tax ID"), "税号", ("纳税人识别号", "tax_id")),
    Column("notes", gettext_lazy("notes"), "备注", ("说明",)),
    Column("vin", gettext_lazy("VIN"), "VIN", ("车架号", "车辆识别代号", "底盘号", "vin码")),
    Column("plate", gettext_lazy("licence plate"), "车牌号", ("车牌", "车牌号码", "牌照")),
    Column("make", gettext_lazy("make"), "品牌", ("厂牌", "车辆品牌")),
    Column("model", gettext_lazy("model"), "车型", ("型号",)),
    Column("year", gettext_lazy("model year"), "年款", ("年份", "车型年份")),
    Column("colour", gettext_lazy("colour"), "颜色", ("车身颜色", "color")),
    Column("warranty_start", gettext_lazy("warranty start"), "保修开始日期", ("购车日期", "开票日期", "保修起始日")),
    Column("mileage", gettext_lazy("mileage (km)"), "里程", ("行驶里程", "当前里程", "公里数")),
)
CUSTOMER_FIELDS = ("name", "kind", "other_phone", "email", "address", "company_tax_id", "notes")
VEHICLE_FIELDS = ("plate", "make", "model", "year", "colour", "warranty_start")


def _prepare(station) -> dict:
    return {"mobiles": {}, "vins": {}}


def _clean(row: Row, context: dict) -> dict | None:
    values = {"name": row.text("name", max_length=120, required=True)}
    mobile = v.normalise_mobile(row["mobile"])
    if not v.is_valid_mobile(mobile):
        row.error("mobile", _("Enter a Chinese mobile number: 11 digits starting with 13–19."))
    values["mobile"] = mobile
    kind = row["kind"].strip().lower()
    values["kind"] = KINDS.get(kind, "") if kind else ""
    if kind and not values["kind"]:
        row.error("kind", _("Write 个人 (individual) or 单位 (fleet)."))
    for key, length in (("other_phone", 40), ("address", 255), ("company_tax_id", 40)):
        values[key] = row.text(key, max_length=length)
    values["notes"] = row["notes"]
    values["email"] = row.text("email", max_length=254)
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            row.error("email", _("This is not an email address."))
    # The same customer on several rows (one per vehicle) must be the same person.
    first = context["mobiles"].get(mobile)
    if first and values["name"] and first[1] != values["name"]:
        row.error("name", _("Mobile %(mobile)s is %(name)s on row %(row)s.") % {
            "mobile": mobile, "name": first[1], "row": first[0]})
    elif mobile and first is None:
        context["mobiles"][mobile] = (row.number, values["name"])
    vin = v.normalise_vin(row["vin"])
    values["vin"] = vin
    if vin:
        problem = v.vin_problem(vin)
        if problem == "length":
            row.error("vin", _("A VIN has exactly 17 characters (this one has %(n)d).") % {"n": len(vin)})
        elif problem == "characters":
            row.error("vin", _("A VIN uses digits and the letters A–Z except I, O and Q."))
        elif problem == "check_digit":
            row.error("vin", _("The VIN's check digit (9th character) should be %(digit)s: please check for a typing "
                               "mistake.") % {"digit": v.vin_check_digit(vin)})
        elif vin in context["vins"]:
            row.error("vin", _("VIN %(vin)s repeats row %(row)s.") % {"vin": vin, "row": context["vins"][vin]})
        else:
            context["vins"][vin] = row.number
    plate = v.normalise_plate(row["plate"])
    if plate and not v.is_valid_plate(plate):
        row.error("plate", _("This is not a Chinese licence plate (e.g. 沪A12345, or 沪AD12345 for a new-energy "
                             "vehicle)."))
    values["plate"] = plate
    values["make"] = row.text("make", max_length=40)
    values["model"] = row.text("model", max_length=60)
    values["colour"] = row.text("colour", max_length=30)
    values["year"] = row.integer("year", low=1950, high=timezone.localdate().year + 1)
    values["warranty_start"] = row.date("warranty_start")
    if values["warranty_start"] and values["warranty_start"] > timezone.localdate():
        row.error("warranty_start", _("The date is in the future."))
    values["mileage"] = row.integer("mileage", low=0, high=MAX_MILEAGE)
    if not vin and any(values[k] for k in ("plate", "make", "model", "year", "mileage")):
        row.error("vin", _("A vehicle needs its VIN."))
    return values


def _fill(obj, values: dict, fields: tuple[str, ...]) -> bool:
    """Copy the filled cells onto ``obj``; True when something changed."""
    changed = False
    for key in fields:
        value = values[key]
        if value in ("", None) or getattr(obj, key) == value:
            continue
        setattr(obj, key, value)
        changed = True
    return changed


def _apply(*, station, by, rows: list[tuple[int, dict]], context: dict, progress) -> dict:
    now, today = timezone.now(), timezone.localdate()
    mobiles = {r["mobile"] for _n, r in rows}
    vins = {r["vin"] for _n, r in rows if r["vin"]}
    customers = {c.mobile: c for c in Customer.objects.filter(station=station, mobile__in=mobiles)}
    vehicles = {x.vin: x for x in Vehicle.objects.filter(station=station, vin__in=vins)}
    counts = dict.fromkeys(("customers_created", "customers_updated", "vehicles_created", "vehicles_updated",
                            "owners_changed"), 0)
    seen_customers: set[str] = set()
    for batch in batched(rows, BATCH):
        new_customers, changed_customers = [], []
        for _number, r in batch:
            if r["mobile"] in seen_customers:
                continue  # the customer's details come from their first row
            seen_customers.add(r["mobile"])
            customer = customers.get(r["mobile"])
            if customer is None:
                data = {k: r[k] for k in CUSTOMER_FIELDS if r[k] not in ("", None)}
                customer = Customer(station=station, mobile=r["mobile"], **data)
                customers[r["mobile"]] = customer
                new_customers.append(customer)
            elif _fill(customer, r, CUSTOMER_FIELDS):
                customer.updated_at = now
                changed_customers.append(customer)
        Customer.objects.bulk_create(new_customers, batch_size=BATCH)
        bulk_update(changed_customers, [*CUSTOMER_FIELDS, "updated_at"], batch_size=BATCH)
        counts["customers_created"] += len(new_customers)
        counts["customers_updated"] += len(changed_customers)

        new_vehicles, changed_vehicles, ownerships, closed, readings = [], [], [], [], []
        for _number, r in batch:
            if not r["vin"]:
                continue
            owner = customers[r["mobile"]]
            vehicle = vehicles.get(r["vin"])
            if vehicle is None:
                data = {k: r[k] for k in VEHICLE_FIELDS if r[k] not in ("", None)}
                vehicle = Vehicle(station=station, vin=r["vin"], owner=owner, mileage=r["mileage"] or 0, **data)
                vehicles[r["vin"]] = vehicle
                new_vehicles.append((vehicle, r))
                continue
            changed = _fill(vehicle, r, VEHICLE_FIELDS)
            if vehicle.owner_id != owner.pk:
                if vehicle.owner_id:
                    closed.append(vehicle.pk)
                vehicle.owner = owner
                ownerships.append(VehicleOwnership(vehicle=vehicle, customer=owner, since=today))
                counts["owners_changed"] += 1
                changed = True
            if r["mileage"] and r["mileage"] > vehicle.mileage:
                vehicle.mileage = r["mileage"]
                readings.append(MileageReading(vehicle=vehicle, km=r["mileage"], by=by))
                changed = True
            if changed:
                vehicle.updated_at = now
                changed_vehicles.append(vehicle)
        Vehicle.objects.bulk_create([x for x, _r in new_vehicles], batch_size=BATCH)
        bulk_update(changed_vehicles, [*VEHICLE_FIELDS, "owner", "mileage", "updated_at"],
                                    batch_size=BATCH)
        VehicleOwnership.objects.filter(vehicle_id__in=closed, until__isnull=True).update(until=today)
        ownerships += [VehicleOwnership(vehicle=x, customer=x.owner, since=_since(r, today)) for x, r in new_vehicles]
        readings += [MileageReading(vehicle=x, km=x.mileage, by=by) for x, _r in new_vehicles if x.mileage]
        VehicleOwnership.objects.bulk_create(ownerships, batch_size=BATCH)
        MileageReading.objects.bulk_create(readings, batch_size=BATCH)
        counts["vehicles_created"] += len(new_vehicles)
        counts["vehicles_updated"] += len(changed_vehicles)
        progress.add(len(batch))
    return {
        "created": counts["customers_created"] + counts["vehicles_created"],
        "updated": counts["customers_updated"] + counts["vehicles_updated"],
        "details": [(_("customers created"), counts["customers_created"]),
                    (_("customers updated"), counts["customers_updated"]),
                    (_("vehicles created"), counts["vehicles_created"]),
                    (_("vehicles updated"), counts["vehicles_updated"]),
                    (_("vehicles with a new owner"), counts["owners_changed"])],
    }


def _since(row: dict, today: date) -> date:
    """An imported vehicle's ownership starts at its warranty start (its sale) when known."""
    return row["warranty_start"] or today


def customers_importer() -> Importer:
    return Importer(
        kind="customers", label=gettext_lazy("customers and vehicles"), app="reception", action=perm.RECEPTION_SETUP,
        columns=COLUMNS, clean=_clean, apply=_apply, prepare=_prepare,
        upload_url="reception:customer_import", back_url="reception:customer_list",
        description=gettext_lazy("From an old system: one row per vehicle with its owner (an owner with several vehicles "
                          "on several rows with the same mobile number; a row without a VIN brings only the "
                          "customer). Customers are matched by mobile number, vehicles by VIN; filled cells update "
                          "what is on file."),
    )
