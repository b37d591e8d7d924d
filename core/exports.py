"""Tables as CSV or Excel (.xlsx) for download — the one way every export is written.

A spreadsheet treats a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula
(CSV injection: ``=HYPERLINK(...)`` typed into a customer's name becomes a live link when the export is opened).
Every text cell goes through :func:`safe_cell`: in CSV such a cell is prefixed with an apostrophe, in xlsx it is
written with the string data type so it is never evaluated. Real numbers (int, float, Decimal) stay numbers.

A figure with a display format (``Formatted``: the KPI boards' "¥5,960.00", "77.8%") is written to xlsx as the number
with that number format, so the sheet sums and sorts it; CSV, which has no formats, gets the text as shown.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Formatted:
    """A number and how it is shown: ``value`` (None when there is none, e.g. a zero denominator), the spreadsheet
    ``number_format`` (e.g. ``"0.0%"``) and the ``text`` shown on screen and written to CSV."""

    value: Decimal | int | float | None
    number_format: str
    text: str

    def __str__(self) -> str:
        return self.text


def _is_number(value) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def safe_cell(value):
    """A value fit for a CSV cell: numbers and dates unchanged, text that a spreadsheet would read as a formula
    prefixed with an apostrophe, anything else as text."""
    if value is None:
        return ""
    if _is_number(value) or isinstance(value, (date, datetime)):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_bytes(headers: Sequence, rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so Excel opens UTF-8 Chinese correctly
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in headers])
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return buffer.getvalue().encode("utf-8")


def _decimal_format(value: Decimal) -> str:
    """A Decimal keeps its decimals on the sheet: 660.00 shows as 660.00 (money), 1.5 as 1.5, 3 as 3."""
    places = -value.as_tuple().exponent if value.is_finite() else 0
    places = max(0, min(int(places), 4))
    return "#,##0" + ("." + "0" * places if places else "")


def xlsx_bytes(headers: Sequence, rows: Iterable[Sequence], *, title: str = "Sheet") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31] or "Sheet"
    for r, row in enumerate([list(headers), *rows], start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            if value is None:
                continue
            if isinstance(value, Formatted):
                if value.value is None:
                    value = value.text
                else:
                    cell.value = float(value.value) if isinstance(value.value, Decimal) else value.value
                    cell.number_format = value.number_format
                    continue
            if _is_number(value):
                cell.value = float(value) if isinstance(value, Decimal) else value
                if isinstance(value, Decimal):
                    cell.number_format = _decimal_format(value)
            elif isinstance(value, (date, datetime)):
                cell.value = value
            else:
                # Assigning a str starting with "=" would make openpyxl store a formula: set the value and the
                # string type directly instead.
                cell._value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
                cell.data_type = TYPE_STRING
    for column in sheet.columns:
        width = max(len(str(c.value or "")) + 2 * (c.number_format != "General") for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(40, max(10, width + 2))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def table_response(*, headers: Sequence, rows: Iterable[Sequence], fmt: str, filename: str) -> HttpResponse:
    """The table as a download: ``fmt`` "xlsx" for Excel, anything else for CSV."""
    rows = list(rows)
    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(headers, rows, title=filename), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(csv_bytes(headers, rows), content_type="text/csv; charset=utf-8")
        fmt = "csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
