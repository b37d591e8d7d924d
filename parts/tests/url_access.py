from org.tests.access import GROUP_POSITIONS, Row

VIEW = frozenset({
    "station_manager", "front_desk_lead", "service_advisor", "workshop_lead", "technical_lead", "parts_lead",
    "parts_clerk", "warranty_clerk",
}) | GROUP_POSITIONS
COUNTER = frozenset({"parts_lead", "parts_clerk"})
MANAGE = frozenset({"parts_lead"})
STOCKTAKE = frozenset({"parts_lead", "parts_clerk"})
APPROVE = frozenset({"station_manager", "parts_lead"})
APPROVE_SCRAP = frozenset({"station_manager", "group_director"})


def _post(allowed, **kw):
    return Row(allowed=allowed, status=302, method="post", **kw)


def _refused(allowed, **kw):
    """A POST whose input the page refuses: the page comes back with the error at the field (400), others 403."""
    return Row(allowed=allowed, status=400, method="post", **kw)


SETUP = frozenset({"station_manager", "group_director"})

ROWS = {
    # set-up: the station's warehouses and suppliers (steps of the /setup/ checklist)
    "parts:warehouses": Row(allowed=SETUP),
    "parts:warehouse_edit": Row(other_station=404, allowed=SETUP, kwargs=lambda w: {"pk": w.parts_warehouse.pk}),
    "parts:suppliers": Row(allowed=SETUP),
    "parts:supplier_edit": Row(other_station=404, allowed=SETUP, kwargs=lambda w: {"pk": w.parts_supplier.pk}),
    "parts:index": Row(allowed=VIEW),
    "parts:part_search": Row(allowed=VIEW, query="?q=04152"),
    "parts:order_pick": Row(other_station=404, allowed=VIEW, kwargs=lambda w: {"pk": w.parts_order.pk}),
    "parts:order_issue_all": _post(COUNTER, other_station=404, kwargs=lambda w: {"pk": w.parts_order.pk}),
    "parts:line_issue": _post(COUNTER, other_station=404, kwargs=lambda w: {"pk": w.parts_line.pk},
                              data=lambda w: {"quantity": "1"}),
    # Nothing was issued to the line yet, so nothing can come back.
    "parts:line_return": _refused(COUNTER, other_station=404, kwargs=lambda w: {"pk": w.parts_line.pk},
                                  data=lambda w: {"quantity": "1"}),
    "parts:line_special_order": _post(MANAGE, other_station=404, kwargs=lambda w: {"pk": w.parts_line.pk},
                                      data=lambda w: {"supplier": w.parts_po.supplier_id, "quantity": "1"}),
    "parts:request_cancel": _post(COUNTER, other_station=404, kwargs=lambda w: {"pk": w.parts_request.pk}),
    "parts:lost_sale": _post(COUNTER, data=lambda w: {"part_number": w.parts_part.part_number, "quantity": "1",
                                                      "outcome": "lost"}),
    "parts:stock_list": Row(allowed=VIEW, query="?q=04152&state=in_stock"),
    "parts:low_stock": Row(allowed=VIEW),
    "parts:part_import": Row(allowed=MANAGE),
    "parts:part_detail": Row(other_station=404, allowed=VIEW, kwargs=lambda w: {"pk": w.parts_part.pk}),
    "parts:part_location": _post(MANAGE, other_station=404, kwargs=lambda w: {"pk": w.parts_part.pk},
                                 data=lambda w: {"bin_location": "A-01", "min_qty": "1", "max_qty": "5"}),
    "parts:suggested": Row(allowed=MANAGE),
    "parts:po_list": Row(allowed=VIEW),
    "parts:po_overdue": Row(allowed=VIEW),
    "parts:station_transfers": Row(allowed=VIEW),
    "parts:station_transfer_new": _refused(MANAGE, data=lambda w: {"lines": ""}),
    "parts:station_transfer_ship": _post(MANAGE, other_station=404, kwargs=lambda w: {"pk": w.parts_st_transfer.pk}),
    "parts:station_transfer_receive": _post(MANAGE, other_station=404,
                                            kwargs=lambda w: {"pk": w.parts_st_transfer.pk}),
    "parts:po_create": Row(allowed=MANAGE),
    "parts:po_detail": Row(other_station=404, allowed=VIEW, kwargs=lambda w: {"pk": w.parts_po.pk}),
    "parts:po_place": _post(MANAGE, other_station=404, kwargs=lambda w: {"pk": w.parts_po.pk}),
    "parts:po_cancel": _post(MANAGE, other_station=404, kwargs=lambda w: {"pk": w.parts_po.pk}),
    "parts:po_receive": _refused(MANAGE, other_station=404,
                                 kwargs=lambda w: {"pk": w.parts_po.pk}),  # a draft order, nothing typed
    "parts:supplier_returns": Row(allowed=VIEW),
    "parts:supplier_return_create": _refused(MANAGE),  # an empty form
    "parts:supplier_return_close": _post(MANAGE, other_station=404, kwargs=lambda w: {"pk": w.parts_return.pk}),
    "parts:stocktake_list": Row(allowed=VIEW),
    "parts:stocktake_create": _post(STOCKTAKE, data=lambda w: {"bin_prefix": "", "blind": "on"}),
    "parts:stocktake_detail": Row(other_station=404, allowed=VIEW, kwargs=lambda w: {"pk": w.parts_stocktake.pk}),
    "parts:stocktake_count": _post(STOCKTAKE, other_station=404, kwargs=lambda w: {"pk": w.parts_stocktake.pk}),
    "parts:stocktake_approve": _post(APPROVE, other_station=404, kwargs=lambda w: {"pk": w.parts_stocktake.pk}),
    "parts:scrap_list": Row(allowed=VIEW),
    "parts:scrap_create": _post(MANAGE, data=lambda w: {"part_number": w.parts_part.part_number, "quantity": "1",
                                                         "reason": "损坏"}),
    "parts:scrap_decide": _post(APPROVE_SCRAP, other_station=404, kwargs=lambda w: {"pk": w.parts_scrap.pk},
                                data=lambda w: {"decision": "reject"}),
    "parts:stocktake_sheet_pdf": Row(other_station=404, allowed=STOCKTAKE,
                                     kwargs=lambda w: {"pk": w.parts_stocktake.pk}),
    "parts:lost_sale_list": Row(allowed=VIEW, query="?outcome=lost&part_number=04152"),
    "parts:transfer_list": Row(allowed=VIEW),
    "parts:transfer_create": Row(allowed=MANAGE, query="?part_number=04152-YZZA1"),
    "parts:price_policies": Row(allowed=MANAGE, query="?part_number=04152-YZZA1"),
    "parts:price_policy_save": _post(MANAGE, data=lambda w: {"payer": "insurance", "basis": "list", "markup_pct": "5"}),
}


def setup(world):
    """A stocked part, an order with a part line and a parts request, a PO, a return, a count sheet, a scrap,
    a lost sale and a transfer to a second warehouse."""
    from decimal import Decimal

    from parts.factories import PartFactory, SupplierFactory, WarehouseFactory
    from parts.models import StockMove
    from parts.services.counter import lost_sale_record
    from parts.services.purchasing import purchase_order_create, supplier_return_create
    from parts.services.requests import parts_request_create
    from parts.services.scrap import scrap_request_create
    from parts.services.stock import stock_move_post, stock_transfer, warehouse_main
    from parts.services.stocktake import stocktake_create
    from reception.factories import WorkOrderFactory, part_line

    clerk = world.staff["parts_clerk"]
    part = PartFactory(station=world.station, part_number="04152-YZZA1")
    warehouse = warehouse_main(station=world.station)
    stock_move_post(warehouse=warehouse, part=part, kind=StockMove.Kind.OPENING, quantity=Decimal("50"), by=clerk,
                    unit_cost=Decimal("40"))
    order = WorkOrderFactory(station=world.station, advisor=world.staff["service_advisor"], status="open")
    world.parts_part = part
    world.parts_order = order
    world.parts_line = part_line(order=order, part=part, qty="30")
    world.parts_request = parts_request_create(line=world.parts_line, by=world.staff["technician"],
                                               quantity=Decimal("1"))
    supplier = SupplierFactory(station=world.station)
    world.parts_po = purchase_order_create(station=world.station, supplier=supplier,
                                           lines=[{"part": part, "quantity": 5}], by=clerk)
    world.parts_return = supplier_return_create(supplier=supplier, part=part, quantity=Decimal("1"), kind="repair",
                                                reason="异响", by=clerk)
    world.parts_stocktake = stocktake_create(warehouse=warehouse, by=clerk)
    world.parts_scrap = scrap_request_create(part=part, quantity=Decimal("1"), reason="损坏", by=clerk)
    # Rows for the lost-sales list and the transfer list to show.
    lost_sale_record(part=part, quantity=Decimal("2"), by=clerk, note="客户等不及")
    stock_transfer(part=part, source=warehouse, target=WarehouseFactory(station=world.station, code="QUICK"),
                   quantity=Decimal("1"), by=world.staff["parts_lead"], reason="快修备件")
    world.parts_warehouse = warehouse
    # a transfer to a third station of the group (the second station's people must get 404)
    from org.factories import StationFactory
    from parts.services.station_transfers import station_transfer_create

    world.parts_st_transfer = station_transfer_create(
        from_station=world.station, to_station=StationFactory(code="acl-c", group=world.station.group),
        lines=[{"part": part, "quantity": "1"}], by=world.staff["parts_lead"])
    world.parts_supplier = supplier
