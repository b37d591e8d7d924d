"""Printed parts documents (rendered by core.documents.render_pdf): the stocktake count sheet (盘点表)."""

from __future__ import annotations

from parts.models import Stocktake


def count_sheet_context(stocktake: Stocktake, language: str) -> dict:
    """The lines of a count sheet in the order the counter walks the store: by bin, lines without a bin last.

    Deliberately without the book quantity: the sheet is for a blind count, so nothing here may tell the counter
    what the system expects to find on the shelf.
    """
    lines = sorted(stocktake.lines.select_related("part"),
                   key=lambda line: (not line.bin_location, line.bin_location, line.part.part_number))
    rows = [
        {"n": n, "bin": line.bin_location, "part_number": line.part.part_number,
         "name": line.part.display_name(language), "unit": line.part.unit}
        for n, line in enumerate(lines, start=1)
    ]
    return {"take": stocktake, "rows": rows}
