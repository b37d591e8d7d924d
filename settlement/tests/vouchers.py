"""Helpers for the voucher tests."""

from __future__ import annotations

from decimal import Decimal


def voucher_totals(vd, number: int) -> dict[str, tuple[Decimal, Decimal]]:
    """Per account code in voucher ``number`` of a ``VoucherDay``: (debits, credits)."""
    result: dict[str, tuple[Decimal, Decimal]] = {}
    for line in vd.lines:
        if line["number"] == number:
            debit, credit = result.get(line["code"], (Decimal("0"), Decimal("0")))
            result[line["code"]] = (debit + Decimal(line["debit"]), credit + Decimal(line["credit"]))
    return result
