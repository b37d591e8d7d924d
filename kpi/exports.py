"""A dashboard table as CSV or Excel (.xlsx, openpyxl)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.http import HttpResponse


def table_response(*, headers: list[str], rows: list[list], fmt: str, filename: str) -> HttpResponse:
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = filename[:31]
        sheet.append([str(h) for h in headers])
        for row in rows:
            sheet.append([float(c) if isinstance(c, Decimal) else c for c in row])
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(40, max(10, width + 2))
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        buffer = io.StringIO()
        buffer.write("\ufeff")  # so Excel opens UTF-8 Chinese correctly
        writer = csv.writer(buffer)
        writer.writerow([str(h) for h in headers])
        writer.writerows(rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        fmt = "csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
