from decimal import Decimal

import pytest

from core.errors import DomainError
from reception.models import LabourOperation
from reception.services.catalogue import catalogue_import_csv, labour_operation_save

HEADER = "code,name_zh,name_en,category,standard_hours,rate_customer,rate_warranty,rate_insurance,rate_internal\n"


def test_a_good_file_is_imported(station, carol):
    data = HEADER + "MT001,更换机油机滤,Oil change,保养,0.5,300,200,,150\nBR001,更换前刹车片,Front pads,制动,1.2,300,,,\n"
    result = catalogue_import_csv(station=station, by=carol, data=data.encode("utf-8-sig"))
    assert result.ok and result.created == 2
    op = LabourOperation.objects.get(code="MT001")
    assert op.rate_warranty == Decimal("200") and op.rate_insurance == Decimal("300")


def test_one_wrong_row_imports_nothing_and_every_wrong_row_is_reported(station, carol):
    data = (HEADER + "MT001,更换机油机滤,,,0.5,300\n"
            "MT002,,,,abc,300\n"
            "MT003,四轮定位,,,-1,300\n"
            "MT001,重复,,,1,1\n")
    result = catalogue_import_csv(station=station, by=carol, data=data)
    assert not result.ok
    assert [line for line, _ in result.errors] == [3, 4, 5]
    assert "name_zh" in result.errors[0][1] and "standard_hours" in result.errors[0][1]
    assert "line 2" in result.errors[2][1]
    assert not LabourOperation.objects.exists()


def test_a_file_without_required_columns_is_refused(station, carol):
    result = catalogue_import_csv(station=station, by=carol, data="code,name\nA,B\n")
    assert not result.ok and result.errors[0][0] == 1


def test_existing_codes_are_updated(station, carol, oil_change):
    result = catalogue_import_csv(station=station, by=carol, data=HEADER + "mt001,换油,,,0.6,320\n")
    oil_change.refresh_from_db()
    assert result.updated == 1 and oil_change.rate_customer == Decimal("320")


def test_a_code_is_unique_per_station(station, carol, oil_change):
    with pytest.raises(DomainError) as exc:
        labour_operation_save(station=station, by=carol, code="mt001", name_zh="x", standard_hours=1,
                              rate_customer=1, rate_warranty=1, rate_insurance=1, rate_internal=1)
    assert exc.value.field == "code"
