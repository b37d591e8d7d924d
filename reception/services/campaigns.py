"""Recalls and service campaigns (召回 / 服务活动): imported with their VIN lists, completed by an ordinary labour line.

The import (core.imports, kind ``campaigns``) takes one row per VIN: the campaign's code, name, type, labour
operation (its code in the station's catalogue) and parts on each row (the first row of a code gives the campaign,
the others must agree or be empty). A known campaign code adds the new VINs to it. A listed vehicle is *open* until an
order of that VIN with a labour line of the campaign's operation on the warranty payer is settled: then it is done,
with that order (an after-hook on the work order's ready → settled).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.imports import Column, Importer, Row, batched
from core.money import Payer
from org import permissions as perm
from reception.models import Campaign, CampaignVehicle, LabourOperation, Vehicle, WorkOrder
from reception.services import validation as v

BATCH = 1000
KINDS = {"recall": Campaign.Kind.RECALL, "召回": Campaign.Kind.RECALL, "service": Campaign.Kind.SERVICE,
         "服务活动": Campaign.Kind.SERVICE, "服务": Campaign.Kind.SERVICE}

COLUMNS = (
    Column("code", gettext_lazy("campaign code"), "活动编号", ("活动代码", "召回编号", "campaign"), required=True),
    Column("name", gettext_lazy("name"), "活动名称", ("召回名称", "名称"), required=True),
    Column("kind", gettext_lazy("type"), "活动类型", ("类型",)),
    Column("labour", gettext_lazy("labour operation"), "工时代码", ("工时编号", "维修项目代码", "operation"),
           required=True),
    Column("parts", gettext_lazy("parts"), "配件", ("零件", "配件编号", "零件号")),
    Column("vin", gettext_lazy("VIN"), "VIN", ("车架号", "车辆识别代号", "底盘号", "vin码"), required=True),
)


def _prepare(station) -> dict:
    return {
        "operations": dict(LabourOperation.objects.filter(station=station, is_active=True).values_list("code", "pk")),
        "campaigns": {c.code: c for c in Campaign.objects.filter(station=station)},
        "first": {},  # code -> (row number, values) of the first row of each campaign in the file
        "pairs": {},  # (code, vin) -> row number
    }


def _clean(row: Row, context: dict) -> dict | None:
    code = row.text("code", max_length=30, required=True, upper=True)
    first = context["first"].get(code)
    # the campaign's own cells are needed on its first row only; later rows may leave them empty
    values = {"code": code, "name": row.text("name", max_length=120, required=first is None),
              "parts": row.text("parts", max_length=255),
              "labour": row.text("labour", max_length=20, required=first is None, upper=True)}
    kind = row["kind"].strip().lower()
    values["kind"] = KINDS.get(kind, "") if kind else ""
    if kind and not values["kind"]:
        row.error("kind", _("Write 召回 (recall) or 服务活动 (service campaign)."))
    operations = {code.upper(): pk for code, pk in context["operations"].items()}
    values["labour_id"] = operations.get(values["labour"])
    if values["labour"] and values["labour_id"] is None:
        row.error("labour", _("No active labour operation %(code)s in the catalogue.") % {"code": values["labour"]})
    if first is None:
        values["kind"] = values["kind"] or Campaign.Kind.RECALL
        context["first"][code] = (row.number, values)
    else:
        for key in ("name", "labour", "kind"):
            if values[key] and values[key] != first[1][key]:
                row.error(key, _("Campaign %(code)s has another value on row %(row)s.") % {
                    "code": code, "row": first[0]})
    vin = v.normalise_vin(row["vin"])
    values["vin"] = vin
    problem = v.vin_problem(vin) if vin else "length"
    if problem == "length":
        row.error("vin", _("A VIN has exactly 17 characters (this one has %(n)d).") % {"n": len(vin)})
    elif problem == "characters":
        row.error("vin", _("A VIN uses digits and the letters A–Z except I, O and Q."))
    elif (values["code"], vin) in context["pairs"]:
        row.error("vin", _("VIN %(vin)s repeats row %(row)s.") % {"vin": vin, "row": context["pairs"][(values["code"], vin)]})
    else:
        context["pairs"][(values["code"], vin)] = row.number
    return values


def _apply(*, station, by, rows: list[tuple[int, dict]], context: dict, progress) -> dict:
    campaigns = dict(context["campaigns"])
    created = 0
    for code, (_number, first) in context["first"].items():
        if code not in campaigns:
            campaigns[code] = Campaign.objects.create(station=station, code=code, name=first["name"],
                                                      kind=first["kind"], labour_operation_id=first["labour_id"],
                                                      parts=first["parts"])
            created += 1
    known = set(CampaignVehicle.objects.filter(campaign__in=campaigns.values()).values_list("campaign__code", "vin"))
    added = 0
    for batch in batched(rows, BATCH):
        new = [CampaignVehicle(campaign=campaigns[r["code"]], station=station, vin=r["vin"])
               for _n, r in batch if (r["code"], r["vin"]) not in known]
        CampaignVehicle.objects.bulk_create(new, batch_size=BATCH)
        added += len(new)
        progress.add(len(batch))
    return {"created": created + added, "updated": 0,
            "details": [(_("campaigns created"), created), (_("vehicles listed"), added),
                        (_("vehicles already listed"), len(rows) - added)]}


def campaigns_importer() -> Importer:
    return Importer(
        kind="campaigns", label=gettext_lazy("recalls and service campaigns"), app="reception",
        action=perm.RECEPTION_SETUP, columns=COLUMNS, clean=_clean, apply=_apply, prepare=_prepare,
        upload_url="reception:campaign_import", back_url="reception:campaign_list",
        description=gettext_lazy("The carmaker's list: one row per VIN with the campaign's code, name, type (召回 or "
                                 "服务活动), labour operation code (from the catalogue) and parts. A known campaign code "
                                 "adds the new VINs to it."),
    )


def open_campaigns_for(vehicle: Vehicle):
    """The campaigns still open for this vehicle (its VIN on their list, not done)."""
    return Campaign.objects.filter(station_id=vehicle.station_id, vehicles__vin=vehicle.vin,
                                   vehicles__done_at__isnull=True).select_related("labour_operation")


def vehicles_with_open_campaigns(vehicles) -> set[int]:
    """Of these vehicles, the ids with at least one open campaign (one query, for lists)."""
    vehicles = [x for x in vehicles if x is not None]
    if not vehicles:
        return set()
    listed = CampaignVehicle.objects.filter(station_id=OuterRef("station_id"), vin=OuterRef("vin"),
                                            done_at__isnull=True)
    return set(Vehicle.objects.filter(pk__in=[x.pk for x in vehicles]).filter(Exists(listed))
               .values_list("pk", flat=True))


def campaigns_complete_on_settle(*, order: WorkOrder, by=None) -> int:
    """After-hook (ready → settled): the order's warranty labour lines of a campaign's operation close that campaign
    for this VIN. Returns how many campaign vehicles were done."""
    operations = set(order.lines.filter(kind="labour", payer=Payer.WARRANTY).exclude(approval="declined")
                     .values_list("labour_operation_id", flat=True))
    if not operations:
        return 0
    now = timezone.now()
    rows = list(CampaignVehicle.objects.filter(station_id=order.station_id, vin=order.vehicle.vin, done_at__isnull=True,
                                               campaign__labour_operation_id__in=operations))
    for row in rows:
        row.done_at, row.done_order = now, order
        row.save(update_fields=["done_at", "done_order"])  # one by one: kpi follows the rows (Observed)
    return len(rows)
