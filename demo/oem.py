"""The carmaker's side at each station (issue #18): warranty and 三包 terms of the models sold, a recall with its VIN
list imported through core.imports, 三包 repairs counted on a few orders of young cars, and the carmaker's claim
file layout. Everything through the departments' services; a second run changes nothing."""

from __future__ import annotations

import csv
import io

from core.imports import import_now
from demo.base import DemoContext, rng_for
from org.models import Position
from reception.models import Campaign, LabourOperation, SanbaoRepair, Vehicle, WarrantyTerms, WorkOrder
from reception.services.catalogue import labour_operation_save
from reception.services.warranty_terms import sanbao_repair_record, warranty_terms_save
from settlement.models import OemProfile
from settlement.services.claim_exchange import oem_profile_save

RECALL = ("RC-2611", "燃油泵叶轮召回", "RC2611", "更换燃油泵总成（召回）", "23221-F0010")
TERMS = {"bZ3": (96, 150_000, 36, 100_000), "bZ4X": (96, 150_000, 36, 100_000)}  # EVs: the battery's longer terms
REPAIRS = [("brakes", "刹车异响", True, False), ("brakes", "刹车异响", False, False),
           ("transmission", "变速箱换挡顿挫", False, True)]
LAYOUT = ("dealer_code=经销商代码\nclaim_number=索赔单号\nvin=VIN\nmileage=行驶里程\nrepair_date=维修日期\n"
          "symptom_code=现象代码\ncause_code=原因代码\nclaimed_labour=工时费\nclaimed_parts=材料费\n"
          "claimed_amount=索赔金额")


def seed(ctx: DemoContext) -> None:
    for station in ctx.stations:
        lead = ctx.first(station, Position.FRONT_DESK_LEAD, Position.STATION_MANAGER)
        _terms(station)
        _recall(station, lead)
        _sanbao(station, ctx.first(station, Position.SERVICE_ADVISOR))
        if not OemProfile.objects.filter(station=station).exists():
            oem_profile_save(station=station, by=ctx.first(station, Position.WARRANTY_CLERK),
                             name="一汽丰田" if station == ctx.stations[0] else "广汽丰田",
                             dealer_code=f"D{station.code[:4].upper()}", file_format="csv", columns=LAYOUT)


def _terms(station) -> None:
    for model in Vehicle.objects.filter(station=station).values_list("model", flat=True).distinct():
        if model and not WarrantyTerms.objects.filter(station=station, model=model).exists():
            months, km, s_months, s_km = TERMS.get(model, (36, 100_000, 24, 50_000))
            warranty_terms_save(station=station, model=model, warranty_months=months, warranty_km=km,
                                sanbao_months=s_months, sanbao_km=s_km)


def _recall(station, lead) -> None:
    code, name, op_code, op_name, parts = RECALL
    if Campaign.objects.filter(station=station, code=code).exists():
        return
    if not LabourOperation.objects.filter(station=station, code=op_code).exists():
        labour_operation_save(station=station, by=lead, code=op_code, name_zh=op_name, name_en="Fuel pump (recall)",
                              category="召回", standard_hours="1.20", rate_customer="0", rate_warranty="220",
                              rate_insurance="0", rate_internal="0", is_active=True)
    vins = list(Vehicle.objects.filter(station=station, model__in=["卡罗拉", "凯美瑞", "雷凌"])
                .order_by("vin").values_list("vin", flat=True)[:40])
    rng = rng_for("recall", station.code)
    vins = sorted(rng.sample(vins, min(len(vins), 25)))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["活动编号", "活动名称", "活动类型", "工时代码", "配件", "VIN"])
    for i, vin in enumerate(vins):
        writer.writerow([code, name if i == 0 else "", "召回" if i == 0 else "", op_code if i == 0 else "",
                         parts if i == 0 else "", vin])
    counts, errors = import_now(kind="campaigns", station=station, by=lead, data=out.getvalue())
    if errors:
        raise RuntimeError(f"demo recall refused: {errors[:3]}")


def _sanbao(station, advisor) -> None:
    if SanbaoRepair.objects.filter(order__station=station).exists():
        return
    # the first young car with three signed orders gets a repair history near the thresholds
    young = (Vehicle.objects.filter(station=station, warranty_start__isnull=False).order_by("-warranty_start")
             .values_list("pk", flat=True)[:200])
    for vehicle_id in young:
        orders = list(WorkOrder.objects.filter(vehicle_id=vehicle_id, signed_at__isnull=False,
                                               work_completed_at__isnull=False).order_by("opened_at")[:3])
        if len(orders) == 3:
            for order, (component, fault, serious, replaced) in zip(orders, REPAIRS, strict=True):
                sanbao_repair_record(order=order, by=advisor, component=component, fault=fault,
                                     serious_safety=serious, replaced=replaced)
            return
