"""Bad input on the stock pages comes back on the same page (400), the error next to the box, what was typed still
there, nothing saved: bin and min/max, new count sheet, counting, scrap request."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from parts.models import ScrapRequest, StockBalance, Stocktake, StocktakeLine
from parts.services.stocktake import stocktake_create
from parts.tests.html import box, crispy_field, form_of, is_invalid


def test_a_maximum_below_the_minimum_is_refused_at_the_maximum(client_as, stocked, lead):
    part = stocked(qty="2")
    action = reverse("parts:part_location", args=[part.pk])
    response = client_as(lead).post(action, {"bin_location": "b-07", "min_qty": "8", "max_qty": "3"})
    assert response.status_code == 400
    form = form_of(response.content.decode(), action)
    field = crispy_field(form, "max_qty")
    assert "The maximum must not be below the minimum." in field and is_invalid(box(field, "max_qty"))
    assert 'value="3"' in field and 'value="8"' in box(form, "min_qty") and 'value="b-07"' in box(form, "bin_location")
    balance = StockBalance.objects.get(part=part)
    assert (balance.bin_location, balance.min_qty, balance.max_qty) == ("", 0, 0)


def test_a_count_sheet_for_empty_bins_is_refused_at_the_bin_prefix(client_as, stocked, clerk):
    stocked(qty="2")
    action = reverse("parts:stocktake_create")
    response = client_as(clerk).post(action, {"bin_prefix": "zz"})
    assert response.status_code == 400
    field = crispy_field(form_of(response.content.decode(), action), "bin_prefix")
    assert "No stock in those bins." in field and is_invalid(box(field, "bin_prefix")) and 'value="zz"' in field
    assert "checked" not in box(form_of(response.content.decode(), action), "blind")  # unticked, as posted
    assert not Stocktake.objects.exists()


def _sheet(stocked, warehouse, clerk, *quantities):
    parts = [stocked(qty=q) for q in quantities]
    return stocktake_create(warehouse=warehouse, by=clerk), parts


def test_a_count_that_is_negative_is_refused_on_its_line_and_no_count_is_saved(client_as, stocked, warehouse, clerk):
    take, (first, second) = _sheet(stocked, warehouse, clerk, "3", "4")
    one, two = (take.lines.get(part=p) for p in (first, second))
    action = reverse("parts:stocktake_count", args=[take.pk])
    response = client_as(clerk).post(action, {f"count_{one.pk}": "3", f"count_{two.pk}": "-1"})
    assert response.status_code == 400
    form = form_of(response.content.decode(), action)
    row = form[form.index(f'name="count_{two.pk}"'):]
    assert "Ensure this value is greater than or equal to 0." in row[:row.index("</tr>")]
    assert is_invalid(box(form, f"count_{two.pk}")) and 'value="-1"' in box(form, f"count_{two.pk}")
    assert 'value="3"' in box(form, f"count_{one.pk}") and not is_invalid(box(form, f"count_{one.pk}"))
    assert not StocktakeLine.objects.filter(counted_qty__isnull=False).exists()


def test_submitting_with_lines_not_counted_saves_nothing_and_marks_the_empty_boxes(client_as, stocked, warehouse,
                                                                                  clerk):
    take, (first, second) = _sheet(stocked, warehouse, clerk, "3", "4")
    one, two = (take.lines.get(part=p) for p in (first, second))
    action = reverse("parts:stocktake_count", args=[take.pk])
    response = client_as(clerk).post(action, {f"count_{one.pk}": "2", f"count_{two.pk}": "", "submit": "1"})
    assert response.status_code == 400
    form = form_of(response.content.decode(), action)
    assert "Count every line before submitting." in form and "Not counted yet." in form
    assert is_invalid(box(form, f"count_{two.pk}")) and not is_invalid(box(form, f"count_{one.pk}"))
    assert 'value="2"' in box(form, f"count_{one.pk}")
    take.refresh_from_db()
    assert take.status == Stocktake.Status.COUNTING
    assert not StocktakeLine.objects.filter(counted_qty__isnull=False).exists()


def test_a_scrap_request_for_more_than_is_free_keeps_the_reason(client_as, stocked, lead):
    part = stocked(qty="2", part_number="04152-YZZA1")
    action = reverse("parts:scrap_create")
    response = client_as(lead).post(action, {"part_number": "04152-YZZA1", "quantity": "5", "reason": "泡水锈蚀"})
    assert response.status_code == 400
    form = form_of(response.content.decode(), action)
    field = crispy_field(form, "quantity")
    assert "There is not that much free stock." in field and is_invalid(box(field, "quantity"))
    assert 'value="5"' in field and 'value="泡水锈蚀"' in box(form, "reason")
    assert 'value="04152-YZZA1"' in box(form, "part_number")
    assert not ScrapRequest.objects.exists() and StockBalance.objects.get(part=part).on_hand == Decimal("2")


def test_a_csv_file_with_errors_shows_them_on_the_preview(client_as, lead, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from parts.models import Part

    settings.MEDIA_ROOT = tmp_path
    client = client_as(lead)
    data = "part_number,name_zh,list_price\n04152-YZZA1,机油滤清器,abc\n".encode()
    response = client.post(reverse("parts:part_import"), {"file": SimpleUploadedFile("p.csv", data)})
    page = client.get(response["Location"]).content.decode()
    assert "Nothing will be imported" in page
    assert "<td>2</td><td>list_price</td><td>“abc” is not a number.</td>" in page
    assert not Part.objects.exists()


def test_a_file_that_is_not_a_table_is_refused_at_the_file_box(client_as, lead):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_as(lead).post(reverse("parts:part_import"), {"file": SimpleUploadedFile("p.pdf", b"%PDF")})
    assert response.status_code == 400
    assert "Upload a .csv or .xlsx file." in crispy_field(response.content.decode(), "file")
