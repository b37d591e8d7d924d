from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parts.factories import PartFactory, SupplierFactory
from parts.models import Part, ScrapRequest, StockBalance, Stocktake
from parts.services.demand import part_line_requested
from parts.services.requests import parts_request_create
from reception.factories import WorkOrderFactory, part_line


def test_the_counter_lists_open_requests_and_lines_to_issue(client, station, stocked, clerk, make_staff):
    part = stocked(qty="5")
    line = part_line(order=WorkOrderFactory(station=station, status="open"), part=part, qty="2")
    parts_request_create(line=line, by=make_staff("technician"), quantity=Decimal("2"), note="右后")
    client.force_login(clerk)
    response = client.get(reverse("parts:index"))
    assert response.status_code == 200
    assert "右后" in response.content.decode()
    row = response.context["pending"][0]  # the pick list's row, as printed: the order's link, the part, quantities
    assert row["url"] == reverse("parts:order_pick", args=[line.order_id]) and row["part_number"] == part.part_number
    assert (row["number"], row["quantity"], row["issued"]) == (line.order.number, "2", "0")


def test_a_clerk_issues_and_returns_from_the_pick_list(client, station, stocked, clerk, alice):
    part = stocked(qty="5")
    order = WorkOrderFactory(station=station, status="open")
    line = part_line(order=order, part=part, qty="2")
    part_line_requested(line=line, by=alice)
    client.force_login(clerk)
    assert client.get(reverse("parts:order_pick", args=[order.pk])).status_code == 200
    client.post(reverse("parts:line_issue", args=[line.pk]), {"quantity": "2"})
    assert StockBalance.objects.get(part=part).on_hand == Decimal("3")
    client.post(reverse("parts:line_return", args=[line.pk]), {"quantity": "1", "reason": "多领"})
    assert StockBalance.objects.get(part=part).on_hand == Decimal("4")


def test_issuing_more_than_is_free_shows_an_error_and_changes_nothing(client, station, stocked, clerk):
    part = stocked(qty="1")
    line = part_line(order=WorkOrderFactory(station=station, status="open"), part=part, qty="3")
    client.force_login(clerk)
    response = client.post(reverse("parts:line_issue", args=[line.pk]), {"quantity": "3"}, follow=True)
    assert "Not enough free stock" in response.content.decode()
    assert StockBalance.objects.get(part=part).on_hand == Decimal("1")


def test_another_stations_order_is_not_found(client, other_station, clerk):
    order = WorkOrderFactory(station=other_station, status="open")
    client.force_login(clerk)
    assert client.get(reverse("parts:order_pick", args=[order.pk])).status_code == 404


def test_the_stock_list_filters_by_number_and_state(client, station, stocked, clerk):
    stocked(qty="5", part_number="04152-YZZA1")
    stocked(qty="0", part_number="90919-01253")
    client.force_login(clerk)
    response = client.get(reverse("parts:stock_list"), {"q": "04152"})
    assert [b["part_number"] for b in response.context["rows"]] == ["04152-YZZA1"]
    response = client.get(reverse("parts:stock_list"), {"state": "in_stock"})
    assert [b["part_number"] for b in response.context["rows"]] == ["04152-YZZA1"]
    response = client.get(reverse("parts:stock_list"), {"q": "9091"}, HTTP_HX_REQUEST="true")
    assert "90919-01253" in response.content.decode() and "<html" not in response.content.decode()


def test_the_stock_list_shows_only_the_users_station(client, station, other_station, stocked, clerk):
    stocked(qty="5", part_number="04152-YZZA1")
    from parts.services.stock import stock_move_post, warehouse_main

    foreign = PartFactory(station=other_station, part_number="04152-OTHER")
    stock_move_post(warehouse=warehouse_main(station=other_station), part=foreign, kind="opening",
                    quantity=Decimal("1"), by=clerk, unit_cost=Decimal("1"))
    client.force_login(clerk)
    content = client.get(reverse("parts:stock_list")).content.decode()
    assert "04152-YZZA1" in content and "04152-OTHER" not in content


def test_a_part_page_shows_its_movement_history(client, stocked, clerk):
    part = stocked(qty="5")
    client.force_login(clerk)
    response = client.get(reverse("parts:part_detail", args=[part.pk]))
    assert response.status_code == 200
    assert len(response.context["moves"]) == 1


def test_the_low_stock_list_shows_parts_at_their_minimum(client, stocked, lead, warehouse):
    part = stocked(qty="2")
    client.force_login(lead)
    client.post(reverse("parts:part_location", args=[part.pk]), {"bin_location": "a-01", "min_qty": "2",
                                                                 "max_qty": "10"})
    response = client.get(reverse("parts:low_stock"))
    assert [b.part for b in response.context["page"]] == [part]
    assert StockBalance.objects.get(part=part).bin_location == "A-01"


def test_a_csv_upload_with_errors_imports_nothing_and_lists_the_rows(client, station, lead, settings, tmp_path):
    """The upload only stores the file and has it checked (core.imports; in-process here, no broker)."""
    settings.MEDIA_ROOT = tmp_path
    client.force_login(lead)
    data = "part_number,name_zh,list_price\n04152-YZZA1,机油滤清器,68\n,空气滤芯,95\n".encode()
    response = client.post(reverse("parts:part_import"), {"file": SimpleUploadedFile("p.csv", data)})
    assert response.status_code == 302
    assert client.get(response["Location"]).context["job"].errors[0]["row"] == 3
    assert not Part.objects.exists()


def test_a_good_csv_upload_is_imported_after_the_preview(client, station, lead, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(lead)
    data = "part_number,name_zh,list_price\n04152-YZZA1,机油滤清器,68\n".encode()
    response = client.post(reverse("parts:part_import"), {"file": SimpleUploadedFile("p.csv", data)})
    assert response.status_code == 302 and not Part.objects.exists()
    job = client.get(response["Location"]).context["job"]
    client.post(reverse("imports:start", args=[job.pk]))
    assert Part.objects.get().part_number == "04152-YZZA1"


def test_the_suggested_order_becomes_a_purchase_order_that_is_received(client, station, stocked, lead, warehouse):
    part = stocked(qty="1")
    supplier = SupplierFactory(station=station)
    client.force_login(lead)
    client.post(reverse("parts:part_location", args=[part.pk]), {"bin_location": "A", "min_qty": "2", "max_qty": "6"})
    response = client.post(reverse("parts:suggested"), {"supplier": supplier.pk, "part": [part.pk],
                                                        f"qty_{part.pk}": "5"})
    po = part.purchase_lines.get().order
    assert response.status_code == 302
    client.post(reverse("parts:po_place", args=[po.pk]))
    line = po.lines.get()
    client.post(reverse("parts:po_receive", args=[po.pk]), {f"qty_{line.pk}": "5", f"cost_{line.pk}": "40"})
    assert StockBalance.objects.get(part=part).on_hand == Decimal("6")
    assert client.get(reverse("parts:po_detail", args=[po.pk])).status_code == 200


def test_a_blind_count_hides_the_book_quantity_until_submitted(client, stocked, clerk, lead):
    part = stocked(qty="5")
    client.force_login(clerk)
    client.post(reverse("parts:stocktake_create"), {"bin_prefix": "", "blind": "on"})
    take = Stocktake.objects.get()
    response = client.get(reverse("parts:stocktake_detail", args=[take.pk]))
    assert response.context["show_book"] is False
    line = take.lines.get()
    client.post(reverse("parts:stocktake_count", args=[take.pk]), {f"count_{line.pk}": "4", "submit": "1"})
    response = client.get(reverse("parts:stocktake_detail", args=[take.pk]))
    assert response.context["show_book"] is True
    assert response.context["report"]["net"] == -part.cost
    client.force_login(lead)
    client.post(reverse("parts:stocktake_approve", args=[take.pk]))
    assert StockBalance.objects.get(part=part).on_hand == Decimal("4")


def test_the_station_manager_approves_scrap_through_the_page(client, stocked, lead, carol):
    part = stocked(qty="3")
    client.force_login(lead)
    client.post(reverse("parts:scrap_create"), {"part_number": part.part_number, "quantity": "1", "reason": "锈蚀"})
    scrap = ScrapRequest.objects.get()
    client.force_login(carol)
    client.post(reverse("parts:scrap_decide", args=[scrap.pk]), {"decision": "approve"})
    assert StockBalance.objects.get(part=part).on_hand == Decimal("2")


def test_the_order_panel_shows_reserved_and_issued(station, stocked, alice):
    from django.template.loader import render_to_string

    part = stocked(qty="5")
    order = WorkOrderFactory(station=station, status="open")
    part_line_requested(line=part_line(order=order, part=part, qty="2"), by=alice)
    html = render_to_string("parts/_order_panel.html", {"order": order})
    assert part.part_number in html and ">2<" in html.replace(" ", "")


def test_a_special_order_from_the_pick_list_is_put_aside_on_receipt(client, station, stocked, lead):
    from parts.models import Reservation

    part = stocked(qty="0")
    order = WorkOrderFactory(station=station, status="open")
    line = part_line(order=order, part=part, qty="1")
    supplier = SupplierFactory(station=station)
    client.force_login(lead)
    assert client.get(reverse("parts:order_pick", args=[order.pk])).status_code == 200
    client.post(reverse("parts:line_special_order", args=[line.pk]), {"supplier": supplier.pk, "quantity": "1"})
    po = part.purchase_lines.get(for_line=line).order
    client.post(reverse("parts:po_place", args=[po.pk]))
    client.post(reverse("parts:po_receive", args=[po.pk]), {f"qty_{po.lines.get().pk}": "1"})
    assert Reservation.objects.get(line=line).quantity == Decimal("1")
