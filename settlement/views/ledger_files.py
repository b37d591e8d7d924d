"""The voucher day as files: CSV (UTF-8 with BOM, so Excel and the accounting packages read the Chinese) and xlsx."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from settlement.models import VoucherDay
from settlement.services.vouchers import COLUMNS, voucher_rows


def csv_bytes(vd: VoucherDay) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows([[str(c) for c in row] for row in voucher_rows(vd)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(vd: VoucherDay) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "凭证"
    sheet.append(list(COLUMNS))
    for row in voucher_rows(vd):
        sheet.append(row)
    for col, width in zip("ABCDEFGH", (12, 8, 8, 40, 14, 30, 14, 14), strict=True):
        sheet.column_dimensions[col].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
