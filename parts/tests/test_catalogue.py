from __future__ import annotations

from decimal import Decimal

import pytest

from core.errors import DomainError
from parts.factories import PartFactory, PricePolicyFactory
from parts.models import Part, StockBalance
from parts.selectors import current_part, part_search
from parts.services.catalogue import part_supersede, parts_import_csv, sale_price

HEADER = "part_number,brand,name_zh,name_en,genuine,unit,list_price,bin,min,max,superseded_by\n"


def test_searching_an_old_number_finds_its_successor(station, clerk):
    old = PartFactory(station=station, part_number="04152-YZZA1")
    new = PartFactory(station=station, part_number="04152-YZZA6", name_zh="机油滤清器(新)")
    part_supersede(old=old, new=new, by=clerk)
    found = set(part_search(station=station, query="04152-YZZA1"))
    assert found == {old, new}
    assert current_part(old) == new


def test_a_supersession_chain_is_followed_to_the_end(station, clerk):
    a, b, c = (PartFactory(station=station) for _ in range(3))
    part_supersede(old=a, new=b, by=clerk)
    part_supersede(old=b, new=c, by=clerk)
    assert current_part(a) == c


def test_a_supersession_loop_is_refused(station, clerk):
    a, b = PartFactory(station=station), PartFactory(station=station)
    part_supersede(old=a, new=b, by=clerk)
    with pytest.raises(DomainError):
        part_supersede(old=b, new=a, by=clerk)


def test_sale_price_applies_the_payer_markup_on_list_price(station):
    part = PartFactory(station=station, list_price=Decimal("100.00"), cost=Decimal("60"))
    PricePolicyFactory(station=station, payer="insurance", basis="list", markup_pct=Decimal("10"))
    PricePolicyFactory(station=station, payer="warranty", basis="cost", markup_pct=Decimal("15"))
    assert sale_price(part=part, payer="insurance") == Decimal("110.00")
    assert sale_price(part=part, payer="warranty") == Decimal("69.00")
    assert sale_price(part=part, payer="customer") == Decimal("100.00")


def test_a_clean_csv_creates_parts_with_bins_and_supersession(station, clerk):
    text = HEADER + (
        "04152-yzza1,toyota,机油滤清器,Oil filter,1,个,68,A-01-02,5,20,04152-YZZA6\n"
        "04152-YZZA6,TOYOTA,机油滤清器(新),Oil filter,1,个,70,A-01-03,5,20,\n"
    )
    result = parts_import_csv(station=station, text=text, by=clerk)
    assert result.ok and result.created == 2
    old = Part.objects.get(part_number="04152-YZZA1")
    assert old.superseded_by.part_number == "04152-YZZA6"
    assert StockBalance.objects.get(part=old).bin_location == "A-01-02"


def test_a_csv_with_one_bad_row_saves_nothing_and_names_the_rows(station, clerk):
    text = HEADER + (
        "04465-33471,TOYOTA,前刹车片,Front brake pads,1,套,520,B-02-01,2,8,\n"
        ",TOYOTA,空气滤芯,Air filter,1,个,95,,,,\n"
        "17801-21050,TOYOTA,空气滤芯,Air filter,1,个,abc,,,,\n"
        "04465-33471,TOYOTA,前刹车片,Front brake pads,1,套,520,,,,\n"
    )
    result = parts_import_csv(station=station, text=text, by=clerk)
    assert not result.ok
    assert [row for row, _message in result.errors] == [3, 4, 5]
    assert not Part.objects.filter(station=station).exists()


def test_a_csv_without_the_required_columns_is_refused(station, clerk):
    result = parts_import_csv(station=station, text="foo,bar\n1,2\n", by=clerk)
    assert result.errors and result.errors[0][0] == 1


def test_updating_a_part_by_csv_keeps_the_bin_when_the_column_is_empty(station, clerk):
    parts_import_csv(station=station, text=HEADER + "04152-YZZA1,TOYOTA,机油滤清器,,1,个,68,A-01-02,5,20,\n", by=clerk)
    result = parts_import_csv(station=station, text=HEADER + "04152-YZZA1,TOYOTA,机油滤清器,,1,个,72,,,,\n", by=clerk)
    assert result.ok and result.updated == 1
    balance = StockBalance.objects.get(part__part_number="04152-YZZA1")
    assert (balance.bin_location, balance.min_qty) == ("A-01-02", Decimal("5"))
    assert balance.part.list_price == Decimal("72")


def test_an_operation_kit_lists_current_parts(station, clerk):
    from parts.models import OperationPart
    from parts.selectors import parts_for_operation
    from reception.factories import LabourOperationFactory

    op = LabourOperationFactory(
        station=station, code="MAINT10K", name_zh="1万公里保养", standard_hours=Decimal("1"),
        rate_customer=Decimal("300"), rate_warranty=Decimal("200"), rate_insurance=Decimal("300"),
        rate_internal=Decimal("150"),
    )
    old, new = PartFactory(station=station), PartFactory(station=station)
    part_supersede(old=old, new=new, by=clerk)
    OperationPart.objects.create(operation=op, part=old, quantity=Decimal("1"))
    assert parts_for_operation(op) == [(new, Decimal("1"))]
